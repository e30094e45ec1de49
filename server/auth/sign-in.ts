import type { AuthConfig } from '../config.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { dummyPasswordHash, verifyPassword } from './password.js'
import type { Admission, ThrottleRule } from './throttle.policy.js'
import { chargeAttempt, pruneAttempts, refundAttempt, resetAttempts } from './throttle.repo.js'

/** Counters are forgotten an hour after their last failure. */
const FORGET_AFTER_MS = 3_600_000

const rules = (config: AuthConfig) => {
  const common = { firstBackoffMs: config.firstBackoffMs, maxBackoffMs: config.maxBackoffMs, forgetAfterMs: Math.max(FORGET_AFTER_MS, config.maxBackoffMs) }
  return { account: { ...common, freeAttempts: config.accountFreeAttempts }, address: { ...common, freeAttempts: config.addressFreeAttempts } } satisfies Record<string, ThrottleRule>
}

/**
 * Checks a username and password under the back-off rules: per account (whether it exists or
 * not, so the answer never tells) and per client address. Every admitted attempt does the same
 * work — one staff lookup, one scrypt — so timing does not reveal whether the account exists.
 * Returns the staff id; throws 429 TOO_MANY_ATTEMPTS or 401 INVALID_CREDENTIALS.
 */
export async function signIn(db: Db, input: { username: string; password: string; address: string | undefined }, config: AuthConfig): Promise<number> {
  const rule = rules(config)
  const now = new Date()
  const accountKey = `account:${input.username}`
  const addressKey = input.address ? `address:${input.address}` : undefined
  if (addressKey) {
    const byAddress = await chargeAttempt(db, addressKey, rule.address, now)
    if (!byAddress.allowed) throw tooManyAttempts(byAddress)
  }
  const byAccount = await chargeAttempt(db, accountKey, rule.account, now)
  if (!byAccount.allowed) {
    if (addressKey) await refundAttempt(db, addressKey, rule.address) // this attempt was never checked
    throw tooManyAttempts(byAccount)
  }
  if (Math.random() < 0.01) await pruneAttempts(db, new Date(now.getTime() - rule.account.forgetAfterMs), now)

  const staff = await db.selectFrom('staff').select(['id', 'password_hash', 'active']).where('username', '=', input.username).executeTakeFirst()
  const matches = await verifyPassword(input.password, staff?.password_hash ?? (await dummyPasswordHash()))
  if (!staff || !staff.active || !matches) throw new ApiError(401, 'INVALID_CREDENTIALS', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong username or password.')

  await resetAttempts(db, accountKey)
  if (addressKey) await refundAttempt(db, addressKey, rule.address)
  return staff.id
}

/** 429 with the wait in seconds, also as `details.retryAfterSeconds` (the route sets Retry-After). */
export class TooManyAttempts extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60)
    const wait = retryAfterSeconds < 120 ? { vi: `${retryAfterSeconds} giây`, en: `${retryAfterSeconds} seconds` } : { vi: `${minutes} phút`, en: `${minutes} minutes` }
    super(429, 'TOO_MANY_ATTEMPTS', `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${wait.vi}.`, `Too many failed sign-ins. Try again in ${wait.en}.`, { retryAfterSeconds })
  }
}

const tooManyAttempts = (refused: Admission & { allowed: false }) => new TooManyAttempts(Math.max(1, Math.ceil(refused.retryAfterMs / 1000)))
