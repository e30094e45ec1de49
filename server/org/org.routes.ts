import { z } from '@hono/zod-openapi'
import { sql } from 'kysely'
import { ApiError } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { listStaffViews, listUnits } from './org.repo.js'
import { checkStaff, createStaff, createUnits, staffFromCsvRow, staffInput, staffUpdate, unitInput, updateStaff } from './org.service.js'
import { readTable } from './spreadsheet.js'

const MAX_IMPORT_BYTES = 2_000_000
const tags = ['org']
const count = z.number().int()

/** A unit as `GET /api/units` lists it (the tree as a flat list: parentId). */
export const Unit = z
  .object({ id: count, code: z.string(), name: z.string(), parentId: count.nullable(), headId: count.nullable(), headName: z.string().nullable() })
  .openapi('Unit')

/** An active staff member as `GET /api/staff` lists them. */
export const Staff = z
  .object({
    id: count,
    username: z.string(),
    fullName: z.string(),
    email: z.string().nullable(),
    unitId: count.nullable(),
    unitName: z.string().nullable(),
    positionCode: z.string().nullable(),
    roles: z.array(z.string()),
    scopeUnitIds: z.array(count),
    personalId: z.string().nullable().optional().openapi({ description: 'Số định danh cá nhân (12 digits): shown to admins only' }),
  })
  .openapi('Staff')

/** An account created with no password given: the generated one, shown once. */
const createdAccount = z.object({ id: count, username: z.string(), password: z.string().optional() })

const listUnitsRoute = defineRoute({
  method: 'get',
  path: '/api/units',
  tags,
  summary: 'Units (tree as a flat list with parentId), by id; keyset pages (?after=&limit=, Link: rel="next")',
  request: { query: z.object({ ...pageQuery }) },
  responses: { 200: jsonAnswer(z.array(Unit), 'One page (Link: <…>; rel="next" when there is more)') },
})

const createUnitRoute = defineRoute({
  method: 'post',
  path: '/api/units',
  tags,
  summary: 'Create a unit',
  roles: ['admin'],
  request: { body: jsonBody(unitInput) },
  responses: { 201: jsonAnswer(Unit, 'Created') },
})

const listStaffRoute = defineRoute({
  method: 'get',
  path: '/api/staff',
  tags,
  summary: 'Active staff by id (personal IDs for admins only); ?q= part of the name or username, ?unitId=; keyset pages (?after=&limit=, Link: rel="next")',
  roles: ['admin', 'leader', 'unit_head'],
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).optional().openapi({ description: 'part of the full name or username, case-insensitive' }),
      unitId: dbIdQuery.optional(),
      ...pageQuery,
    }),
  },
  responses: { 200: jsonAnswer(z.array(Staff), 'One page (Link: <…>; rel="next" when there is more)') },
})

const createStaffRoute = defineRoute({
  method: 'post',
  path: '/api/staff',
  tags,
  summary: 'Create a staff account (password generated when omitted)',
  roles: ['admin'],
  request: { body: jsonBody(staffInput) },
  responses: { 201: jsonAnswer(Staff.extend({ password: z.string().optional().openapi({ description: 'the generated password, shown once' }) }), 'Created') },
})

const updateStaffRoute = defineRoute({
  method: 'patch',
  path: '/api/staff/{id}',
  tags,
  summary: 'Edit a staff account: name, unit, position, roles, leadership scope, active, personal ID (12 digits, unique)',
  roles: ['admin'],
  request: { params: z.object({ id: idPath }), body: jsonBody(staffUpdate) },
  responses: { 200: jsonAnswer(z.union([Staff, z.object({ id: count, active: z.literal(false) }).openapi({ description: 'deactivated' })]), 'Edited') },
})

const importStaffRoute = defineRoute({
  method: 'post',
  path: '/api/staff/import',
  tags,
  summary: 'Import staff from CSV or XLSX (raw body or multipart field "file"; columns username, fullName, unitCode, positionCode, roles, email, personalId): all rows or none; ?dryRun=true previews the errors per row',
  description: 'The body is the file itself (text/csv, an XLSX workbook, or multipart/form-data with the field "file"), at most 2 MB; it is read by the route, not as JSON.',
  roles: ['admin'],
  request: { query: z.object({ dryRun: z.enum(['true', 'false']).optional() }) },
  responses: {
    201: jsonAnswer(z.object({ created: count, accounts: z.array(createdAccount) }), 'Every row created'),
    200: jsonAnswer(
      z.object({
        dryRun: z.literal(true),
        rows: count,
        valid: count.openapi({ description: 'rows without an error' }),
        errors: z.array(z.object({ row: count, path: z.string(), message: z.string() })),
        preview: z.array(staffInput.omit({ password: true })).openapi({ description: 'the first 200 rows as they would be created' }),
      }),
      'The preview (?dryRun=true): nothing written',
    ),
  },
})

