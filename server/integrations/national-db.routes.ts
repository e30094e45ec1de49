import { z } from '@hono/zod-openapi'
import { csvAnswer } from '../http/csv-answer.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { isoDate } from '../worklog/catalogue.repo.js'
import { NationalDbExport, recordStatus, SyncStatus } from './integrations.schemas.js'
import { EXPORT_COLUMNS } from './national-db.mapping.js'
import { checkSendable, setDecision, syncStatus } from './national-db.repo.js'
import { startNationalDbSync } from './national-db.start.js'

const tags = ['integrations']
const admin = ['admin']
const cycleQuery = z.object({ cycleId: dbIdQuery })

const decisionRoute = defineRoute({
  method: 'put',
  path: '/api/integrations/national-db/decision',
  tags,
  summary: "The decision recognising a cycle's results (number, date), required before sending; fixed once sending started",
  roles: admin,
  request: { body: jsonBody(z.object({ cycleId: dbId, number: z.string().trim().min(1).max(100), date: isoDate })) },
  responses: { 200: jsonAnswer(SyncStatus, 'The delivery, with the decision') },
})

const sendRoute = defineRoute({
  method: 'post',
  path: '/api/integrations/national-db/send',
  tags,
  summary: "Send a classified cycle's results to the national database (idempotent: workflow national-db:<cycleId>; again after corrections sends only what is pending)",
  roles: admin,
  request: { body: jsonBody(z.object({ cycleId: dbId })) },
  responses: { 200: jsonAnswer(z.object({ workflowId: z.string(), started: z.boolean().openapi({ description: 'false: a delivery of the cycle is under way already' }) }), 'Sending') },
})

const statusRoute = defineRoute({
  method: 'get',
  path: '/api/integrations/national-db/status',
  tags,
  summary: "The delivery (the decision, the due date, counts per state) and its records' states (sent, refused with the reason, invalid, pending) by name, in keyset pages (?status=&after=<staff id>&limit=)",
  roles: admin,
  request: {
    query: cycleQuery
      .extend({
        status: recordStatus.optional(),
        ...pageQuery,
        afterName: z.string().max(500).optional().openapi({ description: "the name of the person `after` names, as the previous page read it (the Link carries it): a rename between two pages then skips or repeats no one else" }),
      })
      .refine((q) => q.afterName === undefined || q.after !== undefined, { message: 'afterName chỉ đi cùng after / afterName only with after', path: ['afterName'] }),
  },
  responses: { 200: jsonAnswer(SyncStatus, 'The delivery, with one page of its records (Link: <…>; rel="next" when there is more)') },
})

const exportRoute = defineRoute({
  method: 'get',
  path: '/api/integrations/national-db/export',
  tags,
  summary: 'The same records as a file (?format=json|csv), with their delivery state',
  roles: admin,
  request: { query: cycleQuery.extend({ format: z.enum(['json', 'csv']).default('json') }) },
  responses: {
    200: {
      description: 'A file to download (Content-Disposition: attachment)',
      content: { 'application/json': { schema: NationalDbExport }, 'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark, for spreadsheets' }) } },
    },
  },
})

/** The national-database routes (admin): the decision, send, status per record, file export. */
export function nationalDbRoutes(deps: AppDeps) {
  const { db, client, config } = deps
  return featureApp()
    .openapi(decisionRoute, async (c) => {
      const body = c.req.valid('json')
      await setDecision(db, body.cycleId, { number: body.number, date: body.date }, c.get('user').id)
      return c.json(await syncStatus(db, body.cycleId), 200)
    })
    .openapi(sendRoute, async (c) => {
      const { cycleId } = c.req.valid('json')
      await checkSendable(db, cycleId)
      return c.json(await viaWorkflow(deps, () => startNationalDbSync(client, config.taskQueue, cycleId)), 200)
    })
    .openapi(statusRoute, async (c) => {
      const { cycleId, status, after, afterName, limit } = c.req.valid('query')
      const delivery = await syncStatus(db, cycleId, { status, after: after === undefined ? undefined : { staffId: after, fullName: afterName }, limit: limit + 1 })
      const records = page(c, delivery.records.map((r) => ({ ...r, id: r.staffId })), limit, 'after', (last) => ({ afterName: last.fullName })).map(({ id: _id, ...r }) => r)
      return c.json({ ...delivery, records }, 200)
    })
    .openapi(exportRoute, async (c) => {
      const query = c.req.valid('query')
      const status = await syncStatus(db, query.cycleId)
      const records = status.records.filter((r) => r.status !== 'invalid').map((r) => ({ ...r.record, status: r.status, reason: r.reason }))
      const name = `csdl-quoc-gia-ky-${query.cycleId}`
      if (query.format === 'json') {
        return c.body(JSON.stringify({ records }, null, 2), 200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${name}.json"` })
      }
      const header = [...EXPORT_COLUMNS, 'status', 'reason']
      return csvAnswer(c, name, [header, ...records.map((r) => header.map((k) => (r as Record<string, unknown>)[k] ?? null))])
    })
}

/** The national-database routes, as the typed client sees them. */
export type NationalDbApi = ReturnType<typeof nationalDbRoutes>
