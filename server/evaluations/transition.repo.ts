import type { Action, Actor, Stage } from '../../workflows/stages.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { scoreDocument, storedScores } from './scoring.js'

export interface TransitionRequest {
  evaluationId: number
  action: Action
  from: Stage
  to: Stage
  /** The evaluation's version after this transition: the idempotency key of the write. */
  version: number
  actor: Actor
  payload: { adjustments?: Record<string, unknown>; comment?: string; reason?: string }
  deadlineAt: string | null
}

export type TransitionOutcome =
  | { ok: true; evaluationId: number; stage: Stage; version: number; round: number }
  | { ok: false; type: 'CONFLICT' | 'VALIDATION_FAILED' | string; message: string }

/**
 * Applies one stage transition in one transaction: read model, round history, scores, audit.
 * Idempotent by (evaluation, version): a retried activity after a crash changes nothing twice.
 */
export async function applyTransition(db: Db, req: TransitionRequest): Promise<TransitionOutcome> {
  return db.transaction().execute(async (trx) => {
    const ev = await trx.selectFrom('evaluations').selectAll().where('id', '=', req.evaluationId).forUpdate().executeTakeFirstOrThrow()
    if (ev.version >= req.version) {
      // Already applied by an earlier attempt of this same activity.
      return { ok: true as const, evaluationId: ev.id, stage: ev.stage as Stage, version: ev.version, round: ev.round }
    }
    if (ev.stage !== req.from || ev.version !== req.version - 1) {
      return { ok: false as const, type: 'CONFLICT', message: `evaluation ${ev.id} is ${ev.stage} v${ev.version}, expected ${req.from} v${req.version - 1}` }
    }
    const ruleSet = (await findRuleSet(trx, ev.ruleset_id))!
    const now = new Date()
    let round = ev.round
    let scores: ReturnType<typeof storedScores> | null = null
    const set: Record<string, unknown> = {}

    if (req.action === 'submit' || req.action === 'approve') {
      const adjustments = req.action === 'approve' ? (req.payload.adjustments ?? ev.adjustments) : ev.adjustments
      const outcome = scoreDocument(ruleSet.definition, ev.data, adjustments, ev.rule_role as 'staff' | 'leader')
      if (!outcome.ok) return { ok: false as const, type: outcome.code, message: outcome.en }
      scores = storedScores(outcome.result, ruleSet.id, ruleSet.hash)
      Object.assign(set, {
        scores: JSON.stringify(scores),
        total: outcome.result.total,
        level: outcome.result.level,
        override_code: outcome.result.override?.code ?? null,
        adjustments: adjustments ? JSON.stringify(adjustments) : null,
      })
    }
    if (req.action === 'submit') {
      await trx
        .insertInto('evaluation_rounds')
        .values({ evaluation_id: ev.id, round, data: JSON.stringify(ev.data), scores: JSON.stringify(scores), submitted_at: now })
        .execute()
    } else if (req.action === 'approve' || req.action === 'return' || req.action === 'leaderReturn') {
      const outcome = req.action === 'approve' ? 'APPROVED' : req.action === 'return' ? 'RETURNED' : 'RETURNED_BY_LEADERSHIP'
      await trx
        .updateTable('evaluation_rounds')
        .set({ outcome, reason: req.payload.reason ?? req.payload.comment ?? null, decided_by: req.actor.id, decided_at: now })
        .where('evaluation_id', '=', ev.id)
        .where('round', '=', round)
        .execute()
      if (req.action === 'return') round += 1
    }
    await trx
      .updateTable('evaluations')
      .set({ ...set, stage: req.to, version: req.version, round, overdue: false, deadline_at: req.deadlineAt ? new Date(req.deadlineAt) : null, updated_at: now })
      .where('id', '=', ev.id)
      .execute()
    await appendAudit(trx, {
      actor_id: req.actor.id,
      entity: 'evaluation',
      entity_id: String(ev.id),
      action: req.action,
      from_stage: req.from,
      to_stage: req.to,
      reason: req.payload.reason ?? req.payload.comment ?? null,
      data: { round: ev.round, ...(req.payload.adjustments ? { adjustments: req.payload.adjustments } : {}), ...(scores ? { total: scores.values, level: scores.level } : {}) },
      ruleset_id: ruleSet.id,
      rule_hash: ruleSet.hash,
      idempotency_key: `evaluation:${ev.id}:v${req.version}`,
    })
    return { ok: true as const, evaluationId: ev.id, stage: req.to, version: req.version, round }
  })
}
