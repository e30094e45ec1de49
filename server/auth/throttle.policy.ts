/**
 * Sign-in back-off, as pure functions. An attempt is charged as a failure *before* its password is
 * checked, so a burst of parallel guesses cannot all slip in before the first one is counted; a
 * success then resets (account) or takes back (address) its charge.
 */

export interface ThrottleRule {
  /** Failures allowed before back-off starts. */
  freeAttempts: number
  firstBackoffMs: number
  maxBackoffMs: number
  /** A counter whose last failure is older than this starts again from zero. */
  forgetAfterMs: number
}

export interface ThrottleState {
  failures: number
  lastFailureAt: Date
  blockedUntil: Date | null
}

export type Admission = { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number }

/** The wait after `failures` failures: none while free attempts remain, then doubling up to the cap. */
export function backoffMs(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeAttempts) return 0
  return Math.min(rule.firstBackoffMs * 2 ** Math.min(failures - rule.freeAttempts, 40), rule.maxBackoffMs)
}

/** Whether an attempt may check its password now; if so, the state with the attempt charged. */
export function admit(state: ThrottleState | undefined, rule: ThrottleRule, now: Date): Admission {
  const current = state && now.getTime() - state.lastFailureAt.getTime() < rule.forgetAfterMs ? state : undefined
  if (current?.blockedUntil && current.blockedUntil > now) return { allowed: false, retryAfterMs: current.blockedUntil.getTime() - now.getTime() }
  const failures = (current?.failures ?? 0) + 1
  const wait = backoffMs(failures, rule)
  return { allowed: true, next: { failures, lastFailureAt: now, blockedUntil: wait ? new Date(now.getTime() + wait) : null } }
}

/** Takes back one charged failure (the attempt succeeded); undefined when nothing is left to remember. */
export function refund(state: ThrottleState, rule: ThrottleRule): ThrottleState | undefined {
  const failures = state.failures - 1
  if (failures <= 0) return undefined
  return { ...state, failures, blockedUntil: backoffMs(failures, rule) ? state.blockedUntil : null }
}
