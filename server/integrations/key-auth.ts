import type { Context, Next } from 'hono'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { signatureProblem } from './api-keys.js'
import { findCaller, recordCall, type Caller } from './systems.repo.js'

/** Paths a connected system calls with its API key (`X-KPI-Key`) instead of a session. */
export const API_KEY_PATHS = new Set(['/api/integrations/tasks', '/api/integrations/indicators'])

/**
 * The caller of each request, by its context (not its Request: the JSON body check may hand the
 * validators a copy of the request labelled JSON).
 */
const callers = new WeakMap<Context, Caller>()

/** The system that made the request (set by keyAuth). */
export function callerOf(c: Context): Caller {
  const caller = callers.get(c)
  if (!caller) throw new ApiError(401, 'INVALID_API_KEY', 'Thiếu khóa API hợp lệ.', 'A valid API key is required.')
  return caller
}

const SIGNATURE_MESSAGES = {
  SIGNATURE_MISSING: ['Hệ thống này phải ký nội dung (X-KPI-Timestamp, X-KPI-Signature).', 'This system must sign its requests (X-KPI-Timestamp, X-KPI-Signature).'],
  SIGNATURE_EXPIRED: ['Dấu thời gian X-KPI-Timestamp lệch quá 5 phút so với máy chủ (hoặc không hợp lệ): yêu cầu bị từ chối để chống gửi lại.', 'X-KPI-Timestamp is more than 5 minutes off the server clock (or invalid): refused against replays.'],
  SIGNATURE_INVALID: ['Chữ ký X-KPI-Signature không khớp với nội dung.', 'X-KPI-Signature does not match the body.'],
} as const

/**
 * Authenticates a connected system: `X-KPI-Key` must be a valid key (not revoked, not past its
 * rotation grace) of an active system; a signature (`X-KPI-Timestamp`, `X-KPI-Signature: sha256=<hex
 * HMAC of "timestamp.body">`) is checked when sent, and required when the system is set so. Every
 * call of a known system is recorded and audited, refused ones included.
 */
export function keyAuth(db: Db) {
  return async (c: Context, next: Next) => {
    const key = c.req.header('x-kpi-key')
    // Signed-in users reach here only without a key (see the session middleware): this is not for them.
    if (!key) throw new ApiError(403, 'API_KEY_REQUIRED', 'Đường dẫn này dành cho hệ thống kết nối, xác thực bằng khóa API (X-KPI-Key).', 'This route is for connected systems, authenticated by API key (X-KPI-Key).')
    const caller = await findCaller(db, key)
    if (!caller) throw new ApiError(401, 'INVALID_API_KEY', 'Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.', 'The API key is invalid, expired or revoked.')
    const endpoint = `${c.req.method} ${c.req.path}`
    const timestamp = c.req.header('x-kpi-timestamp')
    const signature = c.req.header('x-kpi-signature')
    if (caller.requireSignature || timestamp || signature) {
      const problem = signatureProblem(caller.signingSecret, timestamp, signature, await c.req.text(), Date.now())
      if (problem) {
        await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint, status: 401, errorCode: problem })
        throw new ApiError(401, problem, SIGNATURE_MESSAGES[problem][0], SIGNATURE_MESSAGES[problem][1])
      }
    }
    callers.set(c, caller)
    await next()
    // A refused call (bad body…) is recorded too; the handler records the answered ones. (Hono hands a
    // handler's error to onError and keeps it in c.error rather than throwing it back here.)
    const err: unknown = c.error
    if (err instanceof ApiError) await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint, status: err.status, errorCode: err.code })
  }
}
