import { sql } from 'kysely'
import type { Transition } from '../../workflows/stages.js'
import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { scoreDocument, storedScores } from './scoring.js'

export type ProjectionOutcome =
  /** Written now, or already there: the other writer came first. */
  | { ok: true }
  /** An earlier transition is not in the read model yet: the workflow applies them in order. */
  | { ok: false; type: 'BEHIND' | 'VALIDATION_FAILED' | string; message: string }

const ROUND_OUTCOME = { approve: 'APPROVED', return: 'RETURNED', leaderReturn: 'RETURNED_BY_LEADERSHIP' } as const

/**
 * Applies one recorded transition to PostgreSQL: read model, round history, scores and audit, in
 * one statement guarded by the expected version. Idempotent by (evaluation, version): the API and
 * the workflow's backstop both call it, and a retried activity changes nothing twice.
 * `known` is the row as the caller last read it; it saves a read when it is still current.
 */
export async function applyTransition(db: Db, t: Transition, known?: EvaluationRow): Promise<ProjectionOutcome> {
  let ev = known
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!ev || attempt > 0) ev = await db.selectFrom('evaluations').selectAll().where('id', '=', t.evaluationId).executeTakeFirstOrThrow()
    if (ev.version >= t.version) return { ok: true }
    if (ev.version !== t.version - 1) return { ok: false, type: 'BEHIND', message: `evaluation ${ev.id} is at v${ev.version}; v${t.version - 1} is not applied yet` }
    const outcome = await writeTransition(db, ev, t)
    if (outcome) return outcome
    // Another writer moved the row between our read and write: read it again.
  }
  return { ok: true }
}

/**
 * The guarded write: one statement (data-modifying CTEs), so it is whole or nothing without a
 * transaction. Null when the row is no longer at the version it was read at.
 */
async function writeTransition(db: Db, ev: EvaluationRow, t: Transition): Promise<ProjectionOutcome | null> {
  const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
  const reason = t.payload.reason ?? t.payload.comment ?? null
  const data = t.action === 'submit' && t.payload.data ? t.payload.data : ev.data

  let scored = sql``
  let scores: ReturnType<typeof storedScores> | null = null
  if (t.action === 'submit' || t.action === 'approve') {
    const adjustments = t.action === 'approve' ? (t.payload.adjustments ?? ev.adjustments) : ev.adjustments
    const outcome = scoreDocument(ruleSet.definition, data, adjustments, ev.rule_role as 'staff' | 'leader')
    if (!outcome.ok) return { ok: false, type: outcome.code, message: outcome.en }
    scores = storedScores(outcome.result, ruleSet.id, ruleSet.hash)
    scored = sql`, data = ${json(data)}, scores = ${json(scores)}, total = ${outcome.result.total}, level = ${outcome.result.level},
      override_code = ${outcome.result.override?.code ?? null}, adjustments = ${adjustments ? json(adjustments) : null}`
  }
  const roundChange =
    t.action === 'submit'
      ? sql`insert into evaluation_rounds (evaluation_id, round, data, scores, submitted_at) select id, ${ev.round}::int, ${json(data)}, ${json(scores)}, now() from upd`
      : t.action in ROUND_OUTCOME
        ? sql`update evaluation_rounds set outcome = ${ROUND_OUTCOME[t.action as keyof typeof ROUND_OUTCOME]}, reason = ${reason}, decided_by = ${t.actor.id}, decided_at = now()
            where evaluation_id = ${ev.id} and round = ${ev.round} and exists (select 1 from upd)`
        : sql`select 1`
  const auditData = { round: ev.round, ...(t.payload.adjustments ? { adjustments: t.payload.adjustments } : {}), ...(scores ? { total: scores.values, level: scores.level } : {}) }

  const { rows } = await sql<{ id: number }>`
    with upd as (
      update evaluations
      set stage = ${t.to}, version = ${t.version}, round = ${t.round}, overdue = false,
          deadline_at = ${t.deadlineAt ? new Date(t.deadlineAt) : null}, updated_at = now() ${scored}
      where id = ${ev.id} and version = ${t.version - 1}
      returning id
    ),
    round_change as (${roundChange}),
    audit as (
      insert into audit_events (actor_id, entity, entity_id, action, from_stage, to_stage, reason, data, ruleset_id, rule_hash, idempotency_key)
      select ${t.actor.id}::int, 'evaluation', ${String(ev.id)}::text, ${t.action}::text, ${t.from}::text, ${t.to}::text, ${reason}::text, ${json(auditData)},
             ${ruleSet.id}::int, ${ruleSet.hash}::text, ${`evaluation:${ev.id}:v${t.version}`}::text
      from upd
      on conflict (idempotency_key) do nothing
    )
    select id from upd`.execute(db)
  return rows.length ? { ok: true } : null
}
