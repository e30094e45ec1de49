import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'

export function notificationRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  route(app, { method: 'get', path: '/api/notifications', summary: 'My reminders, escalations and published results, newest first', tag: 'notifications' }, async ({ user }) => {
    const rows = await db.selectFrom('notifications').selectAll().where('recipient_id', '=', user.id).orderBy('id', 'desc').limit(200).execute()
    return rows.map((r) => ({ id: r.id, kind: r.kind, evaluationId: r.evaluation_id, message: r.message_vi, messageEn: r.message_en, createdAt: r.created_at }))
  })
}
