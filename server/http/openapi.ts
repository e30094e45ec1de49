import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from '../errors.js'
import type { AppEnv } from './context.js'
import { parseJsonBody } from './request-guards.js'
import { validationFailed } from './route.js'

/**
 * Routes by the book (issue 16.5): each feature defines its routes with `defineRoute` (a
 * `createRoute` of @hono/zod-openapi plus our roles and JSON-body checks) and chains them on
 * `featureApp()`, so the OpenAPI document comes from the same zod schemas as the validation, and
 * the web app's typed client (`hc`) gets every route's input and answer types.
 */

/** The error every route may answer (4xx, 5xx): a code and the message in Vietnamese and English. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string().openapi({ description: 'Vietnamese, or English with Accept-Language: en' }),
      messageEn: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

const errorResponses = {
  '4XX': { description: 'Refused: 400 invalid input, 401 not signed in, 403 not allowed, 404 unknown id, 409 conflict', content: { 'application/json': { schema: ErrorBody } } },
  '5XX': { description: 'Unavailable for now (database, Temporal): retry later', content: { 'application/json': { schema: ErrorBody } } },
} as const

/**
 * A schema made in a module that imports plain `zod` (the rule-set model in rules/), ready for
 * `.openapi()`: zod gives each schema the methods its prototype has when the schema is made, so one
 * made before @hono/zod-openapi was loaded lacks `.openapi` — which module loads first depends on
 * who imports what (a test importing the rule-set model first saw "text.openapi is not a function").
 * A clone is made now, with the method.
 */
export const described = <S extends z.ZodType>(schema: S): S => schema.clone()

/** A JSON request body (required, as every body of ours). */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({ content: { 'application/json': { schema } }, required: true }) as const

/** A JSON answer. */
export const jsonAnswer = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } }) as const

/** An instant as every answer gives it: ISO 8601 with time zone (`toISOString()`). */
export const instant = z.string().openapi({ format: 'date-time' })

/** A path id as the URL carries it; the handler reads it with `idParam` (404 unless a positive integer). */
export const idPath = z.string().openapi({ description: 'a positive integer id', example: '12' })

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** What a route declares: createRoute's config (method, path with `{id}`, request, responses, tags, summary) and who may call it. */
export type RouteSpec = Omit<RouteConfig, 'method' | 'middleware'> & {
  method: Method
  /** Roles any of which may call the route; omitted = any signed-in user (authentication is app.ts's). */
  roles?: string[]
}

/**
 * A route: the OpenAPI description plus, before its validators run, the roles check (403) and the
 * JSON body read as before (empty = {}, unparsable = 400 BAD_REQUEST, NUL and prototype keys refused
 * with their path). The error shape is added to its responses.
 */
export function defineRoute<P extends string, R extends RouteSpec & { path: P }>(spec: R) {
  const { roles, ...config } = spec
  const middleware: MiddlewareHandler<AppEnv>[] = []
  if (roles) middleware.push(requireRoles(roles))
  if (config.request?.body) middleware.push(readJsonBody)
  return createRoute({ ...config, responses: { ...config.responses, ...errorResponses }, middleware }) as Omit<R, 'roles'> & {
    responses: R['responses'] & typeof errorResponses
    middleware: MiddlewareHandler<AppEnv>[]
    getRoutingPath(): string
  }
}

const WHERE = { json: 'body', query: 'query', param: 'params', header: 'headers', cookie: 'cookies', form: 'body' } as const

/** A feature's sub-app: validation failures answer 400 VALIDATION_FAILED with the bilingual message, as every route does. */
export function featureApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(result.error, WHERE[result.target])
    },
  })
}

function requireRoles(roles: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.some((r) => c.get('user').roles.includes(r))) {
      throw new ApiError(403, 'FORBIDDEN', 'Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.')
    }
    await next()
  }
}

/**
 * Reads the body as our routes always have: whatever its Content-Type (cookie writes are held to
 * application/json by app.ts), empty means {}, unparsable is 400 BAD_REQUEST (not the library's
 * bare HTTPException), then NUL characters and prototype keys are refused. The library's JSON
 * validator then reads the same text from the request's body cache (an empty body as "{}"), and is
 * shown a JSON Content-Type when the caller sent none or another.
 */
const readJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  let text = await c.req.text()
  if (!text.trim()) text = '{}'
  parseJsonBody(text)
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) relabelAsJson(c, text)
  // Hono keeps there the promise of each form of the body it read (typed as the value itself).
  const cache = c.req.bodyCache as { text?: Promise<string> }
  cache.text = Promise.resolve(text)
  await next()
}

function relabelAsJson(c: Context, text: string): void {
  const headers = new Headers(c.req.raw.headers)
  headers.set('content-type', 'application/json')
  c.req.raw = new Request(c.req.raw, { headers, body: text })
}
