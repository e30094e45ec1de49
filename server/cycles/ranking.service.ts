import { sql } from 'kysely'
import { classify, type Candidate } from '../../rules/classify.js'
import type { Level } from '../../rules/ruleset.types.js'
import { appendAudit, appendAuditMany } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import { scoreDocument, storedScores } from '../evaluations/scoring.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'

const MAX_PASSES = 12
const BATCH = 500

/**
 * Ranks and classifies a cycle whose units are all signed off:
 * 1. leaders' `d` from their direct subordinates' results (repeated until stable, bottom-up);
 * 2. the quota per unit (and position group), with leadership exceptions;
 * 3. ranks within unit and cycle. One transaction; idempotent (a retry rewrites the same values).
 */
export async function rankCycle(db: Db, cycleId: number, progress: (done: number) => void = () => {}): Promise<{ classified: number }> {
  return db.transaction().execute(async (trx) => {
    const cycle = await trx.selectFrom('cycles').selectAll().where('id', '=', cycleId).forUpdate().executeTakeFirstOrThrow()
    if (cycle.status === 'RANKED' || cycle.status === 'CLASSIFIED') return { classified: 0 } // a retried activity
    const ruleSet = (await findRuleSet(trx, cycle.ruleset_id))!
    const rows = await trx
      .selectFrom('evaluations')
      .select(['id', 'staff_id', 'unit_id', 'position_code', 'rule_role', 'data', 'adjustments', 'reviewer_ids', 'scores', 'level', 'version'])
      .where('cycle_id', '=', cycleId)
      .where('stage', 'in', ['SIGNED_OFF', 'CLASSIFIED'])
      .orderBy('id')
      .execute()

    const levelByStaff = new Map<number, Level>(rows.map((r) => [r.staff_id, r.level as Level]))
    const scoresById = new Map(rows.map((r) => [r.id, r.scores as ReturnType<typeof storedScores>]))
    const leaders = rows.filter((r) => r.rule_role === 'leader')
    const subordinatesOf = new Map<number, number[]>()
    for (const r of rows) for (const reviewer of r.reviewer_ids as number[]) subordinatesOf.set(reviewer, [...(subordinatesOf.get(reviewer) ?? []), r.staff_id])

    for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
      changed = false
      for (const l of leaders) {
        const notCompleted = (subordinatesOf.get(l.staff_id) ?? []).filter((s) => levelByStaff.get(s) === 'KHT').length
        const outcome = scoreDocument(ruleSet.definition, l.data, l.adjustments, 'leader', { leader: { subordinatesNotCompleted: notCompleted } })
        if (!outcome.ok) continue
        const stored = storedScores(outcome.result, ruleSet.id, ruleSet.hash)
        if (levelByStaff.get(l.staff_id) !== stored.level) changed = true
        levelByStaff.set(l.staff_id, stored.level)
        scoresById.set(l.id, stored)
      }
    }

    const capByUnit = new Map<number, number>()
    for (const e of await trx.selectFrom('quota_exceptions').select(['unit_id', 'cap']).where('cycle_id', '=', cycleId).execute()) capByUnit.set(e.unit_id, e.cap)
    const candidates: Candidate[] = rows.map((r) => ({
      id: r.id,
      unitId: r.unit_id,
      positionCode: r.position_code,
      level: scoresById.get(r.id)!.level,
      values: scoresById.get(r.id)!.values,
    }))
    const classified = classify(candidates, ruleSet.definition.quota, capByUnit)
    const byId = new Map(rows.map((r) => [r.id, r]))
    const totalKey = ruleSet.definition.totalKey
    for (let i = 0; i < classified.length; i += BATCH) {
      progress(i)
      const batch = classified.slice(i, i + BATCH)
      const values = batch.map((c) => {
        const s = scoresById.get(c.id)!
        return sql`(${c.id}::int, ${JSON.stringify(s)}::jsonb, ${s.values[totalKey] ?? null}::float8, ${s.level}::text, ${s.override?.code ?? null}::text, ${c.finalLevel}::text, ${c.cutByQuota}::boolean, ${c.tieFlag}::boolean, ${c.rankInUnit}::int, ${c.rankInCycle}::int)`
      })
      await sql`
        update evaluations as e set
          stage = 'CLASSIFIED', version = e.version + 1, scores = v.scores, total = v.total, level = v.level,
          override_code = v.override_code, final_level = v.final_level, quota_cut = v.quota_cut, quota_tie = v.quota_tie,
          rank_in_unit = v.rank_in_unit, rank_in_cycle = v.rank_in_cycle, updated_at = now()
        from (values ${sql.join(values)}) as v(id, scores, total, level, override_code, final_level, quota_cut, quota_tie, rank_in_unit, rank_in_cycle)
        where e.id = v.id`.execute(trx)
      await appendAuditMany(
        trx,
        batch.map((c) => ({
          actor_id: null,
          entity: 'evaluation' as const,
          entity_id: String(c.id),
          action: 'classify',
          from_stage: 'SIGNED_OFF',
          to_stage: 'CLASSIFIED',
          reason: null,
          data: { finalLevel: c.finalLevel, quotaCut: c.cutByQuota, tie: c.tieFlag, rankInUnit: c.rankInUnit, rankInCycle: c.rankInCycle },
          ruleset_id: ruleSet.id,
          rule_hash: ruleSet.hash,
          idempotency_key: `evaluation:${c.id}:v${byId.get(c.id)!.version + 1}`,
        })),
      )
    }
    await trx.updateTable('cycles').set({ status: 'RANKED' }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'classify', reason: null, data: { evaluations: classified.length }, idempotency_key: `cycle:${cycleId}:classify` })
    return { classified: classified.length }
  })
}
