import type { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { toCsv } from '../org/csv.js'
import { isoDate } from '../worklog/catalogue.repo.js'
import { EXPORT_COLUMNS } from './national-db.mapping.js'
import { checkSendable, setDecision, syncStatus } from './national-db.repo.js'
import { startNationalDbSync } from './national-db.start.js'

const cycleQuery = z.object({ cycleId: dbIdQuery })

/** The national-database routes (admin): the decision, send, status per record, file export. */
export function nationalDbRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db, client, config } = deps
  route(
    app,
    { method: 'put', path: '/api/integrations/national-db/decision', summary: "The decision recognising a cycle's results (number, date), required before sending; fixed once sending started", tag: 'integrations', roles: ['admin'], body: z.object({ cycleId: dbId, number: z.string().trim().min(1).max(100), date: isoDate }) },
    async ({ body, user }) => {
      await setDecision(db, body.cycleId, { number: body.number, date: body.date }, user.id)
      return syncStatus(db, body.cycleId)
    },
  )

  route(
    app,
    { method: 'post', path: '/api/integrations/national-db/send', summary: "Send a classified cycle's results to the national database (idempotent: workflow national-db:<cycleId>; again after corrections sends only what is pending)", tag: 'integrations', roles: ['admin'], body: z.object({ cycleId: dbId }) },
    async ({ body }) => {
      await checkSendable(db, body.cycleId)
      return viaWorkflow(deps, () => startNationalDbSync(client, config.taskQueue, body.cycleId))
    },
  )

  route(app, { method: 'get', path: '/api/integrations/national-db/status', summary: "Each record's delivery state (sent, refused with the reason, invalid, pending), the decision and the due date", tag: 'integrations', roles: ['admin'], query: cycleQuery }, async ({ query }) =>
    syncStatus(db, query.cycleId),
  )

  route(
    app,
    { method: 'get', path: '/api/integrations/national-db/export', summary: 'The same records as a file (?format=json|csv), with their delivery state', tag: 'integrations', roles: ['admin'], query: cycleQuery.extend({ format: z.enum(['json', 'csv']).default('json') }) },
    async ({ c, query }) => {
      const status = await syncStatus(db, query.cycleId)
      const records = status.records.filter((r) => r.status !== 'invalid').map((r) => ({ ...r.record, status: r.status, reason: r.reason }))
      const name = `csdl-quoc-gia-ky-${query.cycleId}`
      if (query.format === 'json') {
        return c.body(JSON.stringify({ records }, null, 2), 200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${name}.json"` })
      }
      const header = [...EXPORT_COLUMNS, 'status', 'reason']
      const csv = toCsv([header, ...records.map((r) => header.map((k) => (r as Record<string, unknown>)[k] ?? null))])
      return c.body(`\uFEFF${csv}\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` })
    },
  )
}
