import { sql } from 'kysely'
import type { Actor } from '../../workflows/stages.js'
import { appendAudit, appendAuditMany } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'

export type SignOffOutcome =
  | { ok: true; staffIds: number[]; already: boolean }
  | { ok: false; type: 'UNIT_NOT_READY' | 'FORBIDDEN'; message: string }

/**
 * Signs off a unit's batch in one transaction. Locks the unit's evaluations, so a concurrent
 * leadership return of one of them either lands before (and this refuses) or after (and it refuses).
 */
export async function signOffUnitRecords(db: Db, cycleId: number, unitId: number, actor: Actor): Promise<SignOffOutcome> {
  return db.transaction().execute(async (trx) => {
    const evaluations = await trx
      .selectFrom('evaluations')
      .select(['id', 'staff_id', 'stage', 'version', 'sign_off_ids', 'ruleset_id', 'rule_hash'])
      .where('cycle_id', '=', cycleId)
      .where('unit_id', '=', unitId)
      .where('stage', '!=', 'CANCELLED')
      .orderBy('id')
      .forUpdate()
      .execute()
    const existing = await trx.selectFrom('unit_sign_offs').select('signed_by').where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).executeTakeFirst()
    if (existing) return { ok: true as const, staffIds: evaluations.map((e) => e.staff_id), already: true }
    const notReady = evaluations.filter((e) => e.stage !== 'AWAITING_SIGN_OFF')
    if (notReady.length) {
      return { ok: false as const, type: 'UNIT_NOT_READY' as const, message: `${notReady.length} evaluation(s) of unit ${unitId} are not awaiting sign-off` }
    }
    const isAdmin = actor.roles.includes('admin')
    if (!isAdmin && evaluations.some((e) => !(e.sign_off_ids as number[]).includes(actor.id))) {
      return { ok: false as const, type: 'FORBIDDEN' as const, message: `staff ${actor.id} may not sign off unit ${unitId}` }
    }
    const now = new Date()
    await trx
      .updateTable('evaluations')
      .set({ stage: 'SIGNED_OFF', version: sql`version + 1`, updated_at: now })
      .where('id', 'in', evaluations.map((e) => e.id))
      .execute()
    await appendAuditMany(
      trx,
      evaluations.map((e) => ({
        actor_id: actor.id,
        entity: 'evaluation' as const,
        entity_id: String(e.id),
        action: 'signOff',
        from_stage: 'AWAITING_SIGN_OFF',
        to_stage: 'SIGNED_OFF',
        reason: null,
        ruleset_id: e.ruleset_id,
        rule_hash: e.rule_hash,
        idempotency_key: `evaluation:${e.id}:v${e.version + 1}`,
      })),
    )
    await trx.insertInto('unit_sign_offs').values({ cycle_id: cycleId, unit_id: unitId, signed_by: actor.id, signed_at: now }).execute()
    await appendAudit(trx, {
      actor_id: actor.id,
      entity: 'unit',
      entity_id: `${cycleId}:${unitId}`,
      action: 'signOff',
      reason: null,
      data: { evaluations: evaluations.length },
      idempotency_key: `signoff:${cycleId}:${unitId}`,
    })
    return { ok: true as const, staffIds: evaluations.map((e) => e.staff_id), already: false }
  })
}

/** Cancels every open evaluation of a cycle and the cycle itself; returns the staff to tell their workflows. */
export async function cancelCycleRecords(db: Db, cycleId: number, actor: Actor, reason: string): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('evaluations')
      .select(['id', 'staff_id', 'stage', 'version'])
      .where('cycle_id', '=', cycleId)
      .where('stage', 'in', ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF'])
      .forUpdate()
      .execute()
    if (open.length) {
      await trx.updateTable('evaluations').set({ stage: 'CANCELLED', version: sql`version + 1`, updated_at: new Date() }).where('id', 'in', open.map((e) => e.id)).execute()
    }
    await appendAuditMany(
      trx,
      open.map((e) => ({
        actor_id: actor.id,
        entity: 'evaluation' as const,
        entity_id: String(e.id),
        action: 'cancel',
        from_stage: e.stage,
        to_stage: 'CANCELLED',
        reason,
        idempotency_key: `evaluation:${e.id}:v${e.version + 1}`,
      })),
    )
    await trx.updateTable('cycles').set({ status: 'CANCELLED' }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: actor.id, entity: 'cycle', entity_id: String(cycleId), action: 'cancel', reason, idempotency_key: `cycle:${cycleId}:cancel` })
    return open.map((e) => e.staff_id)
  })
}
