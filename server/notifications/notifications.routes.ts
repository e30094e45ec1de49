import { z } from '@hono/zod-openapi'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, instant, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'


/** A notification as `GET /api/notifications` lists it. */
export const Notification = z
  .object({
    id: z.number().int(),
    kind: z.string().openapi({ example: 'reminder' }),
    evaluationId: z.number().int().nullable(),
    evaluationIds: z.array(z.number().int()).nullable().openapi({ description: 'a digest: the evaluations it covers (they wait in "my tasks")' }),
    message: z.string().openapi({ description: 'Vietnamese' }),
    messageEn: z.string(),
    createdAt: instant,
    readAt: instant.nullable().openapi({ description: 'null while unread' }),
  })
  .openapi('Notification')

const listNotificationsRoute = defineRoute({
  method: 'get',
  path: '/api/notifications',
  tags: ['notifications'],
  summary: 'My reminders, escalations and published results, newest first; ?unread=true; keyset pages (?before=&limit=, Link: rel="next")',
  request: {
    query: z.object({
      unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: only those not read yet' }),
      before: z.coerce.number().int().min(1).max(2_147_483_647).optional().openapi({ description: 'the id of the last one seen' }),
      limit: pageQuery.limit,
    }),
  },
  responses: { 200: jsonAnswer(z.array(Notification), 'One page, newest first (Link: <…>; rel="next" when there is more)') },
})

const markReadRoute = defineRoute({
  method: 'post',
  path: '/api/notifications/read',
  tags: ['notifications'],
  summary: 'Mark my notifications read: {ids} or {all: true}',
  request: {
    body: jsonBody(
      z.object({ ids: z.array(z.number().int().min(1)).min(1).max(500).optional(), all: z.literal(true).optional() }).refine((b) => Boolean(b.ids) !== Boolean(b.all), 'ids or all'),
    ),
  },
  responses: { 200: jsonAnswer(z.object({ marked: z.number().int().openapi({ description: 'how many were unread and are read now' }) }), 'Marked') },
})

/** Notifications: each person's reminders, escalations and published results, and marking them read. */
export function notificationsRoutes({ db }: AppDeps) {
  return featureApp()
    .openapi(listNotificationsRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      let q = db.selectFrom('notifications').selectAll().where('recipient_id', '=', user.id).orderBy('id', 'desc')
      if (query.unread === 'true') q = q.where('read_at', 'is', null)
      if (query.before !== undefined) q = q.where('id', '<', query.before)
      const items = page(c, await q.limit(query.limit + 1).execute(), query.limit, 'before')
      return c.json(
        items.map((r) => ({
          id: r.id,
          kind: r.kind,
          evaluationId: r.evaluation_id,
          evaluationIds: r.evaluation_ids,
          message: r.message_vi,
          messageEn: r.message_en,
          createdAt: r.created_at.toISOString(),
          readAt: r.read_at?.toISOString() ?? null,
        })),
        200,
      )
    })
    .openapi(markReadRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      let q = db.updateTable('notifications').set({ read_at: new Date() }).where('recipient_id', '=', user.id).where('read_at', 'is', null)
      if (body.ids) q = q.where('id', 'in', body.ids)
      const result = await q.executeTakeFirst()
      return c.json({ marked: Number(result.numUpdatedRows) }, 200)
    })
}

/** The notifications' routes, as the typed client sees them. */
export type NotificationsApi = ReturnType<typeof notificationsRoutes>
