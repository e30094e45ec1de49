import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RankingError, rankCycle } from '../../server/cycles/ranking.service.js'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/** Ranking that data prevents: the cycle stops in RANKING_FAILED with the reason, an admin fixes the data and retries. */
describe('a cycle whose ranking fails', () => {
  let t: TestSystem
  let admin: string
  let cycleId: number
  let broken: number
  const cycle = async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body

  beforeAll(async () => {
    t = await startTestSystem({ label: 'ranking' })
    admin = await t.login('admin')
    const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    cycleId = (await t.api('POST', '/api/cycles', admin, { name: 'Tháng 9/2026', periodKind: 'month', periodStart: '2026-09-01', periodEnd: '2026-09-30', ruleSetId: 1, unitIds: [cchc] })).body.id
    await eventually(async () => (await cycle()).status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id', 's.username', 'e.reviewer_ids']).where('e.cycle_id', '=', cycleId).orderBy('e.id').execute()
    const names = new Map((await t.system.db.selectFrom('staff').select(['id', 'username']).execute()).map((s) => [s.id, s.username]))
    for (const r of rows) {
      const own = await t.login(r.username)
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data: doc(8, 9) })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/approve`, await t.login(names.get(r.reviewer_ids[0]!)!), {})).status).toBe(200)
    }
    broken = rows[2]!.id
  })
  afterAll(async () => t?.stop())

  it('never leaves an evaluation out: one not signed off is an explicit error', async () => {
    await expect(rankCycle(t.system.db, cycleId)).rejects.toThrow(RankingError)
    await expect(rankCycle(t.system.db, cycleId)).rejects.toThrow(/not signed off: #\d+ \(AWAITING_SIGN_OFF\)/)
  })

  it('stops in RANKING_FAILED with the reason when a row no longer scores, instead of retrying for ever', async () => {
    // Data damaged behind the application's back after approval.
    await sql`update evaluations set data = jsonb_set(data, '{general,ethics,politics}', '99') where id = ${broken}`.execute(t.system.db)
    const cchc = (await cycle()).unitIds[0]
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, admin)).status).toBe(200)
    const failed = await eventually(async () => ((await cycle()).status === 'RANKING_FAILED' ? cycle() : undefined), 60_000, 'ranking failed')
    expect(failed.rankingError).toContain(`#${broken}`)
    expect((await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).status).toBe(409)
  })

  it('lets only an admin retry, fails again while the data is wrong, and classifies once it is fixed', async () => {
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, await t.login('cv.maiphuong'))).status).toBe(403)
    const failures = async () => (await t.system.db.selectFrom('audit_events').select('id').where('entity', '=', 'cycle').where('entity_id', '=', String(cycleId)).where('action', '=', 'rankingFailed').execute()).length
    expect(await failures()).toBe(1)
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, admin)).status).toBe(200)
    await eventually(async () => (await failures()) === 2, 60_000, 'second failure')
    expect((await cycle()).status).toBe('RANKING_FAILED')

    await sql`update evaluations set data = jsonb_set(data, '{general,ethics,politics}', '4') where id = ${broken}`.execute(t.system.db)
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, admin)).status).toBe(200)
    await eventually(async () => (await cycle()).status === 'CLASSIFIED', 60_000, 'classified')
    expect((await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body.results).toHaveLength(8)
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, admin)).status).toBe(409)
  })
})
