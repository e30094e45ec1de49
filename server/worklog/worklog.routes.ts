import { z } from '@hono/zod-openapi'
import { csvAnswer } from '../http/csv-answer.js'
import { xlsxAnswer, XLSX_TYPE } from '../http/xlsx-answer.js'
import type { TypedResponse } from 'hono'
import { sql } from 'kysely'
import { ApiError, forbidden, notFound } from '../errors.js'
import type { AppDeps, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { readTable } from '../org/spreadsheet.js'
import { addProductVersions, catalogueOn, isoDate, productFromRow, productInput } from './catalogue.repo.js'
import { canRead, workLogAccess } from './work-items.access.js'
import type { WorkItemView } from './work-items.repo.js'
import { confirmInput, createInput, createWorkItem, decideWorkItem, extendInput, reasonInput, updateInput, updateWorkItem } from './work-items.service.js'
import { isLate } from './worklog.figures.js'
import { MyDay, Product, StaffSummary, UnitBoard, UnitMonth, WorkItem } from './worklog.schemas.js'
import { hoursLogged, staffSummary, unitMonthJson } from './worklog.summary.js'

const today = () => new Date().toISOString().slice(0, 10)
const byId = { params: z.object({ id: idPath }) }
const added = z.object({ added: z.number().int().openapi({ description: 'product versions written' }) })

const catalogueRoute = defineRoute({
  method: 'get',
  path: '/api/catalogue',
  tags: ['worklog'],
  summary: 'The product catalogue as it stands on a date (?on=, ?positionCode=)',
  request: { query: z.object({ on: isoDate.optional(), positionCode: z.string().max(20).optional() }) },
  responses: { 200: jsonAnswer(z.array(Product), 'The products') },
})

const addProductsRoute = defineRoute({
  method: 'post',
  path: '/api/catalogue',
  tags: ['worklog'],
  summary: 'Add product versions (applying from validFrom), all or none',
  roles: ['admin'],
  request: { body: jsonBody(z.object({ products: z.array(productInput).min(1).max(2000) })) },
  responses: { 201: jsonAnswer(added, 'Added') },
})

// The file is read as it comes (CSV or XLSX), so the body is not declared: declaring it would read it as JSON.
const importRoute = defineRoute({
  method: 'post',
  path: '/api/catalogue/import',
  tags: ['worklog'],
  summary: 'Import the catalogue from CSV or XLSX (columns code, name, unit, k, normHours, group, positions), applying from ?validFrom=',
  description: 'The body is the file itself (text/csv or the XLSX bytes); all rows or none are written.',
  roles: ['admin'],
  request: { query: z.object({ validFrom: isoDate }) },
  responses: { 201: jsonAnswer(added, 'Added') },
})

const exportRoute = defineRoute({
  method: 'get',
  path: '/api/catalogue/export',
  tags: ['worklog'],
  summary: 'The catalogue on a date as CSV or XLSX (?format=csv|xlsx)',
  request: { query: z.object({ on: isoDate.optional(), format: z.enum(['csv', 'xlsx']).default('csv') }) },
  responses: {
    200: {
      description: 'The file (Content-Disposition: attachment)',
      content: { 'text/csv': { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
})

const listItemsRoute = defineRoute({
  method: 'get',
  path: '/api/work-items',
  tags: ['worklog'],
  summary: 'Work items visible to the user (own, units headed, leadership scope), by due day then id; keyset pages (?after=<work item id>&limit=, Link: rel="next")',
  request: {
    query: z.object({ staffId: dbIdQuery.optional(), unitId: dbIdQuery.optional(), from: isoDate.optional(), to: isoDate.optional(), status: z.enum(['PROPOSED', 'OPEN', 'DONE', 'CONFIRMED', 'REJECTED']).optional(), ...pageQuery }),
  },
  responses: { 200: jsonAnswer(z.array(WorkItem), 'One page (Link: <…>; rel="next" when there is more)') },
})

const createItemRoute = defineRoute({
  method: 'post',
  path: '/api/work-items',
  tags: ['worklog'],
  summary: 'Record a work item: assigned by the unit head, planned or arising (needs acceptance) by the staff member',
  request: { body: jsonBody(createInput) },
  responses: { 201: jsonAnswer(WorkItem, 'Recorded') },
})

const updateItemRoute = defineRoute({
  method: 'patch',
  path: '/api/work-items/{id}',
  tags: ['worklog'],
  summary: 'Progress (hours, quantity so far) or completion, by the assignee',
  request: { ...byId, body: jsonBody(updateInput) },
  responses: { 200: jsonAnswer(WorkItem, 'Updated') },
})

const confirmRoute = defineRoute({
  method: 'post',
  path: '/api/work-items/{id}/confirm',
  tags: ['worklog'],
  summary: 'The unit head confirms completion, recording quality failures with reasons',
  request: { ...byId, body: jsonBody(confirmInput) },
  responses: { 200: jsonAnswer(WorkItem, 'Confirmed') },
})

const acceptRoute = defineRoute({
  method: 'post',
  path: '/api/work-items/{id}/accept',
  tags: ['worklog'],
  summary: 'The unit head accepts an arising task',
  request: byId,
  responses: { 200: jsonAnswer(WorkItem, 'Accepted') },
})

const rejectRoute = defineRoute({
  method: 'post',
  path: '/api/work-items/{id}/reject',
  tags: ['worklog'],
  summary: 'The unit head rejects an arising task, with a reason',
  request: { ...byId, body: jsonBody(reasonInput) },
  responses: { 200: jsonAnswer(WorkItem, 'Rejected') },
})

const extendRoute = defineRoute({
  method: 'post',
  path: '/api/work-items/{id}/extend',
  tags: ['worklog'],
  summary: 'The unit head extends a deadline, with a reason (audited)',
  request: { ...byId, body: jsonBody(extendInput) },
  responses: { 200: jsonAnswer(WorkItem, 'Extended') },
})

const summaryRoute = defineRoute({
  method: 'get',
  path: '/api/work-items/summary',
  tags: ['worklog'],
  summary: "A staff member's period: per product assigned, done, quality failures, delays; a, b, c; hours vs the 8-hour day",
  request: { query: z.object({ from: isoDate, to: isoDate, staffId: dbIdQuery.optional() }).refine((v) => v.from <= v.to, { message: 'from ≤ to', path: ['to'] }) },
  responses: { 200: jsonAnswer(StaffSummary, 'The period') },
})

const boardRoute = defineRoute({
  method: 'get',
  path: '/api/work-items/board',
  tags: ['worklog'],
  summary: "The unit head's board: who is late, what waits for confirmation or acceptance",
  request: { query: z.object({ unitId: dbIdQuery, date: isoDate.optional() }) },
  responses: { 200: jsonAnswer(UnitBoard, 'Most late first') },
})

const unitMonthRoute = defineRoute({
  method: 'get',
  path: '/api/work-items/unit-summary',
  tags: ['worklog'],
  summary: 'The month of a unit (or of all units for admins): per staff member the figures, a, b, c and hours',
  request: { query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'yyyy-MM'), unitId: dbIdQuery.optional() }) },
  responses: { 200: jsonAnswer(UnitMonth, 'The month') },
})

const myDayRoute = defineRoute({
  method: 'get',
  path: '/api/work-items/my-day',
  tags: ['worklog'],
  summary: 'My day: items due today, overdue items, proposals awaiting acceptance, hours logged today',
  request: { query: z.object({ date: isoDate.optional() }) },
  responses: { 200: jsonAnswer(MyDay, 'My day') },
})

/**
 * The work log: the product catalogue (versions, import and export), work items from assignment to
 * confirmation, and the figures each person, unit head and leader reads from them.
 */
export function worklogRoutes({ db }: AppDeps) {
  const itemQuery = () =>
    db.selectFrom('work_items as w').innerJoin('staff as s', 's.id', 'w.staff_id').innerJoin('catalogue_products as p', 'p.id', 'w.product_id').selectAll('w').select(['s.full_name', 'p.name as product_name', 'p.k'])
  const reloaded = async (row: { id: number }) => view(await itemQuery().where('w.id', '=', row.id).executeTakeFirstOrThrow())
  const itemId = (params: Record<string, string>) => idParam(params, 'id', 'công việc / work item')

  /** Own data, or a unit the user heads or oversees. */
  async function requireRead(user: SessionUser, staffId: number): Promise<void> {
    if (staffId === user.id) return
    const staff = await db.selectFrom('staff').select(['id', 'unit_id']).where('id', '=', staffId).executeTakeFirst()
    if (!staff) throw notFound('cán bộ / staff member', staffId)
    if (!canRead(await workLogAccess(db, user), user, { staff_id: staffId, unit_id: staff.unit_id ?? -1 })) throw forbidden('Bạn không xem được nhật ký công việc của người này.', "You may not see this person's work log.")
  }

  return featureApp()
    .openapi(catalogueRoute, async (c) => {
      const query = c.req.valid('query')
      return c.json(await catalogueOn(db, query.on ?? today(), query.positionCode), 200)
    })
    .openapi(addProductsRoute, async (c) => c.json({ added: await addProductVersions(db, c.req.valid('json').products, c.get('user').id) }, 201))
    .openapi(importRoute, async (c) => {
      const query = c.req.valid('query')
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
      return c.json({ added: await addProductVersions(db, products, c.get('user').id) }, 201)
    })
    .openapi(exportRoute, async (c) => {
      const query = c.req.valid('query')
      const products = await catalogueOn(db, query.on ?? today())
      const header = ['code', 'name', 'unit', 'k', 'normHours', 'group', 'positions']
      const rows = products.map((p) => [p.code, p.name, p.unit, p.k, p.normHours, p.group, p.positions.join(';')])
      if (query.format === 'xlsx') {
        return xlsxAnswer(c, 'danh-muc-san-pham', { name: 'Danh mục sản phẩm', header, rows })
      }
      return csvAnswer(c, 'danh-muc-san-pham', [header, ...rows])
    })
    .openapi(listItemsRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
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
      return c.json(page(c, await q.limit(query.limit + 1).execute(), query.limit).map(view), 200)
    })
    .openapi(createItemRoute, async (c) => c.json(view(await createWorkItem(db, c.get('user'), c.req.valid('json'))), 201))
    .openapi(updateItemRoute, async (c) => c.json(await reloaded(await updateWorkItem(db, c.get('user'), itemId(c.req.valid('param')), c.req.valid('json'))), 200))
    .openapi(confirmRoute, async (c) => c.json(await reloaded(await decideWorkItem(db, c.get('user'), itemId(c.req.valid('param')), { kind: 'confirm', failures: c.req.valid('json').qualityFailures })), 200))
    .openapi(acceptRoute, async (c) => c.json(await reloaded(await decideWorkItem(db, c.get('user'), itemId(c.req.valid('param')), { kind: 'accept' })), 200))
    .openapi(rejectRoute, async (c) => c.json(await reloaded(await decideWorkItem(db, c.get('user'), itemId(c.req.valid('param')), { kind: 'reject', reason: c.req.valid('json').reason })), 200))
    .openapi(extendRoute, async (c) => {
      const body = c.req.valid('json')
      return c.json(await reloaded(await decideWorkItem(db, c.get('user'), itemId(c.req.valid('param')), { kind: 'extend', until: body.until, reason: body.reason })), 200)
    })
    .openapi(summaryRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const staffId = query.staffId ?? user.id
      await requireRead(user, staffId)
      return c.json(await staffSummary(db, staffId, query.from, query.to), 200)
    })
    .openapi(boardRoute, async (c) => {
      const query = c.req.valid('query')
      const access = await workLogAccess(db, c.get('user'))
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
      return c.json({ unitId: query.unitId, date, staff: [...board.values()].sort((a, b) => b.late - a.late || a.fullName.localeCompare(b.fullName, 'vi')) }, 200)
    })
    .openapi(unitMonthRoute, async (c) => {
      const query = c.req.valid('query')
      const access = await workLogAccess(db, c.get('user'))
      const [y, m] = query.month.split('-').map(Number) as [number, number]
      const from = `${query.month}-01`
      const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
      let unitIds: number[]
      if (query.unitId) {
        if (!(access.reads === 'all' || access.reads.has(query.unitId))) throw forbidden('Bạn không quản lý đơn vị này.', 'You do not manage this unit.')
        unitIds = [query.unitId]
      } else if (access.reads === 'all') unitIds = (await db.selectFrom('units').select('id').execute()).map((u) => u.id)
      else unitIds = [...access.reads]
      // The JSON c.json would send, made batch by batch while the database sums the next (unitMonthJson).
      const json = await unitMonthJson(db, query.month, unitIds, from, to)
      return c.body(json, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<z.infer<typeof UnitMonth>, 200, 'json'>
    })
    .openapi(myDayRoute, async (c) => {
      const user = c.get('user')
      const date = c.req.valid('query').date ?? today()
      const open = (await itemQuery().where('w.staff_id', '=', user.id).where('w.status', 'in', ['PROPOSED', 'OPEN']).orderBy('w.due_on').execute()).map(view)
      const logged = (await hoursLogged(db, { staffIds: [user.id] }, date, date)).get(user.id) ?? 0
      const effectiveDue = (i: (typeof open)[number]) => i.extendedTo ?? i.dueOn
      return c.json(
        {
          date,
          dueToday: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) === date),
          overdue: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) < date),
          upcoming: open.filter((i) => i.status === 'OPEN' && effectiveDue(i) > date),
          awaitingAcceptance: open.filter((i) => i.status === 'PROPOSED'),
          hours: { logged, expected: 8 },
        },
        200,
      )
    })
}

/** A work item as the API answers it. */
function view(r: WorkItemView & { source_system_id?: number | null; external_id?: string | null }) {
  return {
    id: r.id,
    staffId: r.staff_id,
    fullName: r.full_name,
    unitId: r.unit_id,
    productCode: r.product_code,
    productName: r.product_name,
    k: r.k,
    title: r.title,
    kind: r.kind,
    status: r.status,
    quantity: r.quantity,
    doneQuantity: r.done_quantity,
    assignedOn: r.assigned_on,
    dueOn: r.due_on,
    extendedTo: r.extended_to,
    completedOn: r.completed_on,
    hours: r.hours,
    qualityFailures: r.quality_failures,
    version: r.version,
    /** Set for an item a connected system (e-Office) sent: read-only for the staff member. */
    sourceSystemId: r.source_system_id ?? null,
    externalId: r.external_id ?? null,
  }
}

/** The work log's routes, as the typed client sees them. */
export type WorklogApi = ReturnType<typeof worklogRoutes>
