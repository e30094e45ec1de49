import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migratorOf, openDatabase, type Db } from '../../server/db/database.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { createTestDatabase } from '../support/database.js'
import { ADMIN_PASSWORD, DEMO_PASSWORD } from '../support/harness.js'

const BEFORE = '2026-12-03-017-org-version'

/** Stored scores as the projection writes them (the trace is most of their size). */
const scores = (total: number) => ({ values: { total, task: total - 27 }, total, baseLevel: 'HTT', level: 'HTT', override: null, trace: [{ key: 'total', value: total }], ruleSetId: 1, ruleHash: 'h1' })
const summary = (total: number) => {
  const { trace: _trace, ...rest } = scores(total)
  return rest
}
const doc = (done: number) => ({ general: {}, products: [{ code: 'B01', k: 1, assigned: 10, done }] })

/**
 * `evaluations.current_scores` (migration 018): the stored scores without their trace while they are
 * the document's as it stands — what simulation takes instead of scoring the document again. Kept by
 * triggers whatever path writes the row; on upgrade, taken where ranking's proof holds.
 */
describe('current scores (migration 018): kept by triggers, backfilled where provably current', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-current-scores-'))
  let database: { url: string; drop(): Promise<void> }
  let db: Db
  let owner: pg.Client
  const ids: Record<string, number> = {}
  const current = async (id: number) => (await owner.query(`select current_scores from evaluations where id = $1`, [id])).rows[0]!.current_scores as unknown

  beforeAll(async () => {
    database = await createTestDatabase('current_scores')
    db = await openDatabase({ databaseUrl: database.url, dataDir })
    expect((await migratorOf(db).migrateTo(BEFORE)).error).toBeUndefined()
    await bootstrap(db, { adminPassword: ADMIN_PASSWORD, seedDemo: true, demoPassword: DEMO_PASSWORD })
    owner = new pg.Client({ connectionString: database.url })
    await owner.connect()
    const one = async (text: string, params: unknown[]) => (await owner.query<{ id: number }>(text, params)).rows[0]!.id
    const staff = (await owner.query<{ id: number; unit_id: number }>(`select id, unit_id from staff where unit_id is not null order by id limit 4`)).rows
    ids.cycle = await one(
      `insert into cycles (name, period_kind, period_start, period_end, ruleset_id, status, unit_ids, durations, created_by)
       values ('Tháng 10/2026', 'month', '2026-10-01', '2026-10-31', 1, 'CLASSIFIED', $1, '{}', 1) returning id`,
      [JSON.stringify([...new Set(staff.map((s) => s.unit_id))])],
    )
    // As a database at 017 holds them: scored when submitted, then (or not) written since.
    const evaluation = async (name: string, i: number, data: unknown, adjustments: unknown, roundData: unknown) => {
      ids[name] = await one(
        `insert into evaluations (cycle_id, staff_id, unit_id, rule_role, stage, data, adjustments, scores, reviewer_ids, sign_off_ids, ruleset_id, rule_hash, total, level)
         values ($1, $2, $3, 'staff', 'CLASSIFIED', $4, $5, $6, '[]', '[]', 1, 'h1', 80, 'HTT') returning id`,
        [ids.cycle, staff[i]!.id, staff[i]!.unit_id, JSON.stringify(data), adjustments === null ? null : JSON.stringify(adjustments), JSON.stringify(scores(80 + i))],
      )
      await owner.query(`insert into evaluation_rounds (evaluation_id, round, data, scores, submitted_at) values ($1, 1, $2, $3, now())`, [ids[name], JSON.stringify(roundData), JSON.stringify(scores(80 + i))])
    }
    await evaluation('unchanged', 0, doc(8), null, doc(8))
    await evaluation('writtenSince', 1, doc(9), null, doc(8))
    await evaluation('adjusted', 2, doc(8), { overrides: { discipline: 'reprimand' } }, doc(8))
    expect((await migratorOf(db).migrateToLatest()).error).toBeUndefined()
  })
  afterAll(async () => {
    await owner?.end()
    await db?.destroy()
    await database?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('takes the stored scores of an upgraded database only where the round proves them the document’s', async () => {
    expect(await current(ids.unchanged!)).toEqual(summary(80))
    // The document written after its round was scored, or adjusted by the head: scored again from the document.
    expect(await current(ids.writtenSince!)).toBeNull()
    expect(await current(ids.adjusted!)).toBeNull()
  })

  it('forgets them the moment the document, its adjustments, the rule role or the pinned version is written without them', async () => {
    for (const [column, value] of [['data', `'${JSON.stringify(doc(7))}'::jsonb`], ['adjustments', `'{}'::jsonb`], ['rule_role', `'leader'`], ['ruleset_id', 'ruleset_id']] as const) {
      await owner.query(`update evaluations set scores = $2 where id = $1`, [ids.unchanged, JSON.stringify(scores(81))])
      expect(await current(ids.unchanged!)).toEqual(summary(81))
      // Even written with the value it had: the code that writes it without scores does not vouch for them.
      await owner.query(`update evaluations set ${column} = ${value} where id = $1`, [ids.unchanged])
      expect(await current(ids.unchanged!), column).toBeNull()
    }
  })

  it('takes scores written with the document (the projection’s submit and approval, the ranking’s write) and keeps them through other writes', async () => {
    await owner.query(`update evaluations set data = $2, adjustments = null, scores = $3 where id = $1`, [ids.writtenSince, JSON.stringify(doc(9)), JSON.stringify(scores(90))])
    expect(await current(ids.writtenSince!)).toEqual(summary(90))
    await owner.query(`update evaluations set scores = $2, final_level = 'HTXS', rank_in_cycle = 1 where id = $1`, [ids.writtenSince, JSON.stringify(scores(91))])
    expect(await current(ids.writtenSince!)).toEqual(summary(91))
    await owner.query(`update evaluations set stage = 'SIGNED_OFF', version = version + 1, reviewer_ids = '[1]', updated_at = now() where id = $1`, [ids.writtenSince])
    expect(await current(ids.writtenSince!)).toEqual(summary(91))
    // Scores of another version than the pinned one, or capped by a ranking (its output, not the document's): not current.
    await owner.query(`update evaluations set scores = $2 where id = $1`, [ids.writtenSince, JSON.stringify({ ...scores(92), ruleHash: 'h2' })])
    expect(await current(ids.writtenSince!)).toBeNull()
    await owner.query(`update evaluations set scores = $2 where id = $1`, [ids.writtenSince, JSON.stringify({ ...scores(92), cap: { unitId: 1, level: 'HT' } })])
    expect(await current(ids.writtenSince!)).toBeNull()
    // A document that failed to score: no scores, nothing current.
    await owner.query(`update evaluations set data = $2, scores = null where id = $1`, [ids.writtenSince, JSON.stringify(doc(1))])
    expect(await current(ids.writtenSince!)).toBeNull()
  })

  it('is never written by the code (only the triggers set it) and goes back down with them', async () => {
    expect((await migratorOf(db).migrateTo(BEFORE)).error).toBeUndefined()
    const left = await owner.query(`select count(*)::int as n from pg_trigger where tgname like 'evaluations\\_%' and not tgisinternal`)
    expect(left.rows[0]).toEqual({ n: 0 })
    expect((await owner.query(`select column_name from information_schema.columns where table_name = 'evaluations' and column_name = 'current_scores'`)).rows).toEqual([])
    expect((await migratorOf(db).migrateToLatest()).error).toBeUndefined()
    expect(await current(ids.unchanged!)).toBeNull() // its data was rewritten since its round: not proven
  })
})
