import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { endTime, startTime, timing } from 'hono/timing'
import { configuredLifetime, findSessionUser } from './auth/session.js'
import { bearerToken, currentToken, SESSION_COOKIE } from './auth/session-cookie.js'
import { loadAuthConfig, type AuthConfig } from './config.js'
import { ApiError } from './errors.js'
import { isDatabaseUnavailable } from './db/db-errors.js'
import { toApiError } from './http/temporal-errors.js'
import { FormulaBudgetExceeded } from '../rules/formula.budget.js'
import { formulaBudgetError } from './rulesets/formula-budget.js'
import { checkCookieWrite, limitBodies } from './http/request-guards.js'
import type { AppDeps, AppEnv } from './http/context.js'
import { openApiDocument } from './http/route.js'
import { apiRoutes } from './api.routes.js'
import { API_KEY_PATHS } from './integrations/key-auth.js'

export { SESSION_COOKIE }
const PUBLIC_PATHS = new Set(['/api/health', '/api/auth/login', '/api/openapi.json', '/api/session'])

/**
 * Content-Security-Policy of every answer, the web app's HTML included: scripts and styles from
 * this origin only, no inline script, never framed. 'unsafe-eval' stays because the
 * self-assessment form (RJSF with Ajv) compiles each rule set's JSON Schema into a function at run
 * time; styles need no 'unsafe-inline' (the built app has no inline style, and React applies
 * `style` props through the CSSOM, which CSP does not restrict).
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** The HTTP API: one Hono app, used by the server and called in-process by tests. */
export function createApp(deps: AppDeps & { config: { auth?: AuthConfig; serverTiming?: boolean } }): Hono<AppEnv> {
  const auth = deps.config.auth ?? loadAuthConfig()
  const lifetime = configuredLifetime(auth)
  const app = new Hono<AppEnv>()
  app.use('*', requestId())
  app.use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: 'DENY' }))
  app.use('/api/*', ...limitBodies)
  // Server-Timing (SERVER_TIMING=1): where an answer's time went, for operators and the cycle benchmark.
  app.use('/api/*', timing({ enabled: deps.config.serverTiming ?? false, totalDescription: 'API' }))
  app.use('/api/*', async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next()
    // Connected systems call these with an API key instead of a session (checked by their routes).
    if (API_KEY_PATHS.has(c.req.path) && c.req.header('x-kpi-key')) return next()
    if (!bearerToken(c)) checkCookieWrite(c)
    const token = currentToken(c)
    startTime(c, 'session')
    const user = token ? await findSessionUser(deps.db, token, lifetime) : undefined
    endTime(c, 'session')
    if (!user) throw new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.', 'Please sign in.')
    c.set('user', user)
    return next()
  })

  // Every route, defined with @hono/zod-openapi in its feature folder; the document is generated from their zod schemas.
  const routes = apiRoutes(deps, auth)
  app.route('/', routes)
  const document = openApiDocument(routes.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'KPI Công vụ API', version: '0.1.0' } }))
  app.get('/api/openapi.json', (c) => c.json(document))

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'Không tìm thấy đường dẫn.', messageEn: 'No such route.' } }, 404))
  app.onError((err, c) => {
    const english = /^en\b/i.test(c.req.header('accept-language') ?? '')
    if (isDatabaseUnavailable(err)) {
      err = new ApiError(503, 'DATABASE_UNAVAILABLE', 'Cơ sở dữ liệu tạm thời không liên lạc được; chưa có gì thay đổi. Hãy thử lại sau ít phút.', 'The database is unreachable for now; nothing changed. Retry in a few minutes.')
    }
    // Text PostgreSQL cannot store (a NUL byte in an imported file, say) is the request's fault.
    if ((err as { code?: unknown }).code === '22021' || (err as { code?: unknown }).code === '22P05') {
      err = new ApiError(400, 'VALIDATION_FAILED', 'Dữ liệu chứa ký tự không hợp lệ (ví dụ NUL).', 'The data contains invalid characters (e.g. NUL).')
    }
    if (err instanceof FormulaBudgetExceeded) err = formulaBudgetError(err)
    // A refusal raised by a library (the OpenAPI validators' media-type gate, say) in our terms.
    if (err instanceof HTTPException && err.status === 415) err = new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Nội dung phải ở dạng JSON (Content-Type: application/json).', 'The body must be JSON (Content-Type: application/json).')
    else if (err instanceof HTTPException && err.status === 400) err = new ApiError(400, 'BAD_REQUEST', 'Yêu cầu không hợp lệ.', `Bad request: ${err.message}`)
    err = toApiError(err) as Error
    if (err instanceof ApiError) {
      return c.json({ error: { code: err.code, message: english ? err.en : err.vi, messageEn: err.en, ...(err.details ? { details: err.details } : {}) } }, err.status)
    }
    console.error(`[${c.get('requestId')}]`, err)
    return c.json({ error: { code: 'INTERNAL', message: 'Lỗi hệ thống, vui lòng thử lại.', messageEn: 'Internal error, please retry.' } }, 500)
  })
  return app
}
