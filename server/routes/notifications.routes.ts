import type { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { route } from '../http/route.js'

const listQuery = z.object({ unread: z.enum(['true', 'false']).optional(), before: z.coerce.number().int().min(1).max(2_147_483_647).optional(), limit: pageQuery.limit })
const readBody = z.object({ ids: z.array(z.number().int().min(1)).min(1).max(500).optional(), all: z.literal(true).optional() }).refine((b) => Boolean(b.ids) !== Boolean(b.all), 'ids or all')

export function notificationRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  route(app, { method: 'get', path: '/api/notifications', summary: 'My reminders, escalations and published results, newest first; ?unread=true; keyset pages (?before=&limit=, Link: rel="next")', tag: 'notifications', query: listQuery }, async ({ c, user, query }) => {
    let q = db.selectFrom('notifications').selectAll().where('recipient_id', '=', user.id).orderBy('id', 'desc')
    if (query.unread === 'true') q = q.where('read_at', 'is', null)
    if (query.before !== undefined) q = q.where('id', '<', query.before)
    const items = page(c, await q.limit(query.limit + 1).execute(), query.limit, 'before')
    return items.map((r) => ({ id: r.id, kind: r.kind, evaluationId: r.evaluation_id, evaluationIds: r.evaluation_ids, message: r.message_vi, messageEn: r.message_en, createdAt: r.created_at, readAt: r.read_at }))
  })

  route(app, { method: 'post', path: '/api/notifications/read', summary: 'Mark my notifications read: {ids} or {all: true}', tag: 'notifications', body: readBody }, async ({ user, body }) => {
    let q = db.updateTable('notifications').set({ read_at: new Date() }).where('recipient_id', '=', user.id).where('read_at', 'is', null)
    if (body.ids) q = q.where('id', 'in', body.ids)
    const result = await q.executeTakeFirst()
    return { marked: Number(result.numUpdatedRows) }
  })
}
