import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { Classified } from '../../rules/classify.js'
import type { StoredScores } from '../evaluations/scoring.js'
import { classifyCycle, reusableScores, scoreCycle, type CycleMember, type MemberScore, type RankingMember, type StoredSummary } from './cycle-scoring.js'
import { loadDocuments, loadRankingMembers, pinnedRuleSets, quotaCaps } from './cycle-members.repo.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { leaderCapsOf, withCap } from '../units/cycle-caps.js'

/** Rows written with their score documents per statement (jsonb parameters). */
const FULL_BATCH = 500
/** Rows whose ranks and levels only are written per statement (six arrays, whatever the count): measured, see writeRanks. */
const RANK_BATCH = 10_000

/**
 * Ranks and classifies a cycle whose units are all signed off:
 * 1. leaders' `d` from their direct subordinates' results (repeated until stable, bottom-up);
 * 2. the quota per unit (and position group), with leadership exceptions;
 * 3. ranks within unit and cycle. One transaction; idempotent (a retry rewrites the same values).
 * It writes results, never a stage: each evaluation's workflow records its classification next.
 */
export async function rankCycle(db: Db, cycleId: number, progress: (done: number) => void = () => {}, revision?: number): Promise<{ classified: number; changed: LevelChange[] }> {
  return db.transaction().execute(async (trx) => {
    const cycle = await trx.selectFrom('cycles').selectAll().where('id', '=', cycleId).forUpdate().executeTakeFirstOrThrow()
    const auditKey = revision === undefined ? `cycle:${cycleId}:rank` : `cycle:${cycleId}:rank:r${revision}`
    if (revision === undefined && (cycle.status === 'RANKED' || cycle.status === 'CLASSIFIED')) return { classified: 0, changed: [] } // a retried activity
    if (revision !== undefined) {
      // A re-ranking after accepted petitions (the cycle stays CLASSIFIED): a retried activity answers what the first attempt found.
      const done = await trx.selectFrom('audit_events').select('data').where('idempotency_key', '=', auditKey).executeTakeFirst()
      if (done) return { classified: 0, changed: ((done.data ?? {}) as { changed?: LevelChange[] }).changed ?? [] }
    }
    // Every evaluation of the cycle is ranked or the ranking fails: none is silently left out.
    const pending = await trx.selectFrom('evaluations').select(['id', 'stage']).where('cycle_id', '=', cycleId).where('stage', 'not in', ['SIGNED_OFF', 'CLASSIFIED', 'CANCELLED']).orderBy('id').limit(5).execute()
    if (pending.length) throw new RankingError(`evaluations not signed off: ${pending.map((p) => `#${p.id} (${p.stage})`).join(', ')}`)
    const ruleSet = (await findRuleSet(trx, cycle.ruleset_id))!
    const rows = await loadRankingMembers(trx, cycleId)
    const byId = new Map(rows.map((r) => [r.id, r]))
    const pinned = await pinnedRuleSets(trx, rows)
    const ruleSetOf = (m: CycleMember) => pinned.get(m.ruleSetId)!
    // The scores a person carries from their approval, when provably what scoring would give now; everyone else (leaders) is scored.
    const known = rows.map((r): MemberScore | undefined => {
      const stored = reusableScores(r, ruleSetOf(r))
      return stored ? { ok: true, scores: carried(stored) } : undefined
    })
    const reused = new Set(rows.filter((_, i) => known[i]).map((r) => r.id))
    await loadDocuments(trx, rows.filter((r) => !reused.has(r.id)))
    const scores = scoreCycle(ruleSetOf, rows, {}, known)
    const scoresById = new Map(rows.map((r, i) => [r.id, storedOrFail(scores[i]!, r.id)]))
    // A leader's level may not exceed the level of the unit they head (its unit cycle of the same period): the cap lowers the level before the quota.
    const { caps, pending: unitsPending } = cycle.subject === 'unit' ? { caps: new Map(), pending: null } : await leaderCapsOf(trx, cycle, rows.map((r) => ({ id: r.id, staffId: r.staffId, level: scoresById.get(r.id)!.level })))
    if (unitsPending) throw new RankingError(unitsPending)
    // A capped person is written with the cap and its trace line: their scores in full (the same values; they depend on no one).
    const cappedCarried = [...caps.keys()].filter((id) => reused.delete(id)).map((id) => byId.get(id)!)
    await loadDocuments(trx, cappedCarried)
    for (const m of cappedCarried) scoresById.set(m.id, storedOrFail(scoreCycle(ruleSetOf, [m])[0]!, m.id))
    const classified = classifyCycle(ruleSet, rows, scores, await quotaCaps(trx, cycleId), new Map([...caps].map(([id, cap]) => [id, cap.to])))
    const changed: LevelChange[] = []
    if (revision !== undefined) {
      for (const c of classified) {
        const before = byId.get(c.id)!
        if (before.written.finalLevel !== c.finalLevel) changed.push({ evaluationId: c.id, staffId: before.staffId, from: before.written.finalLevel, to: c.finalLevel })
      }
    }
    // Written: the scored rows in full; of the others only ranks and levels that moved (never 50,000 unchanged score documents).
    const scored = classified.filter((c) => !reused.has(c.id))
    const moved = classified.filter((c) => reused.has(c.id) && !sameRanking(byId.get(c.id)!.written, c))
    let done = 0
    for (let i = 0; i < scored.length; i += FULL_BATCH) {
      progress(done)
      const batch = scored.slice(i, i + FULL_BATCH)
      await writeScored(trx, batch.map((c) => ({ c, scores: withCap(scoresById.get(c.id)!, caps.get(c.id)) })))
      done += batch.length
    }
    for (let i = 0; i < moved.length; i += RANK_BATCH) {
      progress(done)
      const batch = moved.slice(i, i + RANK_BATCH)
      await writeRanks(trx, batch)
      done += batch.length
    }
    if (revision === undefined) await trx.updateTable('cycles').set({ status: 'RANKED' }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: revision === undefined ? 'rank' : 'rerank', reason: null, data: { evaluations: classified.length, ...(revision === undefined ? {} : { revision, changed }) }, idempotency_key: auditKey })
    return { classified: classified.length, changed }
  })
}

