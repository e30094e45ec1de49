import { vietnamDate, type DelegationScope } from '../../workflows/stages.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { DelegationTerms } from './delegation.rules.js'

/** A delegation in force for its delegate, with its principal's roles and name (what acting as them needs). */
export type InForce = DelegationTerms & { principalRoles: string[]; principalName: string }

/** The delegations in force today (Vietnam) whose delegate is this person. */
export async function inForceFor(db: Db, delegateId: number, now = Date.now()): Promise<InForce[]> {
  const today = vietnamDate(now)
  const rows = await db
    .selectFrom('delegations as d')
    .innerJoin('staff as p', 'p.id', 'd.principal_id')
    .select(['d.id', 'd.principal_id', 'd.delegate_id', 'd.scope', 'd.from_date', 'd.to_date', 'd.ended_at', 'p.roles', 'p.full_name', 'p.active'])
    .where('d.delegate_id', '=', delegateId)
    .where('d.ended_at', 'is', null)
    .where('d.from_date', '<=', today)
    .where('d.to_date', '>=', today)
    .orderBy('d.id')
    .execute()
  return rows.filter((r) => r.active).map((r) => ({ ...terms(r), principalRoles: r.roles, principalName: r.full_name }))
}

const terms = (r: { id: number; principal_id: number; delegate_id: number; scope: DelegationScope; from_date: string; to_date: string; ended_at: Date | null }): DelegationTerms => ({
  id: r.id,
  principalId: r.principal_id,
  delegateId: r.delegate_id,
  scope: r.scope,
  from: r.from_date,
  to: r.to_date,
  endedAt: r.ended_at,
})

export interface NewDelegation {
  principalId: number
  delegateId: number
  scope: DelegationScope
  from: string
  to: string
  reason: string
}

/**
 * Stores a delegation and its audit event, unless the principal already has a live one of the same
 * scope sharing a day with it (then the id of that one). One principal at a time (a lock on their
 * staff row), so two concurrent requests cannot both pass the overlap check.
 */
export async function createDelegation(db: Db, d: NewDelegation): Promise<{ id: number } | { overlapping: number }> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('staff').select('id').where('id', '=', d.principalId).forUpdate().executeTakeFirstOrThrow()
    const clash = await trx
      .selectFrom('delegations')
      .select('id')
      .where('principal_id', '=', d.principalId)
      .where('scope', '=', d.scope)
      .where('ended_at', 'is', null)
      .where('from_date', '<=', d.to)
      .where('to_date', '>=', d.from)
      .executeTakeFirst()
    if (clash) return { overlapping: clash.id }
    const { id } = await trx
      .insertInto('delegations')
      .values({ principal_id: d.principalId, delegate_id: d.delegateId, scope: d.scope, from_date: d.from, to_date: d.to, reason: d.reason })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, { actor_id: d.principalId, entity: 'delegation', entity_id: String(id), action: 'create', reason: d.reason, data: { principalId: d.principalId, delegateId: d.delegateId, scope: d.scope, from: d.from, to: d.to } })
    return { id }
  })
}

/** Ends a live delegation now (the principal, or an admin), audited; false when it had ended already. */
export async function endDelegation(db: Db, id: number, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx.updateTable('delegations').set({ ended_at: new Date(), ended_by: actorId }).where('id', '=', id).where('ended_at', 'is', null).returning(['principal_id', 'delegate_id', 'scope', 'from_date', 'to_date']).executeTakeFirst()
    if (!ended) return false
    await appendAudit(trx, { actor_id: actorId, entity: 'delegation', entity_id: String(id), action: 'end', reason: null, data: { principalId: ended.principal_id, delegateId: ended.delegate_id, scope: ended.scope, from: ended.from_date, to: ended.to_date } })
    return true
  })
}

export interface DelegationFilter {
  /** Not an admin: only delegations they gave or received. */
  visibleTo?: number
  given?: number
  received?: number
  scope?: DelegationScope
  after?: number
  limit: number
}

/** Delegations with both people's names, in id order (keyset pages). */
export async function listDelegations(db: Db, f: DelegationFilter) {
  let q = db
    .selectFrom('delegations as d')
    .innerJoin('staff as p', 'p.id', 'd.principal_id')
    .innerJoin('staff as g', 'g.id', 'd.delegate_id')
    .selectAll('d')
    .select(['p.full_name as principal_name', 'g.full_name as delegate_name'])
    .orderBy('d.id')
  if (f.visibleTo !== undefined) q = q.where((eb) => eb.or([eb('d.principal_id', '=', f.visibleTo!), eb('d.delegate_id', '=', f.visibleTo!)]))
  if (f.given !== undefined) q = q.where('d.principal_id', '=', f.given)
  if (f.received !== undefined) q = q.where('d.delegate_id', '=', f.received)
  if (f.scope) q = q.where('d.scope', '=', f.scope)
  if (f.after !== undefined) q = q.where('d.id', '>', f.after)
  return q.limit(f.limit + 1).execute()
}

export async function findDelegation(db: Db, id: number) {
  return db.selectFrom('delegations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Evaluations whose party rows name one of these principals in the role their delegation covers: the delegate's share of the inbox. */
export function principalsFilter(delegations: InForce[]) {
  const review = [...new Set(delegations.filter((d) => d.scope === 'review').map((d) => d.principalId))]
  const signOff = [...new Set(delegations.filter((d) => d.scope === 'sign-off').map((d) => d.principalId))]
  return { review, signOff, any: review.length > 0 || signOff.length > 0 }
}
