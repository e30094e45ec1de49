import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { StoredScores } from '../evaluations/scoring.js'
import { classifyCycle, scoreCycle, type MemberScore } from './cycle-scoring.js'
import { loadMembers, pinnedRuleSets, quotaCaps } from './cycle-members.repo.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'

const BATCH = 500

/**
 * Ranks and classifies a cycle whose units are all signed off:
 * 1. leaders' `d` from their direct subordinates' results (repeated until stable, bottom-up);
 * 2. the quota per unit (and position group), with leadership exceptions;
 * 3. ranks within unit and cycle. One transaction; idempotent (a retry rewrites the same values).
 * It writes results, never a stage: each evaluation's workflow records its classification next.
 */
export async function rankCycle(db: Db, cycleId: number, progress: (done: number) => void = () => {}): Promise<{ classified: number }> {
  return db.transaction().execute(async (trx) => {
    const cycle = await trx.selectFrom('cycles').selectAll().where('id', '=', cycleId).forUpdate().executeTakeFirstOrThrow()
    if (cycle.status === 'RANKED' || cycle.status === 'CLASSIFIED') return { classified: 0 } // a retried activity
    const ruleSet = (await findRuleSet(trx, cycle.ruleset_id))!
    const rows = await loadMembers(trx, cycleId, ['SIGNED_OFF', 'CLASSIFIED'])
    const pinned = await pinnedRuleSets(trx, rows)
    const scores = scoreCycle((m) => pinned.get(m.ruleSetId)!, rows)
    const scoresById = new Map(rows.map((r) => [r.id, storedOrFail(scores.get(r.id)!, r.id)]))
    const classified = classifyCycle(ruleSet, rows, scores, await quotaCaps(trx, cycleId))
    for (let i = 0; i < classified.length; i += BATCH) {
      progress(i)
      const batch = classified.slice(i, i + BATCH)
      const values = batch.map((c) => {
        const s = scoresById.get(c.id)!
        return sql`(${c.id}::int, ${JSON.stringify(s)}::jsonb, ${s.total}::float8, ${s.level}::text, ${s.override?.code ?? null}::text, ${c.finalLevel}::text, ${c.cutByQuota}::boolean, ${c.tieFlag}::boolean, ${c.rankInUnit}::int, ${c.rankInCycle}::int)`
      })
      await sql`
        update evaluations as e set
          scores = v.scores, total = v.total, level = v.level,
          override_code = v.override_code, final_level = v.final_level, quota_cut = v.quota_cut, quota_tie = v.quota_tie,
          rank_in_unit = v.rank_in_unit, rank_in_cycle = v.rank_in_cycle, updated_at = now()
        from (values ${sql.join(values)}) as v(id, scores, total, level, override_code, final_level, quota_cut, quota_tie, rank_in_unit, rank_in_cycle)
        where e.id = v.id`.execute(trx)
    }
    await trx.updateTable('cycles').set({ status: 'RANKED' }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'rank', reason: null, data: { evaluations: classified.length }, idempotency_key: `cycle:${cycleId}:rank` })
    return { classified: classified.length }
  })
}

/** Every signed-off evaluation was scored when approved: failing now would mean corrupted data. */
function storedOrFail(score: MemberScore, id: number): StoredScores {
  if (!score.ok) throw new Error(`evaluation ${id} no longer scores: ${score.message}`)
  return score.scores
}
