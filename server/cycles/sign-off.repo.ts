import type { Actor } from '../../workflows/stages.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'

/**
 * Records a unit's sign-off once every evaluation of it has recorded its own (the evaluation
 * workflows decide stages; this is the unit's business record and audit). Idempotent per sign-off
 * token (a unit reopened by an accepted petition is signed off again under a new token).
 */
export async function recordUnitSignOff(db: Db, cycleId: number, unitId: number, actor: Actor, evaluations: number, token?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('unit_sign_offs')
      .values({ cycle_id: cycleId, unit_id: unitId, signed_by: actor.id, signed_at: new Date() })
      .onConflict((oc) => oc.columns(['cycle_id', 'unit_id']).doNothing())
      .execute()
    await appendAudit(trx, { actor_id: actor.id, entity: 'unit', entity_id: `${cycleId}:${unitId}`, action: 'signOff', reason: null, data: { evaluations, ...(actor.onBehalfOf ? { onBehalfOf: actor.onBehalfOf.id, delegationId: actor.onBehalfOf.delegationId } : {}) }, idempotency_key: token ? `signoff:${cycleId}:${unitId}:${token}` : `signoff:${cycleId}:${unitId}` })
  })
}

/** The cycle's cancel is under way (its workflow accepted it, its evaluations are being cancelled): shown at once. Idempotent. */
export async function markCycleCancelling(db: Db, cycleId: number): Promise<void> {
  await db.updateTable('cycles').set({ status: 'CANCELLING' }).where('id', '=', cycleId).where('status', 'in', ['LAUNCHING', 'OPEN']).execute()
}

/** Marks the cycle cancelled once every evaluation of it has recorded its cancellation. Idempotent. */
export async function markCycleCancelled(db: Db, cycleId: number, actor: Actor, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('cycles').set({ status: 'CANCELLED' }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: actor.id, entity: 'cycle', entity_id: String(cycleId), action: 'cancel', reason, idempotency_key: `cycle:${cycleId}:cancel` })
  })
}
