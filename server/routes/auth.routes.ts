import type { Hono } from 'hono'
import { z } from 'zod'
import { clientAddress } from '../auth/client-address.js'
import { dummyPasswordHash } from '../auth/password.js'
import { configuredLifetime, createSession, deleteSession, endSessionsOf, findSessionUser } from '../auth/session.js'
import { clearSessionCookie, currentToken, presentedTokens, setSessionCookie } from '../auth/session-cookie.js'
import { signIn, TooManyAttempts } from '../auth/sign-in.js'
import type { AuthConfig } from '../config.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { checkCookieWrite } from '../http/request-guards.js'
import { route } from '../http/route.js'
import { findStaffView } from '../org/org.repo.js'
import { checkHealth } from '../health/health.js'

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })
const logoutAllBody = z.strictObject({ keepCurrent: z.boolean().optional() })

export function authRoutes(app: Hono<AppEnv>, deps: AppDeps, auth: AuthConfig): void {
  const { db } = deps
  const lifetime = configuredLifetime(auth)
  // Hash the dummy password now, so the first sign-in to an unknown account is not the slow one.
  dummyPasswordHash().catch((err: unknown) => console.error('dummy password hash', err))

  route(app, { method: 'get', path: '/api/health', summary: 'Liveness: database, Temporal and open projection alerts (status ok or degraded)', tag: 'system', public: true }, async ({ c }) => {
    const health = await checkHealth(deps)
    return c.json(health, health.database === 'ok' ? 200 : 503)
  })

  route(app, { method: 'post', path: '/api/auth/login', summary: 'Sign in; returns a bearer token and sets the session cookie (429 TOO_MANY_ATTEMPTS with Retry-After after repeated failures)', tag: 'auth', public: true, body: loginBody }, async ({ c, body }) => {
    checkCookieWrite(c) // no signing a browser in from another site (login CSRF)
    let staffId: number
    try {
      staffId = await signIn(db, { ...body, address: clientAddress(c, auth.trustProxy) }, auth)
    } catch (err) {
      if (err instanceof TooManyAttempts) c.header('Retry-After', String(err.retryAfterSeconds))
      throw err
    }
    // A new session id on every sign-in; whatever session the browser held before is ended.
    for (const old of presentedTokens(c)) await deleteSession(db, old)
    const { token } = await createSession(db, staffId, lifetime)
    setSessionCookie(c, token, auth)
    return { token, user: await findStaffView(db, staffId) }
  })

  route(app, { method: 'post', path: '/api/auth/logout', summary: 'Sign out (ends the session)', tag: 'auth' }, async ({ c }) => {
    for (const token of presentedTokens(c)) await deleteSession(db, token)
    clearSessionCookie(c, auth)
    return { ok: true }
  })

  route(app, { method: 'post', path: '/api/auth/logout-all', summary: 'Sign out everywhere: ends every session of the signed-in user ({keepCurrent: true} keeps this one)', tag: 'auth', body: logoutAllBody }, async ({ c, user, body }) => {
    const ended = await endSessionsOf(db, user.id, body.keepCurrent ? currentToken(c) : undefined)
    if (!body.keepCurrent) clearSessionCookie(c, auth)
    return { ok: true, ended }
  })

  route(app, { method: 'get', path: '/api/session', summary: 'Who is signed in on this browser: {user} or {user: null} (200 either way, so a first visit logs no error)', tag: 'auth', public: true }, async ({ c }) => {
    const token = currentToken(c)
    const user = token ? await findSessionUser(db, token, lifetime) : undefined
    return { user: user ? await findStaffView(db, user.id) : null }
  })

  route(app, { method: 'get', path: '/api/me', summary: 'The signed-in user', tag: 'auth' }, async ({ user }) => findStaffView(db, user.id))
}
