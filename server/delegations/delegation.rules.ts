import { DELEGATED_ACTIONS, delegationInForce, vietnamDate, type Action, type DelegationScope, type EvaluationParties, type OnBehalfOf } from '../../workflows/stages.js'

/** A delegation as the rules see it: who for whom, which scope, which days (yyyy-mm-dd, inclusive), ended early or not. */
export interface DelegationTerms {
  id: number
  principalId: number
  delegateId: number
  scope: DelegationScope
  from: string
  to: string
  endedAt: Date | null
}

export type DelegationStatus = 'upcoming' | 'active' | 'expired' | 'ended'

/** Where a delegation stands at `now`: ended early, not begun, in force, or run its course. */
export function delegationStatus(d: Pick<DelegationTerms, 'from' | 'to' | 'endedAt'>, now: number): DelegationStatus {
  if (d.endedAt) return 'ended'
  const today = vietnamDate(now)
  if (today < d.from) return 'upcoming'
  return today <= d.to ? 'active' : 'expired'
}

/** Whether two date ranges (inclusive) share a day. */
export const rangesOverlap = (a: { from: string; to: string }, b: { from: string; to: string }): boolean => a.from <= b.to && b.from <= a.to

/** What is wrong with a new delegation's dates at `now`, or null: a real range that has not ended already, at most a year long. */
export function datesProblem(from: string, to: string, now: number): { vi: string; en: string } | null {
  if (!isCalendarDate(from) || !isCalendarDate(to)) return { vi: 'Ngày không hợp lệ (yyyy-mm-dd).', en: 'Invalid date (yyyy-mm-dd).' }
  if (from > to) return { vi: 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.', en: 'The first day must not be after the last.' }
  if (to < vietnamDate(now)) return { vi: 'Thời gian ủy quyền đã qua.', en: 'The delegation would be over already.' }
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 366 * 86400_000) return { vi: 'Ủy quyền tối đa một năm.', en: 'A delegation lasts at most a year.' }
  return null
}

/** Whether the text is an existing calendar day (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** Which scope a principal's roles let them delegate: review (unit heads, leaders), sign-off (leaders). */
export function mayDelegate(roles: string[], scope: DelegationScope): boolean {
  return scope === 'review' ? roles.includes('unit_head') || roles.includes('leader') : roles.includes('leader')
}

/** The party list a scope's principal must be on for the action (reviewers for review, sign-off leaders for sign-off). */
export const partyListOf = (scope: DelegationScope, parties: EvaluationParties): number[] => (scope === 'review' ? parties.reviewerIds : parties.signOffIds)

/**
 * The actor a delegate acts as for this action on this evaluation, through the first of their
 * delegations (in force at `now`, of a scope covering the action, from a principal on the party
 * list) — or null. Nobody acts on their own evaluation: a delegate who is the evaluated person, or
 * whose principal is, gets null. The workflow checks the same again.
 */
export function delegatedActor(
  user: { id: number; roles: string[] },
  action: Action,
  parties: EvaluationParties,
  delegations: (DelegationTerms & { principalRoles: string[] })[],
  now: number,
): { id: number; roles: string[]; onBehalfOf: OnBehalfOf } | null {
  if (user.id === parties.ownerId) return null
  for (const d of delegations) {
    if (d.delegateId !== user.id || d.endedAt || d.principalId === parties.ownerId) continue
    if (!DELEGATED_ACTIONS[d.scope].includes(action) || !delegationInForce(d, now)) continue
    if (!partyListOf(d.scope, parties).includes(d.principalId)) continue
    return { id: user.id, roles: user.roles, onBehalfOf: { id: d.principalId, roles: d.principalRoles, delegationId: d.id, scope: d.scope, from: d.from, to: d.to } }
  }
  return null
}
