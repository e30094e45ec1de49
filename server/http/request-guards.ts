import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError } from '../errors.js'

/** Bodies are capped: 1 MiB for JSON, 10 MiB for the spreadsheet imports. */
const JSON_LIMIT = 1 << 20
const IMPORT_LIMIT = 10 << 20
const IMPORT_PATHS = /^\/api\/(staff|catalogue|integrations\/tasks)\/import$/

const tooLarge = (limit: number) =>
  new ApiError(413, 'PAYLOAD_TOO_LARGE', `Nội dung yêu cầu quá lớn (tối đa ${limit >> 20} MiB).`, `The request body is too large (at most ${limit >> 20} MiB).`)

/** Refuses a body over its cap with 413 before it is read whole (Content-Length or the stream). */
export const limitBodies = [
  bodyLimit({ maxSize: IMPORT_LIMIT, onError: () => Promise.reject(tooLarge(IMPORT_LIMIT)) }),
  async (c: Context, next: () => Promise<void>) => {
    if (IMPORT_PATHS.test(c.req.path)) return next()
    return bodyLimit({ maxSize: JSON_LIMIT, onError: () => Promise.reject(tooLarge(JSON_LIMIT)) })(c, next)
  },
]

/**
 * CSRF: a write authenticated by the session cookie must come from this site (Sec-Fetch-Site
 * same-origin, else an Origin equal to ours) and, imports aside, be JSON — which a foreign form
 * cannot send. Bearer-token calls carry no ambient credential and are not concerned.
 */
export function checkCookieWrite(c: Context): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return
  const site = c.req.header('sec-fetch-site')
  const origin = c.req.header('origin')
  const ours = new URL(c.req.url).host
  const foreign = site ? site !== 'same-origin' && site !== 'none' : origin ? safeHost(origin) !== ours && safeHost(origin) !== c.req.header('host') : false
  if (foreign) throw new ApiError(403, 'CSRF', 'Yêu cầu đến từ trang khác, bị từ chối.', 'The request came from another site and was refused.')
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0'
  if (hasBody && type !== 'application/json' && !IMPORT_PATHS.test(c.req.path)) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Nội dung phải ở dạng JSON (Content-Type: application/json).', 'The body must be JSON (Content-Type: application/json).')
  }
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Text the database cannot store (NUL) and keys that reach prototypes are refused anywhere in a
 * JSON body, with the path where they are: 400, never a 500 further down.
 */
export function checkJsonValue(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw invalid(path || 'body', 'ký tự NUL không được phép', 'NUL characters are not allowed')
    return
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkJsonValue(v, `${path}[${i}]`))
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k
      if (FORBIDDEN_KEYS.has(k)) throw invalid(at, `khóa "${k}" không được phép`, `the key "${k}" is not allowed`)
      if (k.includes('\u0000')) throw invalid(at, 'ký tự NUL không được phép', 'NUL characters are not allowed')
      checkJsonValue(v, at)
    }
  }
}

const invalid = (path: string, vi: string, en: string) => new ApiError(400, 'VALIDATION_FAILED', `Dữ liệu không hợp lệ: ${path}: ${vi}.`, `Invalid input: ${path}: ${en}.`, [{ path, message: en }])

/** A request body's text as JSON: an empty body is `{}`, invalid JSON a 400 BAD_REQUEST, then NUL characters and prototype keys refused. */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ApiError(400, 'BAD_REQUEST', 'Nội dung yêu cầu không phải JSON hợp lệ.', 'The request body is not valid JSON.')
  }
  checkJsonValue(value)
  return value
}
