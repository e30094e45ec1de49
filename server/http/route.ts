import type { z } from 'zod'
import { ApiError, notFound } from '../errors.js'
import { readablePath } from './zod-messages.js'

/** Parses a numeric path parameter, 404 when it is not a positive integer. */
export function idParam(params: Record<string, string>, name: string, what: string): number {
  const raw = params[name] ?? ''
  const id = Number(raw)
  if (!/^\d{1,9}$/.test(raw) || id <= 0) throw notFound(what, raw)
  return id
}

/** 400 VALIDATION_FAILED naming each field as people read it, with zod's (bilingual) messages; `details` lists path and message. */
export function validationFailed(error: z.ZodError, where: string): ApiError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.') || where, message: i.message }))
  const list = error.issues.map((i) => `${readablePath(i.path) || where}: ${i.message}`).join('; ')
  return new ApiError(400, 'VALIDATION_FAILED', `Dữ liệu không hợp lệ (${where}): ${list}`, `Invalid ${where}: ${list}`, issues)
}

/** What @hono/zod-openapi generates from the routes' schemas (server/api.routes.ts). */
export interface GeneratedDocument {
  paths?: Record<string, object>
  components?: { schemas?: Record<string, unknown> }
}

/** The OpenAPI 3.1 document of the API: the generated paths and schemas, with the title, servers and security schemes. */
export function openApiDocument(generated: GeneratedDocument): object {
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
      schemas: { ...generated.components?.schemas },
    },
    paths: generated.paths ?? {},
  }
}
