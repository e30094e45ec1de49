import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchCycle } from '../../server/cycles/cycle.service.js'
import { classifyCycle, scoreCycle, type CycleMember } from '../../server/cycles/cycle-scoring.js'
import { loadMembers, pinnedRuleSets, quotaCaps } from '../../server/cycles/cycle-members.repo.js'
import { rankCycle } from '../../server/cycles/ranking.service.js'
import { migrate, openDatabase, type Db } from '../../server/db/database.js'
import { scoreDocument, storedScores } from '../../server/evaluations/scoring.js'
import { findRuleSet } from '../../server/rulesets/ruleset.repo.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { createTestDatabase } from '../support/database.js'
import { doc } from '../support/documents.js'

/** Ranking needs no workflow: the cycle's rows are written as launch writes them, its start is a no-op. */
const noTemporal = { workflow: { start: () => Promise.resolve({}) } } as unknown as Parameters<typeof launchCycle>[1]

/** What ranking of record gave before carried scores were reused: every document scored again, then the quota and ranks. */
async function fullRescoring(db: Db, cycleId: number) {
  const cycle = await db.selectFrom('cycles').select('ruleset_id').where('id', '=', cycleId).executeTakeFirstOrThrow()
  const members = await loadMembers(db, cycleId, ['SIGNED_OFF', 'CLASSIFIED'])
  const pinned = await pinnedRuleSets(db, members)
  const scores = scoreCycle((m: CycleMember) => pinned.get(m.ruleSetId)!, members)
  const classified = classifyCycle((await findRuleSet(db, cycle.ruleset_id))!, members, scores, await quotaCaps(db, cycleId))
  const scoreById = new Map(members.map((m, i) => [m.id, scores[i]!]))
  return new Map(classified.map((c) => {
    const s = scoreById.get(c.id)!
    if (!s.ok) throw new Error(`#${c.id} does not score: ${s.message}`)
    return [c.id, { scores: s.scores, total: s.scores.total, level: s.scores.level, finalLevel: c.finalLevel, quotaCut: c.cutByQuota, quotaTie: c.tieFlag, rankInUnit: c.rankInUnit, rankInCycle: c.rankInCycle }]
  }))
}

const byNumber = (a: number, b: number) => a - b

const ranked = (db: Db, cycleId: number) =>
  db.selectFrom('evaluations').select(['id', 'rule_role', 'scores', 'total', 'level', 'final_level', 'quota_cut', 'quota_tie', 'rank_in_unit', 'rank_in_cycle', 'updated_at']).where('cycle_id', '=', cycleId).orderBy('id').execute()

/**
 * Ranking takes the scores a person's approval stored when they provably come from the document as
 * it stands and the pinned version, scores everyone else again (leaders, adjusted, changed or stale
 * documents), and writes only what moved — with the same results as scoring everyone again.
 */
