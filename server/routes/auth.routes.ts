import type { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { verifyPassword } from '../auth/password.js'
import { createSession, deleteSession } from '../auth/session.js'
import { ApiError } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'
import { findStaffView } from '../org/org.repo.js'
import { checkHealth } from '../health/health.js'

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })

export function authRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps
  route(app, { method: 'get', path: '/api/health', summary: 'Liveness: database, Temporal and open projection alerts (status ok or degraded)', tag: 'system', public: true }, async ({ c }) => {
    const health = await checkHealth(deps)
    return c.json(health, health.database === 'ok' ? 200 : 503)
  })

  route(app, { method: 'post', path: '/api/auth/login', summary: 'Sign in; returns a bearer token and sets the session cookie', tag: 'auth', public: true, body: loginBody }, async ({ c, body }) => {
    const row = await db.selectFrom('staff').select(['id', 'password_hash', 'active']).where('username', '=', body.username).executeTakeFirst()
    const ok = row && row.active && (await verifyPassword(body.password, row.password_hash))
    if (!ok) throw new ApiError(401, 'INVALID_CREDENTIALS', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong username or password.')
    const { token, expiresAt } = await createSession(db, row.id)
    setCookie(c, 'kpi_session', token, { httpOnly: true, sameSite: 'Lax', path: '/', expires: expiresAt })
    return { token, user: await findStaffView(db, row.id) }
  })

  route(app, { method: 'post', path: '/api/auth/logout', summary: 'Sign out (ends the session)', tag: 'auth' }, async ({ c }) => {
    const token = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1] ?? getCookie(c, 'kpi_session')
    if (token) await deleteSession(db, token)
    deleteCookie(c, 'kpi_session', { path: '/' })
    return { ok: true }
  })

  route(app, { method: 'get', path: '/api/me', summary: 'The signed-in user', tag: 'auth' }, async ({ user }) => findStaffView(db, user.id))
}