/** Scores carried from an approval, for levels and ordering only: their trace is not read, and they are never written back. */
function carried({ capped: _capped, ...stored }: StoredSummary): StoredScores {
  return { ...stored, trace: [] }
}

/** The ranking last written equals this one: nothing to write. */
function sameRanking(w: RankingMember['written'], c: Classified): boolean {
  return w.finalLevel === c.finalLevel && w.quotaCut === c.cutByQuota && w.quotaTie === c.tieFlag && w.rankInUnit === c.rankInUnit && w.rankInCycle === c.rankInCycle
}

/** Rows scored by this ranking: scores, total and level with the ranking. */
async function writeScored(trx: Db, rows: { c: Classified; scores: StoredScores }[]): Promise<void> {
  const values = rows.map(({ c, scores: s }) => sql`(${c.id}::int, ${JSON.stringify(s)}::jsonb, ${s.total}::float8, ${s.level}::text, ${s.override?.code ?? null}::text, ${c.finalLevel}::text, ${c.cutByQuota}::boolean, ${c.tieFlag}::boolean, ${c.rankInUnit}::int, ${c.rankInCycle}::int)`)
  await sql`
    update evaluations as e set
      scores = v.scores, total = v.total, level = v.level,
      override_code = v.override_code, final_level = v.final_level, quota_cut = v.quota_cut, quota_tie = v.quota_tie,
      rank_in_unit = v.rank_in_unit, rank_in_cycle = v.rank_in_cycle, updated_at = now()
    from (values ${sql.join(values)}) as v(id, scores, total, level, override_code, final_level, quota_cut, quota_tie, rank_in_unit, rank_in_cycle)
    where e.id = v.id`.execute(trx)
}

/**
 * Rows whose carried scores stand: their final level, quota flags and ranks, as six arrays
 * unnested (one statement of six parameters, however many rows).
 */
async function writeRanks(trx: Db, rows: Classified[]): Promise<void> {
  await sql`
    update evaluations as e set
      final_level = v.final_level, quota_cut = v.quota_cut, quota_tie = v.quota_tie, rank_in_unit = v.rank_in_unit, rank_in_cycle = v.rank_in_cycle, updated_at = now()
    from unnest(${rows.map((c) => c.id)}::int[], ${rows.map((c) => c.finalLevel)}::text[], ${rows.map((c) => c.cutByQuota)}::boolean[], ${rows.map((c) => c.tieFlag)}::boolean[], ${rows.map((c) => c.rankInUnit)}::int[], ${rows.map((c) => c.rankInCycle)}::int[])
      as v(id, final_level, quota_cut, quota_tie, rank_in_unit, rank_in_cycle)
    where e.id = v.id`.execute(trx)
}

/** A final level that a re-ranking changed (after accepted petitions): the person is told. */
export interface LevelChange {
  evaluationId: number
  staffId: number
  from: string | null
  to: string
}

/** Every signed-off evaluation was scored when approved: failing now would mean corrupted data. */
function storedOrFail(score: MemberScore, id: number): StoredScores {
  if (!score.ok) throw new RankingError(`evaluation #${id} no longer scores: ${score.message}`)
  return score.scores
}

/** Why a cycle cannot be ranked: data an admin must look at and fix; retrying blindly would not help. */
export class RankingError extends Error {
  override name = 'RankingError'
}

/** Records a failed ranking on the cycle (status RANKING_FAILED, the reason in the audit) for the admin to see. */
export async function recordRankingFailure(db: Db, cycleId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('cycles').set({ status: 'RANKING_FAILED' }).where('id', '=', cycleId).where('status', 'in', ['OPEN', 'RANKING_FAILED']).execute()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'rankingFailed', reason: reason.slice(0, 2000), data: null })
  })
}

/**
 * The reason of the cycle's last failed ranking, while it stands: the latest of its ranking events
 * (rank, re-rank after petitions, failure) is a failure — until a ranking succeeds, an admin's retry
 * included (its own audit event is written after the retry is sent, so it could land after the
 * next failure and hide it). A re-ranking after
 * accepted petitions fails on a published cycle, whose status stays CLASSIFIED (its results stay
 * published); this is how the cycle view and the retry route know it waits for an admin.
 */
export async function rankingFailure(db: Db, cycleId: number): Promise<string | null> {
  const row = await db
    .selectFrom('audit_events')
    .select(['action', 'reason'])
    .where('entity', '=', 'cycle')
    .where('entity_id', '=', String(cycleId))
    .where('action', 'in', ['rank', 'rerank', 'rankingFailed'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.action === 'rankingFailed' ? row.reason : null
}
