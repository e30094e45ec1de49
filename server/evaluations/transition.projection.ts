import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Transition } from '../../workflows/stages.js'
import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { scoreDocument, storedScores } from './scoring.js'

/** What projecting a transition did: wrote it, found the same one there, or found a different one there (reported). */
export type ProjectionResult = 'applied' | 'already' | 'conflict'

const ROUND_OUTCOME = { approve: 'APPROVED', return: 'RETURNED', leaderReturn: 'RETURNED_BY_LEADERSHIP' } as const

/**
 * The transition's fingerprint: two different transitions at one version never share it. Without
 * the time: a workflow task retried after its worker died records the same decision at a later
 * workflow time, and its projection must be recognised as the one already written.
 */
export function transitionHash(t: Transition): string {
  const { evaluationId, version, action, from, to, round, actor, payload } = t
  return createHash('sha256').update(canonicalJson({ evaluationId, version, action, from, to, round, actorId: actor.id, payload })).digest('hex')
}

/** Whether a ledger hash is this transition's (either fingerprint). */
export const isLedgerOf = (hash: string | undefined, t: Transition): boolean => hash === transitionHash(t) || hash === legacyHash(t)

/** The fingerprint the ledger kept before the time was left out (rows written by release v1–v2). */
function legacyHash(t: Transition): string {
  const { evaluationId, version, action, from, to, round, actor, payload, at } = t
  return createHash('sha256').update(canonicalJson({ evaluationId, version, action, from, to, round, actorId: actor.id, payload, at })).digest('hex')
}

/**
 * Writes one transition an evaluation workflow recorded to PostgreSQL — read model, ledger,
 * round history, scores and audit — in one statement guarded by the previous version. Exactly
 * once: the ledger is keyed by (evaluation, version) and carries the hash, so repeating the same
 * transition is "already", and a different one at a version already written is a "conflict",
 * raised as an alert and logged, never taken for done. Throws (to be retried) when the previous
 * version is not written yet or the database fails. `seen` is the row as the caller last read it
 * (the API, just before the action), used for the first attempt when it is the previous version.
 */
export async function projectTransition(db: Db, t: Transition, seen?: EvaluationRow): Promise<ProjectionResult> {
  const hash = transitionHash(t)
  for (let attempt = 0; attempt < 3; attempt++) {
    // The row the caller read just before the action saves a read: the write is guarded by its version anyway.
    const ev = attempt === 0 && seen?.id === t.evaluationId && seen.version === t.version - 1 ? seen : await db.selectFrom('evaluations').selectAll().where('id', '=', t.evaluationId).executeTakeFirst()
    if (!ev) throw new Error(`evaluation ${t.evaluationId} does not exist`)
    if (ev.version >= t.version) {
      const known = await db.selectFrom('evaluation_transitions').select('hash').where('evaluation_id', '=', ev.id).where('version', '=', t.version).executeTakeFirst()
      if (isLedgerOf(known?.hash, t)) return 'already'
      await raiseAlert(db, t, 'CONFLICT', `v${t.version} ${t.action}: the read model holds ${known ? `another transition (${known.hash.slice(0, 12)})` : `an unrecorded v${ev.version}`}`)
      return 'conflict'
    }
    if (ev.version < t.version - 1) throw new Error(`evaluation ${ev.id} is at v${ev.version}: v${t.version - 1} must be projected before v${t.version}`)
    if (await write(db, ev, t, hash)) return 'applied'
    // Another writer (the reconciler) moved the row between our read and write: look again.
  }
  throw new Error(`evaluation ${t.evaluationId} v${t.version}: the row kept moving`)
}

/** A projection that conflicts, a score that failed, a difference the reconciler found, a projection failing again and again. */
export type AlertKind = 'CONFLICT' | 'SCORING' | 'RECONCILE' | 'FAILING'

/** Closes an alert once what raised it is over (a failing projection that finally went through). */
export async function resolveAlert(db: Db, t: Pick<Transition, 'evaluationId' | 'version'>, kind: AlertKind): Promise<void> {
  await db.updateTable('projection_alerts').set({ resolved_at: new Date() }).where('evaluation_id', '=', t.evaluationId).where('version', '=', t.version).where('kind', '=', kind).where('resolved_at', 'is', null).execute()
}

/** Records what went wrong for the operators: `GET /api/health` reports open alerts. */
export async function raiseAlert(db: Db, t: Pick<Transition, 'evaluationId' | 'version'>, kind: AlertKind, message: string): Promise<void> {
  console.error(`ALERT ${kind}: evaluation ${t.evaluationId} v${t.version}: ${message}`)
  await db
    .insertInto('projection_alerts')
    .values({ evaluation_id: t.evaluationId, version: t.version, kind, message })
    .onConflict((oc) => oc.columns(['evaluation_id', 'version', 'kind']).doNothing())
    .execute()
}

