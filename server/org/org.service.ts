import { readablePath } from '../http/zod-messages.js'
import { z } from 'zod'
import { endSessionsOf, forgetSessionsOf } from '../auth/session.js'
import { appendAudit } from '../audit/audit.repo.js'
import { generatePassword, hashPassword } from '../auth/password.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { personalIdMessage, personalIdProblem } from '../integrations/personal-id.js'

export const ROLES = ['staff', 'unit_head', 'leader', 'admin'] as const

/** A personal identification number (số định danh cá nhân), checked for its structure (see personal-id.ts). */
export const personalId = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = personalIdProblem(value, new Date().getUTCFullYear())
    if (problem) {
      const [vi, en] = personalIdMessage(problem)
      ctx.addIssue({ code: 'custom', message: `${vi} / ${en}` })
    }
  })

export const staffInput = z.object({
  username: z.string().regex(/^[a-z0-9._-]{3,60}$/, 'chữ thường, số, . _ - (3–60 ký tự) / lowercase letters, digits, . _ -'),
  fullName: z.string().trim().min(1).max(200),
  email: z.string().email().max(200).optional().nullable(),
  unitCode: z.string().min(1).max(40).optional().nullable(),
  positionCode: z.string().min(1).max(20).optional().nullable(),
  roles: z.array(z.enum(ROLES)).min(1).max(4),
  scopeUnitCodes: z.array(z.string().min(1).max(40)).max(500).optional(),
  password: z.string().min(8).max(200).optional(),
  personalId: personalId.optional().nullable(),
})
export type StaffInput = z.infer<typeof staffInput>

export const unitInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: z.string().trim().min(1).max(300),
  parentCode: z.string().min(1).max(40).optional().nullable(),
  headUsername: z.string().min(1).max(60).optional().nullable(),
})
export type UnitInput = z.infer<typeof unitInput>

const POSITION_NAMES: Record<string, string> = {
  GD: 'Giám đốc',
  PGD: 'Phó Giám đốc',
  TP: 'Trưởng phòng',
  PTP: 'Phó Trưởng phòng',
  CVC: 'Chuyên viên chính',
  CV: 'Chuyên viên',
}

/** Creates units (parents before children); heads are linked once their staff exist. */
export async function createUnits(db: Db, inputs: UnitInput[], actorId: number | null): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const ids: number[] = []
    for (const u of inputs) {
      const dup = await trx.selectFrom('units').select('id').where('code', '=', u.code).executeTakeFirst()
      if (dup) throw new ApiError(409, 'DUPLICATE', `Mã đơn vị ${u.code} đã tồn tại.`, `Unit code ${u.code} already exists.`)
      const parent = u.parentCode ? await trx.selectFrom('units').select('id').where('code', '=', u.parentCode).executeTakeFirst() : null
      if (u.parentCode && !parent) throw new ApiError(400, 'VALIDATION_FAILED', `Không có đơn vị cấp trên ${u.parentCode}.`, `No parent unit ${u.parentCode}.`)
      const head = u.headUsername ? await trx.selectFrom('staff').select('id').where('username', '=', u.headUsername).executeTakeFirst() : null
      const row = await trx.insertInto('units').values({ code: u.code, name: u.name, parent_id: parent?.id ?? null, head_id: head?.id ?? null }).returning('id').executeTakeFirstOrThrow()
      await appendAudit(trx, { actor_id: actorId, entity: 'unit', entity_id: String(row.id), action: 'create', reason: null, data: { ...u } })
      ids.push(row.id)
    }
    return ids
  })
}

/** Links each unit to its head by username (after the staff exist). */
export async function linkUnitHeads(db: Db, heads: { code: string; headUsername: string }[]): Promise<void> {
  for (const h of heads) {
    const staff = await db.selectFrom('staff').select('id').where('username', '=', h.headUsername).executeTakeFirst()
    if (staff) await db.updateTable('units').set({ head_id: staff.id }).where('code', '=', h.code).execute()
  }
}

