import type { Transition } from '../../workflows/stages.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { scoreDocument, storedScores } from './scoring.js'

export type ProjectionOutcome =
  /** Written now (with the row as written), or already there: the other writer came first. */
  | { ok: true; row?: EvaluationRow }
  /** An earlier transition is not in the read model yet: the workflow applies them in order. */
  | { ok: false; type: 'BEHIND' | 'VALIDATION_FAILED' | string; message: string }

/**
 * Applies one recorded transition to PostgreSQL in one transaction: read model, round history,
 * scores, audit. Idempotent by (evaluation, version): the API and the workflow's backstop both
 * call it, and a retried activity changes nothing twice.
 */
export async function applyTransition(db: Db, req: Transition): Promise<ProjectionOutcome> {
  return db.transaction().execute(async (trx) => {
    const ev = await trx.selectFrom('evaluations').selectAll().where('id', '=', req.evaluationId).forUpdate().executeTakeFirstOrThrow()
    if (ev.version >= req.version) return { ok: true as const }
    if (ev.version !== req.version - 1) {
      return { ok: false as const, type: 'BEHIND', message: `evaluation ${ev.id} is at v${ev.version}; v${req.version - 1} is not applied yet` }
    }
    const ruleSet = (await findRuleSet(trx, ev.ruleset_id))!
    const now = new Date()
    const data = req.action === 'submit' && req.payload.data ? req.payload.data : ev.data
    let scores: ReturnType<typeof storedScores> | null = null
    const set: Record<string, unknown> = {}

    if (req.action === 'submit' || req.action === 'approve') {
      const adjustments = req.action === 'approve' ? (req.payload.adjustments ?? ev.adjustments) : ev.adjustments
      const outcome = scoreDocument(ruleSet.definition, data, adjustments, ev.rule_role as 'staff' | 'leader')
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
      set['data'] = JSON.stringify(data)
      await trx
        .insertInto('evaluation_rounds')
        .values({ evaluation_id: ev.id, round: ev.round, data: JSON.stringify(data), scores: JSON.stringify(scores), submitted_at: now })
        .execute()
    } else if (req.action === 'approve' || req.action === 'return' || req.action === 'leaderReturn') {
      const outcome = req.action === 'approve' ? 'APPROVED' : req.action === 'return' ? 'RETURNED' : 'RETURNED_BY_LEADERSHIP'
      await trx
        .updateTable('evaluation_rounds')
        .set({ outcome, reason: req.payload.reason ?? req.payload.comment ?? null, decided_by: req.actor.id, decided_at: now })
        .where('evaluation_id', '=', ev.id)
        .where('round', '=', ev.round)
        .execute()
    }
    const row = await trx
      .updateTable('evaluations')
      .set({ ...set, stage: req.to, version: req.version, round: req.round, overdue: false, deadline_at: req.deadlineAt ? new Date(req.deadlineAt) : null, updated_at: now })
      .where('id', '=', ev.id)
      .returningAll()
      .executeTakeFirstOrThrow()
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
    return { ok: true as const, row }
  })
}
