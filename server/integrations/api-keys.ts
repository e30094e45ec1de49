import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** How long a rotated key keeps working beside its successor, so a system can switch without a gap. */
export const ROTATION_GRACE_MS = 24 * 3_600_000
/** A signed call's timestamp may differ from the server's clock by at most this much (replay window). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

/** A new API key (`kpi_` + 43 base64url characters: 32 random bytes) and its signing secret. */
export function newKey(): { key: string; hash: string; prefix: string; signingSecret: string } {
  const key = `kpi_${randomBytes(32).toString('base64url')}`
  return { key, hash: hashKey(key), prefix: key.slice(0, 12), signingSecret: randomBytes(32).toString('base64url') }
}

/** What is stored of a key: its sha256 (a random 256-bit token needs no slow hash). */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

/** `sha256=<hex HMAC-SHA256 of "timestamp.body">` with the key's signing secret. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export type SignatureProblem = 'SIGNATURE_MISSING' | 'SIGNATURE_EXPIRED' | 'SIGNATURE_INVALID'

/**
 * Checks `X-KPI-Timestamp` (seconds or milliseconds since the epoch, or an ISO date) and
 * `X-KPI-Signature` against the body: null when valid. The comparison is constant-time.
 */
export function signatureProblem(secret: string, timestamp: string | undefined, signature: string | undefined, body: string, nowMs: number): SignatureProblem | null {
  if (!timestamp || !signature) return 'SIGNATURE_MISSING'
  const at = timestampMs(timestamp)
  if (at === null || Math.abs(nowMs - at) > SIGNATURE_WINDOW_MS) return 'SIGNATURE_EXPIRED'
  const expected = Buffer.from(signBody(secret, timestamp, body))
  const given = Buffer.from(signature.trim())
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'SIGNATURE_INVALID'
}

function timestampMs(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000
  if (/^\d{12,14}$/.test(value)) return Number(value)
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? null : parsed
}