describe('ranking over carried scores', () => {
  let database: { url: string; drop(): Promise<void> }
  let db: Db
  let cycleId: number
  const cases: Record<'changed' | 'adjusted' | 'stale' | 'unscoredRound' | 'carried', number> = { changed: 0, adjusted: 0, stale: 0, unscoredRound: 0, carried: 0 }

  beforeAll(async () => {
    database = await createTestDatabase('ranking_reuse')
    db = await openDatabase({ databaseUrl: database.url, dataDir: '' })
    await migrate(db)
    await bootstrap(db, { adminPassword: 'admin-pass-123', seedDemo: true, demoPassword: 'demo-pass-123' })
    const root = (await db.selectFrom('units').select('id').where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow()).id
    cycleId = await launchCycle(db, noTemporal, 'none', { name: 'Tháng 10/2026', periodKind: 'month', periodStart: '2026-10-01', periodEnd: '2026-10-31', ruleSetId: 1, unitIds: [root] }, 1)
    const rows = await db.selectFrom('evaluations').select(['id', 'rule_role', 'ruleset_id', 'round']).where('cycle_id', '=', cycleId).orderBy('id').execute()
    const pinned = await pinnedRuleSets(db, rows.map((r) => ({ ruleSetId: r.ruleset_id })))
    // Each person submitted and was approved: the document, its round and the scores, as the projection writes them.
    for (const [i, r] of rows.entries()) {
      const data = doc(5 + (i % 6) * 0.75, 4 + (i % 7))
      const ruleSet = pinned.get(r.ruleset_id)!
      const outcome = scoreDocument(ruleSet.definition, data, null, r.rule_role)
      if (!outcome.ok) throw new Error(`#${r.id}: ${outcome.en}`)
      // A marker the ranking does not read: a row whose stored scores were rewritten loses it.
      const scores = JSON.stringify({ ...storedScores(outcome.result, ruleSet.id, ruleSet.hash), marker: true })
      await sql`update evaluations set stage = 'SIGNED_OFF', data = ${JSON.stringify(data)}::jsonb, scores = ${scores}::jsonb, total = ${outcome.result.total}, level = ${outcome.result.level}, override_code = ${outcome.result.override?.code ?? null} where id = ${r.id}`.execute(db)
      await sql`insert into evaluation_rounds (evaluation_id, round, data, scores, submitted_at) values (${r.id}, ${r.round}, ${JSON.stringify(data)}::jsonb, ${scores}::jsonb, now())`.execute(db)
    }
    const staff = rows.filter((r) => r.rule_role === 'staff')
    expect(staff.length).toBeGreaterThanOrEqual(6)
    ;[cases.changed, cases.adjusted, cases.stale, cases.unscoredRound, cases.carried] = staff.slice(0, 5).map((r) => r.id) as [number, number, number, number, number]
    // The document changed after its scores were stored (by a path that did not score it): a valid document, other results.
    await sql`update evaluations set data = ${JSON.stringify(doc(9.5, 10))}::jsonb where id = ${cases.changed}`.execute(db)
    // The head's adjustments apply: the approval scored another document than the round's.
    await sql`update evaluations set adjustments = ${JSON.stringify({ general: { ethics: { politics: 1 } } })}::jsonb where id = ${cases.adjusted}`.execute(db)
    // Scores stored by another content of the rule set (a hash that is not the pinned one's) — and wrong.
    await sql`update evaluations set scores = jsonb_set(jsonb_set(scores, '{ruleHash}', '"0000"'), '{total}', '-1'), total = -1 where id = ${cases.stale}`.execute(db)
    // A round whose submission did not score (the projection stores null), with scores of an earlier round beside it — and wrong.
    await sql`update evaluation_rounds set scores = 'null'::jsonb where evaluation_id = ${cases.unscoredRound}`.execute(db)
    await sql`update evaluations set scores = jsonb_set(scores, '{total}', '-1'), total = -1 where id = ${cases.unscoredRound}`.execute(db)
  })
  afterAll(async () => {
    await db?.destroy()
    await database?.drop()
  })

  it('gives what scoring every document again gives: scores, levels, quota and ranks', async () => {
    const expected = await fullRescoring(db, cycleId)
    const { classified } = await rankCycle(db, cycleId)
    const rows = await ranked(db, cycleId)
    expect(classified).toBe(rows.length)
    for (const r of rows) {
      const e = expected.get(r.id)!
      const { marker: _marker, ...scores } = r.scores as Record<string, unknown>
      expect({ id: r.id, scores, total: r.total, level: r.level, finalLevel: r.final_level, quotaCut: r.quota_cut, quotaTie: r.quota_tie, rankInUnit: r.rank_in_unit, rankInCycle: r.rank_in_cycle }).toEqual({ id: r.id, ...e })
    }
  })

  it('keeps the scores it could take as they were, and scores again leaders and every document it cannot vouch for', async () => {
    const rows = await ranked(db, cycleId)
    const rewritten = new Set(rows.filter((r) => !(r.scores as { marker?: boolean }).marker).map((r) => r.id))
    const expectedRewritten = new Set([...rows.filter((r) => r.rule_role === 'leader').map((r) => r.id), cases.changed, cases.adjusted, cases.stale, cases.unscoredRound])
    expect([...rewritten].sort(byNumber)).toEqual([...expectedRewritten].sort(byNumber))
    expect(rewritten.has(cases.carried)).toBe(false)
  })

  it('writes nothing for a person whose ranking did not move when it ranks again', async () => {
    const before = new Map((await ranked(db, cycleId)).map((r) => [r.id, r]))
    const { changed } = await rankCycle(db, cycleId, () => {}, 1)
    expect(changed).toEqual([])
    const after = await ranked(db, cycleId)
    const touched = after.filter((r) => new Date(r.updated_at).getTime() !== new Date(before.get(r.id)!.updated_at).getTime()).map((r) => r.id)
    // Scored again, so written again: the leaders and the documents it still cannot vouch for (the stale
    // scores were replaced by the first ranking's, of the pinned version: taken now); the others untouched.
    expect(touched.sort(byNumber)).toEqual([...after.filter((r) => r.rule_role === 'leader').map((r) => r.id), cases.changed, cases.adjusted, cases.unscoredRound].sort(byNumber))
    for (const r of after) expect({ ...r, updated_at: null }).toEqual({ ...before.get(r.id)!, updated_at: null })
  })
})