/** The guarded write: one statement (data-modifying CTEs), whole or nothing. False when the row moved since it was read. */
async function write(db: Db, ev: EvaluationRow, t: Transition, hash: string): Promise<boolean> {
  const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
  const reason = t.payload.reason ?? t.payload.comment ?? null
  const data = (t.action === 'submit' || t.action === 'save') && t.payload.data ? t.payload.data : ev.data
  const actorId = t.actor.id > 0 ? t.actor.id : null

  let changes = sql``
  let scores: ReturnType<typeof storedScores> | null = null
  if (t.action === 'save') changes = sql`, data = ${json(data)}`
  // A reassignment (release v7): the party list the workflow now holds, and the indexed party rows below.
  const reassign = t.action === 'reassign' ? t.payload.reassign : undefined
  const partyRole = reassign?.role === 'reviewer' ? 'reviewer' : 'signoff'
  if (reassign) changes = reassign.role === 'reviewer' ? sql`, reviewer_ids = ${json(reassign.to)}` : sql`, sign_off_ids = ${json(reassign.to)}`
  if (t.action === 'submit' || t.action === 'approve') {
    const adjustments = t.action === 'approve' ? (t.payload.adjustments ?? ev.adjustments) : ev.adjustments
    const outcome = scoreDocument(ruleSet.definition, data, adjustments, ev.rule_role)
    if (outcome.ok) {
      scores = storedScores(outcome.result, ruleSet.id, ruleSet.hash)
      changes = sql`, data = ${json(data)}, scores = ${json(scores)}, total = ${outcome.result.total}, level = ${outcome.result.level},
        override_code = ${outcome.result.override?.code ?? null}, adjustments = ${adjustments ? json(adjustments) : null}`
    } else {
      // The API checked the document before the action; a rule set that now refuses it is reported, and the transition still stands.
      await raiseAlert(db, t, 'SCORING', `${outcome.code}: ${outcome.en}`)
      changes = sql`, data = ${json(data)}, adjustments = ${adjustments ? json(adjustments) : null}`
    }
  }
  const roundChange =
    t.action === 'submit'
      ? sql`insert into evaluation_rounds (evaluation_id, round, data, scores, submitted_at) select id, ${ev.round}::int, ${json(data)}, ${json(scores)}, ${new Date(t.at)}::timestamptz from upd
          on conflict (evaluation_id, round) do update set data = excluded.data, scores = excluded.scores, submitted_at = excluded.submitted_at, outcome = null, reason = null, decided_by = null, decided_at = null`
      : t.action in ROUND_OUTCOME
        ? sql`update evaluation_rounds set outcome = ${ROUND_OUTCOME[t.action as keyof typeof ROUND_OUTCOME]}, reason = ${reason}, decided_by = ${actorId}, decided_at = ${new Date(t.at)}::timestamptz
            where evaluation_id = ${ev.id} and round = ${ev.round} and exists (select 1 from upd)`
        : sql`select 1`
  const auditData = {
    round: ev.round,
    // A delegate acting for their principal: the audit row's actor is the delegate, the principal is named here.
    ...(t.actor.onBehalfOf ? { onBehalfOf: t.actor.onBehalfOf.id, delegationId: t.actor.onBehalfOf.delegationId } : {}),
    ...(reassign ? { reassign: { role: reassign.role, from: reassign.from, to: reassign.to } } : {}),
    ...(t.payload.adjustments ? { adjustments: t.payload.adjustments } : {}),
    ...(scores ? { total: scores.values, level: scores.level } : {}),
    ...(t.action === 'classify' ? { finalLevel: ev.final_level, quotaCut: ev.quota_cut, tie: ev.quota_tie, rankInUnit: ev.rank_in_unit, rankInCycle: ev.rank_in_cycle } : {}),
  }

  const { rows } = await sql<{ id: number }>`
    with upd as (
      update evaluations
      set stage = ${t.to}, version = ${t.version}, round = ${t.round}, overdue = ${reassign ? sql`overdue` : false},
          deadline_at = ${t.deadlineAt ? new Date(t.deadlineAt) : null}, updated_at = now() ${changes}
      where id = ${ev.id} and version = ${t.version - 1}
      returning id
    ),
    ledger as (
      insert into evaluation_transitions (evaluation_id, version, action, from_stage, to_stage, actor_id, hash, recorded_at)
      select id, ${t.version}::int, ${t.action}::text, ${t.from}::text, ${t.to}::text, ${actorId}::int, ${hash}::text, ${new Date(t.at)}::timestamptz from upd
    ),
    round_change as (${roundChange}),
    parties_gone as (
      delete from evaluation_parties where ${reassign ? sql`true` : sql`false`} and evaluation_id = ${ev.id} and role = ${partyRole}
        and person_id <> all(${reassign?.to ?? []}::int[]) and exists (select 1 from upd)
    ),
    parties_new as (
      insert into evaluation_parties (person_id, role, evaluation_id)
      select p, ${partyRole}::text, id from upd, unnest(${reassign?.to ?? []}::int[]) p
      on conflict do nothing
    ),
    audit as (
      insert into audit_events (actor_id, entity, entity_id, action, from_stage, to_stage, reason, data, ruleset_id, rule_hash, idempotency_key)
      select ${actorId}::int, 'evaluation', ${String(ev.id)}::text, ${t.action}::text, ${t.from}::text, ${t.to}::text, ${reason}::text, ${json(auditData)},
             ${ruleSet.id}::int, ${ruleSet.hash}::text, ${`evaluation:${ev.id}:v${t.version}`}::text
      from upd
      on conflict (idempotency_key) do nothing
    )
    select id from upd`.execute(db)
  return rows.length > 0
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
