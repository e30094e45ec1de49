import { z } from '@hono/zod-openapi'
import type { AuthConfig } from '../config.js'
import { checkHealth } from '../health/health.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer, jsonBody } from '../http/openapi.js'
import { checkCookieWrite } from '../http/request-guards.js'
import { findStaffView } from '../org/org.repo.js'
import { clientAddress } from './client-address.js'
import { dummyPasswordHash } from './password.js'
import { configuredLifetime, createSession, deleteSession, endSessionsOf, findSessionUser } from './session.js'
import { clearSessionCookie, currentToken, presentedTokens, setSessionCookie } from './session-cookie.js'
import { signIn, TooManyAttempts } from './sign-in.js'

/** The signed-in person, as `GET /api/me` answers (and sign-in and the session route). */
export const Me = z
  .object({
    id: z.number().int(),
    username: z.string(),
    fullName: z.string(),
    email: z.string().nullable(),
    unitId: z.number().int().nullable(),
    unitName: z.string().nullable(),
    positionCode: z.string().nullable(),
    roles: z.array(z.string()).openapi({ example: ['staff'] }),
    scopeUnitIds: z.array(z.number().int()).openapi({ description: 'units a leader oversees' }),
  })
  .openapi('Me')

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({ description: 'ok: everything answers and no projection alert is open' }),
    database: z.enum(['ok', 'unavailable']),
    temporal: z.enum(['ok', 'unavailable']),
    projectionAlerts: z.number().int().openapi({ description: 'projections that found a different transition at their version, or could not score' }),
    nationalDbOverdue: z.number().int().openapi({ description: 'cycles whose results have not all reached the national database within 3 working days' }),
  })
  .openapi('Health')

const healthRoute = defineRoute({
  method: 'get',
  path: '/api/health',
  tags: ['system'],
  summary: 'Liveness: database, Temporal and open projection alerts (status ok or degraded)',
  security: [],
  responses: { 200: jsonAnswer(Health, 'The database answers'), 503: jsonAnswer(Health, 'The database does not answer') },
})

const loginRoute = defineRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign in; returns a bearer token and sets the session cookie (429 TOO_MANY_ATTEMPTS with Retry-After after repeated failures)',
  security: [],
  request: { body: jsonBody(z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })) },
  responses: { 200: jsonAnswer(z.object({ token: z.string(), user: Me }), 'Signed in (Set-Cookie: the session)') },
})

const logoutRoute = defineRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'Sign out (ends the session)',
  responses: { 200: jsonAnswer(z.object({ ok: z.literal(true) }), 'Signed out') },
})

const logoutAllRoute = defineRoute({
  method: 'post',
  path: '/api/auth/logout-all',
  tags: ['auth'],
  summary: 'Sign out everywhere: ends every session of the signed-in user ({keepCurrent: true} keeps this one)',
  request: { body: jsonBody(z.strictObject({ keepCurrent: z.boolean().optional() })) },
  responses: { 200: jsonAnswer(z.object({ ok: z.literal(true), ended: z.number().int().openapi({ description: 'sessions ended' }) }), 'Signed out') },
})

const sessionRoute = defineRoute({
  method: 'get',
  path: '/api/session',
  tags: ['auth'],
  summary: 'Who is signed in on this browser: {user} or {user: null} (200 either way, so a first visit logs no error)',
  security: [],
  responses: { 200: jsonAnswer(z.object({ user: Me.nullable() }), 'The person, or null') },
})

const meRoute = defineRoute({
  method: 'get',
  path: '/api/me',
  tags: ['auth'],
  summary: 'The signed-in user',
  responses: { 200: jsonAnswer(Me, 'The person') },
})

/**
 * Signing in and out (session cookie or bearer token, with throttling of failed attempts), who is
 * signed in, and the liveness check. Health, sign-in and the session are public: app.ts lets them
 * through without a session.
 */
export function authRoutes(deps: AppDeps, auth: AuthConfig) {
  const { db } = deps
  const lifetime = configuredLifetime(auth)
  // Hash the dummy password now, so the first sign-in to an unknown account is not the slow one.
  dummyPasswordHash().catch((err: unknown) => console.error('dummy password hash', err))
  // A signed-in person is an active staff member: their view exists.
  const staffView = async (id: number) => (await findStaffView(db, id))!

  return featureApp()
    .openapi(healthRoute, async (c) => {
      const health = await checkHealth(deps)
      return health.database === 'ok' ? c.json(health, 200) : c.json(health, 503)
    })
    .openapi(loginRoute, async (c) => {
      const body = c.req.valid('json')
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
      return c.json({ token, user: await staffView(staffId) }, 200)
    })
    .openapi(logoutRoute, async (c) => {
      for (const token of presentedTokens(c)) await deleteSession(db, token)
      clearSessionCookie(c, auth)
      return c.json({ ok: true as const }, 200)
    })
    .openapi(logoutAllRoute, async (c) => {
      const body = c.req.valid('json')
      const ended = await endSessionsOf(db, c.get('user').id, body.keepCurrent ? currentToken(c) : undefined)
      if (!body.keepCurrent) clearSessionCookie(c, auth)
      return c.json({ ok: true as const, ended }, 200)
    })
    .openapi(sessionRoute, async (c) => {
      const token = currentToken(c)
      const user = token ? await findSessionUser(db, token, lifetime) : undefined
      return c.json({ user: user ? ((await findStaffView(db, user.id)) ?? null) : null }, 200)
    })
    .openapi(meRoute, async (c) => c.json(await staffView(c.get('user').id), 200))
}


/** The sign-in routes, as the typed client sees them. */
export type AuthApi = ReturnType<typeof authRoutes>