export interface RowError {
  row: number
  path: string
  message: string
}

/**
 * Creates staff all-or-nothing: every row is checked first (format, unknown unit or position,
 * duplicate username) and any error refuses the whole batch with the list of row errors.
 * Returns the generated passwords of the accounts that had none.
 */
/** Checks staff rows without writing: the per-row errors, and the rows as they would be created. */
export async function checkStaff(db: Db, inputs: unknown[]): Promise<{ errors: RowError[]; parsed: StaffInput[] }> {
  const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]))
  const people = await db.selectFrom('staff').select(['username', 'personal_id']).execute()
  const existing = new Set(people.map((s) => s.username))
  const personalIds = new Set(people.flatMap((s) => (s.personal_id ? [s.personal_id] : [])))
  const errors: RowError[] = []
  const parsed: StaffInput[] = []
  const seen = new Set<string>()
  inputs.forEach((raw, i) => {
    const r = staffInput.safeParse(raw)
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ row: i + 1, path: readablePath(issue.path), message: issue.message })
      return
    }
    const s = r.data
    if (existing.has(s.username) || seen.has(s.username)) errors.push({ row: i + 1, path: 'username', message: `đã tồn tại / already exists: ${s.username}` })
    if (s.unitCode && !units.has(s.unitCode)) errors.push({ row: i + 1, path: 'unitCode', message: `không có đơn vị / no unit ${s.unitCode}` })
    for (const code of s.scopeUnitCodes ?? []) if (!units.has(code)) errors.push({ row: i + 1, path: 'scopeUnitCodes', message: `không có đơn vị / no unit ${code}` })
    if (!s.unitCode && !s.roles.every((role) => role === 'admin')) errors.push({ row: i + 1, path: 'unitCode', message: 'bắt buộc / required' })
    if (s.personalId) {
      if (personalIds.has(s.personalId)) errors.push({ row: i + 1, path: 'personalId', message: `đã có người mang số này / already used: ${s.personalId}` })
      personalIds.add(s.personalId)
    }
    seen.add(s.username)
    parsed.push(s)
  })
  return { errors, parsed }
}

export async function createStaff(db: Db, inputs: unknown[], actorId: number | null): Promise<{ id: number; username: string; password?: string }[]> {
  const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]))
  const { errors, parsed } = await checkStaff(db, inputs)
  if (errors.length) {
    const list = errors.slice(0, 20).map((e) => `dòng/row ${e.row} ${e.path}: ${e.message}`).join('; ')
    throw new ApiError(400, 'VALIDATION_FAILED', `Dữ liệu cán bộ không hợp lệ, chưa ghi gì: ${list}`, `Invalid staff data, nothing written: ${list}`, errors)
  }
  const prepared = await Promise.all(
    parsed.map(async (s) => {
      const password = s.password ?? generatePassword()
      return { s, password, generated: !s.password, hash: await hashPassword(password) }
    }),
  )
  return db.transaction().execute(async (trx) => {
    const out: { id: number; username: string; password?: string }[] = []
    for (const { s, password, generated, hash } of prepared) {
      if (s.positionCode) {
        await trx.insertInto('positions').values({ code: s.positionCode, name: POSITION_NAMES[s.positionCode] ?? s.positionCode }).onConflict((oc) => oc.column('code').doNothing()).execute()
      }
      const row = await trx
        .insertInto('staff')
        .values({
          username: s.username,
          full_name: s.fullName,
          email: s.email ?? null,
          unit_id: s.unitCode ? units.get(s.unitCode)! : null,
          position_code: s.positionCode ?? null,
          roles: JSON.stringify(s.roles),
          scope_unit_ids: JSON.stringify((s.scopeUnitCodes ?? []).map((c) => units.get(c)!)),
          password_hash: hash,
          personal_id: s.personalId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendAudit(trx, { actor_id: actorId, entity: 'staff', entity_id: String(row.id), action: 'create', reason: null, data: { username: s.username, roles: s.roles, unitCode: s.unitCode } })
      out.push({ id: row.id, username: s.username, ...(generated ? { password } : {}) })
    }
    return out
  })
}

/** Maps a CSV row of the sample format (username, fullName, unitCode, positionCode, roles "a;b", email). */
export function staffFromCsvRow(r: Record<string, string>): Record<string, unknown> {
  return {
    username: r['username'],
    fullName: r['fullName'],
    unitCode: r['unitCode'] || null,
    positionCode: r['positionCode'] || null,
    roles: (r['roles'] ?? '').split(';').map((x) => x.trim()).filter(Boolean),
    email: r['email'] || null,
    personalId: r['personalId'] || null,
    ...(r['scopeUnitCodes'] ? { scopeUnitCodes: r['scopeUnitCodes'].split(';').map((x) => x.trim()).filter(Boolean) } : {}),
  }
}

export const staffUpdate = z.object({
  fullName: z.string().trim().min(1).max(200).optional(),
  email: z.string().email().max(200).nullable().optional(),
  unitCode: z.string().min(1).max(40).optional(),
  positionCode: z.string().min(1).max(20).nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1).max(4).optional(),
  scopeUnitCodes: z.array(z.string().min(1).max(40)).max(500).optional(),
  active: z.boolean().optional(),
  personalId: personalId.nullable().optional(),
})

