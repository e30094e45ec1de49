import ExcelJS from 'exceljs'
import type { Hono } from 'hono'
import { sql } from 'kysely'
import { z } from 'zod'
import { ApiError, forbidden, notFound } from '../errors.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { readTable } from '../org/spreadsheet.js'
import { addProductVersions, catalogueOn, isoDate, productFromRow, productInput } from '../worklog/catalogue.repo.js'
import { canRead, workLogAccess } from '../worklog/work-items.access.js'
import { confirmInput, createInput, createWorkItem, decideWorkItem, extendInput, reasonInput, updateInput, updateWorkItem } from '../worklog/work-items.service.js'
import { isLate } from '../worklog/worklog.figures.js'
import { hoursLogged, staffSummary, unitSummary } from '../worklog/worklog.summary.js'
import { toCsv } from '../org/csv.js'

const today = () => new Date().toISOString().slice(0, 10)
const period = z.object({ from: isoDate, to: isoDate }).refine((v) => v.from <= v.to, { message: 'from ≤ to', path: ['to'] })

export function worklogRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  route(app, { method: 'get', path: '/api/catalogue', summary: 'The product catalogue as it stands on a date (?on=, ?positionCode=)', tag: 'worklog', query: z.object({ on: isoDate.optional(), positionCode: z.string().max(20).optional() }) }, async ({ query }) =>
    catalogueOn(db, query.on ?? today(), query.positionCode),
  )

  route(app, { method: 'post', path: '/api/catalogue', summary: 'Add product versions (applying from validFrom), all or none', tag: 'worklog', roles: ['admin'], body: z.object({ products: z.array(productInput).min(1).max(2000) }), status: 201 }, async ({ body, user }) => ({
    added: await addProductVersions(db, body.products, user.id),
  }))

  route(
    app,
    { method: 'post', path: '/api/catalogue/import', summary: 'Import the catalogue from CSV or XLSX (columns code, name, unit, k, normHours, group, positions), applying from ?validFrom=', tag: 'worklog', roles: ['admin'], query: z.object({ validFrom: isoDate }), status: 201 },
    async ({ c, query, user }) => {
      const rows = await readTable(new Uint8Array(await c.req.raw.arrayBuffer()))
      if (!rows.length) throw new ApiError(400, 'BAD_REQUEST', 'Tệp không có dòng dữ liệu nào.', 'The file has no data rows.')
      const errors: { row: number; path: string; message: string }[] = []
      const products = rows.flatMap((r, i) => {
        const parsed = productInput.safeParse(productFromRow(r, query.validFrom))
        if (parsed.success) return [parsed.data]
        for (const issue of parsed.error.issues) errors.push({ row: i + 1, path: issue.path.join('.'), message: issue.message })
        return []
      })
      if (errors.length) {
        const list = errors.slice(0, 20).map((e) => `dòng/row ${e.row} ${e.path}: ${e.message}`).join('; ')
        throw new ApiError(400, 'VALIDATION_FAILED', `Danh mục không hợp lệ, chưa ghi gì: ${list}`, `Invalid catalogue, nothing written: ${list}`, errors)
      }
      return { added: await addProductVersions(db, products, user.id) }
    },
  )

  route(app, { method: 'get', path: '/api/catalogue/export', summary: 'The catalogue on a date as CSV or XLSX (?format=csv|xlsx)', tag: 'worklog', query: z.object({ on: isoDate.optional(), format: z.enum(['csv', 'xlsx']).default('csv') }) }, async ({ c, query }) => {
    const products = await catalogueOn(db, query.on ?? today())
    const header = ['code', 'name', 'unit', 'k', 'normHours', 'group', 'positions']
    const rows = products.map((p) => [p.code, p.name, p.unit, p.k, p.normHours, p.group, p.positions.join(';')])
    if (query.format === 'xlsx') {
      const wb = new ExcelJS.Workbook()
      const sheet = wb.addWorksheet('Danh mục sản phẩm')
      sheet.addRow(header)
      for (const r of rows) sheet.addRow(r)
      const buffer = await wb.xlsx.writeBuffer()
      return c.body(new Uint8Array(buffer), 200, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': 'attachment; filename="danh-muc-san-pham.xlsx"' })
    }
    const csv = toCsv([header, ...rows])
    return c.body(`\uFEFF${csv}\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="danh-muc-san-pham.csv"' })
  })

  const itemQuery = () =>
    db.selectFrom('work_items as w').innerJoin('staff as s', 's.id', 'w.staff_id').innerJoin('catalogue_products as p', 'p.id', 'w.product_id').selectAll('w').select(['s.full_name', 'p.name as product_name', 'p.k'])
  const reloaded = async (row: { id: number }) => view(await itemQuery().where('w.id', '=', row.id).executeTakeFirstOrThrow())

  route(
    app,
    {
      method: 'get',
      path: '/api/work-items',
      summary: 'Work items visible to the user (own, units headed, leadership scope), by due day then id; keyset pages (?after=<work item id>&limit=, Link: rel="next")',
      tag: 'worklog',
      query: z.object({ staffId: dbIdQuery.optional(), unitId: dbIdQuery.optional(), from: isoDate.optional(), to: isoDate.optional(), status: z.enum(['PROPOSED', 'OPEN', 'DONE', 'CONFIRMED', 'REJECTED']).optional(), ...pageQuery }),
    },
    async ({ c, user, query }) => {
      const access = await workLogAccess(db, user)
      let q = itemQuery().orderBy('w.due_on').orderBy('w.id')
      if (access.reads !== 'all') {
        const units = [...access.reads]
        q = q.where((eb) => eb.or([eb('w.staff_id', '=', user.id), ...(units.length ? [eb(sql<boolean>`w.unit_id = any(${units}::int[])`, '=', true)] : [])]))
      }
      if (query.staffId) q = q.where('w.staff_id', '=', query.staffId)
      if (query.unitId) q = q.where('w.unit_id', '=', query.unitId)
      if (query.from) q = q.where('w.due_on', '>=', query.from)
      if (query.to) q = q.where('w.due_on', '<=', query.to)
      if (query.status) q = q.where('w.status', '=', query.status)
      if (query.after !== undefined) q = q.where(sql<boolean>`(w.due_on, w.id) > (select due_on, id from work_items where id = ${query.after})`)
      return page(c, await q.limit(query.limit + 1).execute(), query.limit).map(view)
    },
  )

  route(app, { method: 'post', path: '/api/work-items', summary: 'Record a work item: assigned by the unit head, planned or arising (needs acceptance) by the staff member', tag: 'worklog', body: createInput, status: 201 }, async ({ user, body }) =>
    view(await createWorkItem(db, user, body)),
  )

  route(app, { method: 'patch', path: '/api/work-items/:id', summary: 'Progress (hours, quantity so far) or completion, by the assignee', tag: 'worklog', body: updateInput }, async ({ user, params, body }) =>
    reloaded(await updateWorkItem(db, user, idParam(params, 'id', 'công việc / work item'), body)),
  )

  route(app, { method: 'post', path: '/api/work-items/:id/confirm', summary: 'The unit head confirms completion, recording quality failures with reasons', tag: 'worklog', body: confirmInput }, async ({ user, params, body }) =>
    reloaded(await decideWorkItem(db, user, idParam(params, 'id', 'công việc / work item'), { kind: 'confirm', failures: body.qualityFailures })),
  )
  route(app, { method: 'post', path: '/api/work-items/:id/accept', summary: 'The unit head accepts an arising task', tag: 'worklog' }, async ({ user, params }) =>
    reloaded(await decideWorkItem(db, user, idParam(params, 'id', 'công việc / work item'), { kind: 'accept' })),
  )
  route(app, { method: 'post', path: '/api/work-items/:id/reject', summary: 'The unit head rejects an arising task, with a reason', tag: 'worklog', body: reasonInput }, async ({ user, params, body }) =>
    reloaded(await decideWorkItem(db, user, idParam(params, 'id', 'công việc / work item'), { kind: 'reject', reason: body.reason })),
  )
  route(app, { method: 'post', path: '/api/work-items/:id/extend', summary: 'The unit head extends a deadline, with a reason (audited)', tag: 'worklog', body: extendInput }, async ({ user, params, body }) =>
    reloaded(await decideWorkItem(db, user, idParam(params, 'id', 'công việc / work item'), { kind: 'extend', until: body.until, reason: body.reason })),
  )

  route(app, { method: 'get', path: '/api/work-items/summary', summary: "A staff member's period: per product assigned, done, quality failures, delays; a, b, c; hours vs the 8-hour day", tag: 'worklog', query: period.and(z.object({ staffId: dbIdQuery.optional() })) }, async ({ user, query }) => {
    const staffId = query.staffId ?? user.id
    await requireRead(user, staffId)
    return staffSummary(db, staffId, query.from, query.to)
  })

  route(app, { method: 'get', path: '/api/work-items/board', summary: "The unit head's board: who is late, what waits for confirmation or acceptance", tag: 'worklog', query: z.object({ unitId: dbIdQuery, date: isoDate.optional() }) }, async ({ user, query }) => {
    const access = await workLogAccess(db, user)
    if (!(access.reads === 'all' || access.reads.has(query.unitId))) throw forbidden('Bạn không quản lý đơn vị này.', 'You do not manage this unit.')
    const date = query.date ?? today()
    const rows = await db.selectFrom('work_items as w').innerJoin('staff as s', 's.id', 'w.staff_id').select(['w.staff_id', 's.full_name', 'w.status', 'w.due_on', 'w.extended_to', 'w.completed_on']).where('w.unit_id', '=', query.unitId).where('w.status', 'in', ['PROPOSED', 'OPEN', 'DONE']).execute()
    const board = new Map<number, { staffId: number; fullName: string; late: number; awaitingConfirmation: number; awaitingAcceptance: number; dueToday: number }>()
    for (const r of rows) {
      const b = board.get(r.staff_id) ?? { staffId: r.staff_id, fullName: r.full_name, late: 0, awaitingConfirmation: 0, awaitingAcceptance: 0, dueToday: 0 }
      if (r.status === 'OPEN' && isLate({ dueOn: r.due_on, extendedTo: r.extended_to, completedOn: null }, date)) b.late++
      if (r.status === 'OPEN' && (r.extended_to ?? r.due_on) === date) b.dueToday++
      if (r.status === 'DONE') b.awaitingConfirmation++
      if (r.status === 'PROPOSED') b.awaitingAcceptance++
      board.set(r.staff_id, b)
    }
    return { unitId: query.unitId, date, staff: [...board.values()].sort((a, b) => b.late - a.late || a.fullName.localeCompare(b.fullName, 'vi')) }
  })

  route(
    app,
    { method: 'get', path: '/api/work-items/unit-summary', summary: 'The month of a unit (or of all units for admins): per staff member the figures, a, b, c and hours', tag: 'worklog', query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'yyyy-MM'), unitId: dbIdQuery.optional() }) },
    async ({ user, query }) => {
      const access = await workLogAccess(db, user)
      const [y, m] = query.month.split('-').map(Number) as [number, number]
      const from = `${query.month}-01`
      const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
      let unitIds: number[]
      if (query.unitId) {
        if (!(access.reads === 'all' || access.reads.has(query.unitId))) throw forbidden('Bạn không quản lý đơn vị này.', 'You do not manage this unit.')
        unitIds = [query.unitId]
      } else if (access.reads === 'all') unitIds = (await db.selectFrom('units').select('id').execute()).map((u) => u.id)
      else unitIds = [...access.reads]
      return { month: query.month, from, to, staff: await unitSummary(db, unitIds, from, to) }
    },
  )

  route(app, { method: 'get', path: '/api/work-items/my-day', summary: 'My day: items due today, overdue items, proposals awaiting acceptance, hours logged today', tag: 'worklog', query: z.object({ date: isoDate.optional() }) }, async ({ user, query }) => {
    const date = query.date ?? today()
    const open = (await itemQuery().where('w.staff_id', '=', user.id).where('w.status', 'in', ['PROPOSED', 'OPEN']).orderBy('w.due_on').execute()).map(view)
    const logged = (await hoursLogged(db, { staffIds: [user.id] }, date, date)).get(user.id) ?? 0
    const effectiveDue = (i: (typeof open)[number]) => (i.extendedTo ?? i.dueOn) as string
    return {
      date,
      dueToday: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) === date),
      overdue: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) < date),
      upcoming: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) > date),
      awaitingAcceptance: open.filter((i) => i.status === 'PROPOSED'),
      hours: { logged, expected: 8 },
    }
  })

  /** Own data, or a unit the user heads or oversees. */
  async function requireRead(user: SessionUser, staffId: number): Promise<void> {
    if (staffId === user.id) return
    const staff = await db.selectFrom('staff').select(['id', 'unit_id']).where('id', '=', staffId).executeTakeFirst()
    if (!staff) throw notFound('cán bộ / staff member', staffId)
    if (!canRead(await workLogAccess(db, user), user, { staff_id: staffId, unit_id: staff.unit_id ?? -1 })) throw forbidden('Bạn không xem được nhật ký công việc của người này.', "You may not see this person's work log.")
  }
}

function view(r: Record<string, unknown> & { id: number }) {
  return {
    id: r.id,
    staffId: r['staff_id'],
    fullName: r['full_name'],
    unitId: r['unit_id'],
    productCode: r['product_code'],
    productName: r['product_name'],
    k: r['k'],
    title: r['title'],
    kind: r['kind'],
    status: r['status'],
    quantity: r['quantity'],
    doneQuantity: r['done_quantity'],
    assignedOn: r['assigned_on'],
    dueOn: r['due_on'],
    extendedTo: r['extended_to'],
    completedOn: r['completed_on'],
    hours: r['hours'],
    qualityFailures: r['quality_failures'],
    version: r['version'],
    /** Set for an item a connected system (e-Office) sent: read-only for the staff member. */
    sourceSystemId: r['source_system_id'] ?? null,
    externalId: r['external_id'] ?? null,
  }
}
