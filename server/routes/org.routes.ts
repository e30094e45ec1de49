import type { Hono } from 'hono'
import { sql } from 'kysely'
import { ApiError } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { listStaffViews, listUnits } from '../org/org.repo.js'
import { z } from 'zod'
import { checkStaff, createStaff, createUnits, staffFromCsvRow, staffInput, staffUpdate, unitInput, updateStaff } from '../org/org.service.js'
import { idParam } from '../http/route.js'
import { readTable } from '../org/spreadsheet.js'

const MAX_IMPORT_BYTES = 2_000_000
const unitsQuery = z.object({ ...pageQuery })
const staffQuery = z.object({
  /** Part of the full name or username, case-insensitive. */
  q: z.string().trim().min(1).max(100).optional(),
  unitId: dbIdQuery.optional(),
  ...pageQuery,
})

export function orgRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  route(app, { method: 'get', path: '/api/units', summary: 'Units (tree as a flat list with parentId), by id; keyset pages (?after=&limit=, Link: rel="next")', tag: 'org', query: unitsQuery }, async ({ c, query }) =>
    page(c, await listUnits(db, { ...(query.after !== undefined ? { after: query.after } : {}), limit: query.limit + 1 }), query.limit),
  )

  route(app, { method: 'post', path: '/api/units', summary: 'Create a unit', tag: 'org', roles: ['admin'], body: unitInput, status: 201 }, async ({ body, user }) => {
    const [id] = await createUnits(db, [body], user.id)
    return (await listUnits(db, { id: id! }))[0]
  })

  /** Personal IDs are shown to admins only (they manage them); other readers never see them. */
  const withPersonalIds = async <T extends { id: number }>(views: T[]): Promise<(T & { personalId: string | null })[]> => {
    const ids = views.map((v) => v.id)
    const rows = ids.length ? await db.selectFrom('staff').select(['id', 'personal_id']).where(sql<boolean>`id = any(${ids}::int[])`).execute() : []
    const byId = new Map(rows.map((r) => [r.id, r.personal_id]))
    return views.map((v) => ({ ...v, personalId: byId.get(v.id) ?? null }))
  }

  route(
    app,
    { method: 'get', path: '/api/staff', summary: 'Active staff by id (personal IDs for admins only); ?q= part of the name or username, ?unitId=; keyset pages (?after=&limit=, Link: rel="next")', tag: 'org', roles: ['admin', 'leader', 'unit_head'], query: staffQuery },
    async ({ c, user, query }) => {
      const views = page(c, await listStaffViews(db, { ...query, limit: query.limit + 1 }), query.limit)
      return user.roles.includes('admin') ? withPersonalIds(views) : views
    },
  )

  route(app, { method: 'post', path: '/api/staff', summary: 'Create a staff account (password generated when omitted)', tag: 'org', roles: ['admin'], body: staffInput, status: 201 }, async ({ body, user }) => {
    const [created] = await createStaff(db, [body], user.id)
    return { ...(await withPersonalIds(await listStaffViews(db, { id: created!.id })))[0], ...(created!.password ? { password: created!.password } : {}) }
  })

  route(app, { method: 'patch', path: '/api/staff/:id', summary: 'Edit a staff account: name, unit, position, roles, leadership scope, active, personal ID (12 digits, unique)', tag: 'org', roles: ['admin'], body: staffUpdate }, async ({ params, body, user }) => {
    const id = idParam(params, 'id', 'cán bộ / staff member')
    await updateStaff(db, id, body, user.id)
    return (await withPersonalIds(await listStaffViews(db, { id })))[0] ?? { id, active: false }
  })

  route(
    app,
    {
      method: 'post',
      path: '/api/staff/import',
      summary: 'Import staff from CSV or XLSX (raw body or multipart field "file"; columns username, fullName, unitCode, positionCode, roles, email, personalId): all rows or none; ?dryRun=true previews the errors per row',
      tag: 'org',
      roles: ['admin'],
      status: 201,
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    },
    async ({ c, user, query }) => {
      const bytes = await uploadedBytes(c.req.raw)
      if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ApiError(400, 'BAD_REQUEST', 'Tệp quá lớn (tối đa 2 MB).', 'File too large (2 MB max).')
      const rows = await readTable(bytes)
      if (!rows.length) throw new ApiError(400, 'BAD_REQUEST', 'Tệp không có dòng dữ liệu nào.', 'The file has no data rows.')
      if (query.dryRun === 'true') {
        const { errors, parsed } = await checkStaff(db, rows.map(staffFromCsvRow))
        return c.json({ dryRun: true, rows: rows.length, valid: rows.length - new Set(errors.map((e) => e.row)).size, errors, preview: parsed.slice(0, 200).map(({ password: _p, ...p }) => p) }, 200)
      }
      const created = await createStaff(db, rows.map(staffFromCsvRow), user.id)
      return { created: created.length, accounts: created }
    },
  )
}


/** The upload's bytes: the raw body, or the "file" field of a multipart form (browser upload). */
async function uploadedBytes(req: Request): Promise<Uint8Array> {
  if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const file = (await req.formData()).get('file')
    if (!(file instanceof File)) throw new ApiError(400, 'BAD_REQUEST', 'Thiếu tệp (trường "file").', 'Missing the "file" field.')
    return new Uint8Array(await file.arrayBuffer())
  }
  return new Uint8Array(await req.arrayBuffer())
}