/** Edits a staff account (changes apply to cycles launched afterwards; running ones keep their parties). */
export async function updateStaff(db: Db, id: number, input: z.infer<typeof staffUpdate>, actorId: number): Promise<void> {
  if (!Object.values(input).some((v) => v !== undefined)) throw new ApiError(400, 'VALIDATION_FAILED', 'Không có gì để thay đổi.', 'Nothing to change.')
  const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]))
  for (const code of [input.unitCode, ...(input.scopeUnitCodes ?? [])]) {
    if (code && !units.has(code)) throw new ApiError(400, 'VALIDATION_FAILED', `Không có đơn vị ${code}.`, `No unit ${code}.`)
  }
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
    if (!current) throw new ApiError(404, 'NOT_FOUND', `Không tìm thấy cán bộ #${id}.`, `No staff member #${id}.`)
    if (input.personalId) {
      const holder = await trx.selectFrom('staff').select('id').where('personal_id', '=', input.personalId).where('id', '!=', id).executeTakeFirst()
      if (holder) throw new ApiError(409, 'DUPLICATE', `Số định danh cá nhân ${input.personalId} đã thuộc về người khác.`, `Personal ID ${input.personalId} already belongs to someone else.`)
    }
    if (input.positionCode) {
      await trx.insertInto('positions').values({ code: input.positionCode, name: POSITION_NAMES[input.positionCode] ?? input.positionCode }).onConflict((oc) => oc.column('code').doNothing()).execute()
    }
    await trx
      .updateTable('staff')
      .set({
        ...(input.fullName !== undefined ? { full_name: input.fullName } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.unitCode !== undefined ? { unit_id: units.get(input.unitCode)! } : {}),
        ...(input.positionCode !== undefined ? { position_code: input.positionCode } : {}),
        ...(input.roles !== undefined ? { roles: JSON.stringify(input.roles) } : {}),
        ...(input.scopeUnitCodes !== undefined ? { scope_unit_ids: JSON.stringify(input.scopeUnitCodes.map((c) => units.get(c)!)) } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.personalId !== undefined ? { personal_id: input.personalId } : {}),
      })
      .where('id', '=', id)
      .execute()
    await appendAudit(trx, { actor_id: actorId, entity: 'staff', entity_id: String(id), action: 'update', reason: null, data: { ...input } })
  })
  // A deactivated account's sessions end for good (re-activating it must not bring them back).
  if (input.active === false) await endSessionsOf(db, id)
  else forgetSessionsOf(id)
}
