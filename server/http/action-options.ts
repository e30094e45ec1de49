import type { Context } from 'hono'
import { ApiError } from '../errors.js'
import type { AppEnv } from './context.js'

export interface ActionOptions {
  /** From `Idempotency-Key`: the Update id, so a repeated request is answered with the first result and acts once. */
  updateId?: string
  /** From `If-Match` (`"3"`, `W/"3"`) or the body's `expectedVersion`: the version the caller saw. */
  expectedVersion?: number
}

/** Reads the safe-retry headers of an action; 400 when they are malformed. */
export function actionOptions(c: Context<AppEnv>, userId: number, bodyVersion?: number): ActionOptions {
  const options: ActionOptions = {}
  const key = c.req.header('idempotency-key')
  if (key !== undefined) {
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new ApiError(400, 'BAD_REQUEST', 'Idempotency-Key phải gồm 1–200 ký tự in được, không có khoảng trắng.', 'Idempotency-Key must be 1–200 printable characters without spaces.')
    }
    // Scoped to the user: two people's keys never meet.
    options.updateId = `${userId}:${key}`
  }
  const ifMatch = c.req.header('if-match')
  if (ifMatch !== undefined) {
    const m = ifMatch.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/)
    if (!m) throw new ApiError(400, 'BAD_REQUEST', 'If-Match phải là số phiên bản của bản đánh giá, ví dụ "3".', 'If-Match must be the evaluation\'s version, e.g. "3".')
    options.expectedVersion = Number(m[1])
  }
  if (bodyVersion !== undefined) {
    if (options.expectedVersion !== undefined && options.expectedVersion !== bodyVersion) {
      throw new ApiError(400, 'BAD_REQUEST', 'If-Match và expectedVersion khác nhau.', 'If-Match and expectedVersion disagree.')
    }
    options.expectedVersion = bodyVersion
  }
  return options
}
