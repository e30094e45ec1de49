import type { Db } from '../db/database.js'
import { admit, refund, type Admission, type ThrottleRule, type ThrottleState } from './throttle.policy.js'

type Row = { failures: number; last_failure_at: Date; blocked_until: Date | null }

const toState = (row: Row): ThrottleState => ({ failures: row.failures, lastFailureAt: new Date(row.last_failure_at), blockedUntil: row.blocked_until && new Date(row.blocked_until) })

/**
 * Charges one attempt under `key`, or refuses it while its back-off runs. The row is locked for
 * the read and the write only (never while a password is hashed), so every API process and every
 * parallel request sees the attempts before it.
 */
export async function chargeAttempt(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<Admission> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('sign_in_throttles').values({ key, failures: 0, last_failure_at: now, blocked_until: null }).onConflict((oc) => oc.column('key').doNothing()).execute()
    const row = await trx.selectFrom('sign_in_throttles').select(['failures', 'last_failure_at', 'blocked_until']).where('key', '=', key).forUpdate().executeTakeFirstOrThrow()
    const admission = admit(toState(row), rule, now)
    if (admission.allowed) {
      const { failures, lastFailureAt, blockedUntil } = admission.next
      await trx.updateTable('sign_in_throttles').set({ failures, last_failure_at: lastFailureAt, blocked_until: blockedUntil }).where('key', '=', key).execute()
    }
    return admission
  })
}

/** Takes back the failure charged for an attempt that succeeded (or was never checked). */
export async function refundAttempt(db: Db, key: string, rule: ThrottleRule): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sign_in_throttles').select(['failures', 'last_failure_at', 'blocked_until']).where('key', '=', key).forUpdate().executeTakeFirst()
    if (!row) return
    const next = refund(toState(row), rule)
    if (!next) await trx.deleteFrom('sign_in_throttles').where('key', '=', key).execute()
    else await trx.updateTable('sign_in_throttles').set({ failures: next.failures, blocked_until: next.blockedUntil }).where('key', '=', key).execute()
  })
}

/** Forgets every failure under `key` (a successful sign-in to the account). */
export async function resetAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('key', '=', key).execute()
}

/** Drops counters nobody remembers any more (last failure older than `before`, no back-off running). */
export async function pruneAttempts(db: Db, before: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('sign_in_throttles')
    .where('last_failure_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute()
}