/** The organisation: units and staff accounts (create, edit, import from CSV/XLSX). */
export function orgRoutes({ db }: AppDeps) {
  /** Personal IDs are shown to admins only (they manage them); other readers never see them. */
  const withPersonalIds = async <T extends { id: number }>(views: T[]): Promise<(T & { personalId: string | null })[]> => {
    const ids = views.map((v) => v.id)
    const rows = ids.length ? await db.selectFrom('staff').select(['id', 'personal_id']).where(sql<boolean>`id = any(${ids}::int[])`).execute() : []
    const byId = new Map(rows.map((r) => [r.id, r.personal_id]))
    return views.map((v) => ({ ...v, personalId: byId.get(v.id) ?? null }))
  }

  return featureApp()
    .openapi(listUnitsRoute, async (c) => {
      const query = c.req.valid('query')
      return c.json(page(c, await listUnits(db, { ...(query.after !== undefined ? { after: query.after } : {}), limit: query.limit + 1 }), query.limit), 200)
    })
    .openapi(createUnitRoute, async (c) => {
      const [id] = await createUnits(db, [c.req.valid('json')], c.get('user').id)
      return c.json((await listUnits(db, { id: id! }))[0]!, 201)
    })
    .openapi(listStaffRoute, async (c) => {
      const query = c.req.valid('query')
      const views = page(c, await listStaffViews(db, { ...query, limit: query.limit + 1 }), query.limit)
      return c.json(c.get('user').roles.includes('admin') ? await withPersonalIds(views) : views, 200)
    })
    .openapi(createStaffRoute, async (c) => {
      const [created] = await createStaff(db, [c.req.valid('json')], c.get('user').id)
      const [view] = await withPersonalIds(await listStaffViews(db, { id: created!.id }))
      return c.json({ ...view!, ...(created!.password ? { password: created!.password } : {}) }, 201)
    })
    .openapi(updateStaffRoute, async (c) => {
      const id = idParam(c.req.valid('param'), 'id', 'cán bộ / staff member')
      await updateStaff(db, id, c.req.valid('json'), c.get('user').id)
      const [view] = await withPersonalIds(await listStaffViews(db, { id }))
      return c.json(view ?? { id, active: false as const }, 200)
    })
    .openapi(importStaffRoute, async (c) => {
      const bytes = await uploadedBytes(c.req.raw)
      if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ApiError(400, 'BAD_REQUEST', 'Tệp quá lớn (tối đa 2 MB).', 'File too large (2 MB max).')
      const rows = await readTable(bytes)
      if (!rows.length) throw new ApiError(400, 'BAD_REQUEST', 'Tệp không có dòng dữ liệu nào.', 'The file has no data rows.')
      if (c.req.valid('query').dryRun === 'true') {
        const { errors, parsed } = await checkStaff(db, rows.map(staffFromCsvRow))
        return c.json({ dryRun: true as const, rows: rows.length, valid: rows.length - new Set(errors.map((e) => e.row)).size, errors, preview: parsed.slice(0, 200).map(({ password: _p, ...p }) => p) }, 200)
      }
      const created = await createStaff(db, rows.map(staffFromCsvRow), c.get('user').id)
      return c.json({ created: created.length, accounts: created }, 201)
    })
}

/** The organisation's routes, as the typed client sees them. */
export type OrgApi = ReturnType<typeof orgRoutes>

/** The upload's bytes: the raw body, or the "file" field of a multipart form (browser upload). */
async function uploadedBytes(req: Request): Promise<Uint8Array> {
  if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const file = (await req.formData()).get('file')
    if (!(file instanceof File)) throw new ApiError(400, 'BAD_REQUEST', 'Thiếu tệp (trường "file").', 'Missing the "file" field.')
    return new Uint8Array(await file.arrayBuffer())
  }
  return new Uint8Array(await req.arrayBuffer())
}
