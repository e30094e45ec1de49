import { readablePath } from './zod-messages.js'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { ApiError, notFound } from '../errors.js'
import type { AppEnv, SessionUser } from './context.js'
import { parseJsonBody } from './request-guards.js'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  method: Method
  path: string
  summary: string
  tag: string
  body?: B
  query?: Q
  /** Public routes skip authentication (login, health). */
  public?: boolean
  /** Roles any of which may call the route; omitted = any signed-in user. */
  roles?: string[]
  status?: number
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined

export interface RouteInput<B, Q> {
  c: Context<AppEnv>
  user: SessionUser
  body: B
  query: Q
  params: Record<string, string>
}

const registry: RouteSpec<z.ZodType | undefined, z.ZodType | undefined>[] = []

/**
 * Registers a route: validates body and query with zod, checks roles, serialises the result as JSON.
 * The older way, until every feature is converted: new routes are defined with `defineRoute`
 * (./openapi.ts) on their feature's sub-app, which keeps the same behaviour and types the web app's client.
 */
export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  app: Hono<AppEnv>,
  spec: RouteSpec<B, Q>,
  handler: (input: RouteInput<Infer<B>, Infer<Q>>) => Promise<unknown>,
): void {
  registry.push(spec)
  app[spec.method](spec.path, async (c) => {
    const user = c.get('user')
    if (!spec.public && spec.roles && !spec.roles.some((r) => user.roles.includes(r))) {
      throw new ApiError(403, 'FORBIDDEN', 'Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.')
    }
    const body = spec.body ? parse(spec.body, await readJson(c), 'body') : undefined
    const query = spec.query ? parse(spec.query, c.req.query(), 'query') : undefined
    const result = await handler({ c, user, body: body as Infer<B>, query: query as Infer<Q>, params: c.req.param() })
    if (result instanceof Response) return result
    return c.json(result as object, (spec.status ?? 200) as 200)
  })
}

/** Parses a numeric path parameter, 404 when it is not a positive integer. */
export function idParam(params: Record<string, string>, name: string, what: string): number {
  const raw = params[name] ?? ''
  const id = Number(raw)
  if (!/^\d{1,9}$/.test(raw) || id <= 0) throw notFound(what, raw)
  return id
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw validationFailed(result.error, where)
}

/** 400 VALIDATION_FAILED naming each field as people read it, with zod's (bilingual) messages; `details` lists path and message. */
export function validationFailed(error: z.ZodError, where: string): ApiError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.') || where, message: i.message }))
  const list = error.issues.map((i) => `${readablePath(i.path) || where}: ${i.message}`).join('; ')
  return new ApiError(400, 'VALIDATION_FAILED', `Dữ liệu không hợp lệ (${where}): ${list}`, `Invalid ${where}: ${list}`, issues)
}

async function readJson(c: Context): Promise<unknown> {
  return parseJsonBody(await c.req.text())
}

/** The part of a generated OpenAPI document merged into ours (the routes of the @hono/zod-openapi sub-apps). */
export interface GeneratedDocument {
  paths?: Record<string, object>
  components?: { schemas?: Record<string, unknown> }
}

/** The OpenAPI 3.1 document of every route: those registered here and those of the generated document. */
export function openApiDocument(generated: GeneratedDocument = {}): object {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const spec of registry) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}')
    const parameters = [
      ...[...spec.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(spec.query ? queryParameters(spec.query) : []),
    ]
    paths[path] = {
      ...paths[path],
      [spec.method]: {
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.public ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
        responses: {
          [String(spec.status ?? 200)]: { description: 'OK' },
          '4XX': { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'KPI Công vụ API', version: '0.1.0', description: 'Đánh giá, xếp loại cán bộ, công chức theo KPI (NĐ 335/2025).' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'kpi_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, messageEn: { type: 'string' } } } },
        },
        ...generated.components?.schemas,
      },
    },
    paths: mergePaths(paths, generated.paths ?? {}),
  }
}

function mergePaths(ours: Record<string, Record<string, unknown>>, theirs: Record<string, object>): Record<string, object> {
  const merged: Record<string, object> = { ...ours }
  for (const [path, operations] of Object.entries(theirs)) merged[path] = { ...merged[path], ...operations }
  return merged
}

function queryParameters(schema: z.ZodType): object[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }))
}
