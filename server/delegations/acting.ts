import { delegationInForce, mayAct, type Action, type Actor, type EvaluationParties } from '../../workflows/stages.js'
import type { EvaluationRow } from '../db/schema.js'
import type { InForce } from './delegation.repo.js'
import { delegatedActor, partyListOf } from './delegation.rules.js'

/** The parties of an evaluation as the read model shows them. */
export const partiesOf = (ev: Pick<EvaluationRow, 'staff_id' | 'reviewer_ids' | 'sign_off_ids'>): EvaluationParties => ({ ownerId: ev.staff_id, reviewerIds: ev.reviewer_ids, signOffIds: ev.sign_off_ids })

/**
 * Who the user acts as for this action: themselves when they are a party, else their principal
 * through a delegation in force — or null (nobody acts on their own evaluation, in either way).
 */
export function actorFor(user: { id: number; roles: string[] }, action: Action, ev: Pick<EvaluationRow, 'staff_id' | 'reviewer_ids' | 'sign_off_ids'>, delegations: InForce[], now = Date.now()): Actor | null {
  const parties = partiesOf(ev)
  const self = { id: user.id, roles: user.roles }
  if (mayAct(self, action, parties)) return self
  return delegatedActor(user, action, parties, delegations, now)
}

/** The delegation through which the user sees this evaluation (their principal is its reviewer or sign-off leader), if any. */
export function delegationOver(ev: Pick<EvaluationRow, 'staff_id' | 'reviewer_ids' | 'sign_off_ids'>, delegations: InForce[]): InForce | undefined {
  const parties = partiesOf(ev)
  return delegations.find((d) => d.principalId !== parties.ownerId && partyListOf(d.scope, parties).includes(d.principalId))
}

/** The principal named on a delegated task: the user's own tasks carry none. */
export function delegatedBy(user: { id: number }, ev: Pick<EvaluationRow, 'staff_id' | 'stage' | 'reviewer_ids' | 'sign_off_ids'>, delegations: InForce[]): { id: number; name: string } | null {
  if (ev.staff_id === user.id) return null
  const own = ev.stage === 'UNIT_REVIEW' ? ev.reviewer_ids : ev.stage === 'AWAITING_SIGN_OFF' ? ev.sign_off_ids : null
  if (!own || own.includes(user.id)) return null
  const scope = ev.stage === 'UNIT_REVIEW' ? 'review' : 'sign-off'
  const d = delegations.find((x) => x.scope === scope && x.principalId !== ev.staff_id && own.includes(x.principalId))
  return d ? { id: d.principalId, name: d.principalName } : null
}

/**
 * Who leads a unit action (sign-off, unit return) for the user, given the unit's evaluations: an
 * admin, or a sign-off leader of every one of them, as themselves; else a sign-off delegate as
 * their principal (a leader on every evaluation's sign-off list, the delegation in force); else
 * null. A batch holding the evaluation of the user or of their principal is not theirs to lead
 * (the evaluation workflows refuse it too). For `POST /api/cycles/:id/units/:unitId/sign-off` and
 * `…/return`.
 */
export function unitActor(user: { id: number; roles: string[] }, rows: Pick<EvaluationRow, 'staff_id' | 'sign_off_ids'>[], delegations: InForce[], now = Date.now()): Actor | null {
  const self = { id: user.id, roles: user.roles }
  if (user.roles.includes('admin') || (user.roles.includes('leader') && rows.every((r) => r.sign_off_ids.includes(user.id)))) return self
  const owners = new Set(rows.map((r) => r.staff_id))
  if (owners.has(user.id)) return null
  for (const d of delegations) {
    if (d.scope !== 'sign-off' || d.delegateId !== user.id || d.endedAt || owners.has(d.principalId) || !d.principalRoles.includes('leader')) continue
    if (!delegationInForce(d, now) || !rows.every((r) => r.sign_off_ids.includes(d.principalId))) continue
    return { ...self, onBehalfOf: { id: d.principalId, roles: d.principalRoles, delegationId: d.id, scope: d.scope, from: d.from, to: d.to } }
  }
  return null
}
