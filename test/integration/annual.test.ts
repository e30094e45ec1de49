import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nd335AnnualRuleSet } from '../../rules/defaults.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * Annual classification on real Temporal + PostgreSQL. Three months of 2026 (January, February,
 * March) are written as classified results — synthetic period cycles, the figures chosen here —
 * and the annual cycle of 2026 is launched on CCHC with the annual rule set, its minimum set to
 * two months (rule-set data). Expected values, by hand:
 *   cv.maiphuong   80 + 90 + 85,5 over 3 months = 255,5 / 3 = 85,1666… → 85,17 → HTT
 *                  (her January in another unit: she moved; all her periods count)
 *   second person  92 (Jan) + 96 (Mar), February not worked = 188 / 2 = 94 → HTXS
 *   third person   95 every month, disciplined in February → KHT whatever the score
 *   fourth person  January only: 1 month < 2 → "không xếp loại", no evaluation
 *   the others     80 + 82 + 84 = 246 / 3 = 82 → HTT (5 HTT in all: the HTXS quota allows 1)
 */
describe('annual classification', () => {
  let t: TestSystem
  let admin: string
  let cchc: number
  let ruleSetId: number
  let cycleId: number
  const names = new Map<number, string>()
  const tokens = new Map<string, string>()
  const as = async (who: string) => tokens.get(who) ?? (tokens.set(who, await t.login(who)), tokens.get(who)!)
  let people: { id: number; username: string }[] = []
  const role = { moved: 0, gap: 0, disciplined: 0, short: 0 }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'annual' })
    admin = await t.login('admin')
    const units = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    cchc = units.find((u) => u.code === 'CCHC')!.id
    const other = units.find((u) => u.code !== 'CCHC' && u.code !== 'SNV')!.id
    for (const s of await t.system.db.selectFrom('staff').select(['id', 'username']).execute()) names.set(s.id, s.username)
    people = await t.system.db.selectFrom('staff').select(['id', 'username']).where('unit_id', '=', cchc).where('active', '=', true).orderBy('id').execute()
    const maiphuong = people.find((p) => p.username === 'cv.maiphuong')!
    const rest = people.filter((p) => p !== maiphuong && !p.username.startsWith('tp.'))
    Object.assign(role, { moved: maiphuong.id, gap: rest[0]!.id, disciplined: rest[1]!.id, short: rest[2]!.id })

    // The year's rule set with a minimum of two months: a new version through the API, published.
    const variant = { ...nd335AnnualRuleSet(), annual: { minMonths: 2, monthsPerPeriod: { month: 1, quarter: 3 } } }
    const draft = await t.api('POST', '/api/rulesets', admin, variant)
    expect(draft.status, JSON.stringify(draft.body)).toBe(201)
    expect((await t.api('POST', `/api/rulesets/${draft.body.id}/publish`, admin)).status).toBe(200)
    ruleSetId = draft.body.id

    // Three classified months, written as the ranking leaves them.
    const months = [
      { name: 'Tháng 1/2026', start: '2026-01-01', end: '2026-01-31' },
      { name: 'Tháng 2/2026', start: '2026-02-01', end: '2026-02-28' },
      { name: 'Tháng 3/2026', start: '2026-03-01', end: '2026-03-31' },
    ]
    const figures = (staffId: number): (number | null)[] => {
      if (staffId === role.moved) return [80, 90, 85.5]
      if (staffId === role.gap) return [92, null, 96]
      if (staffId === role.disciplined) return [95, 95, 95]
      if (staffId === role.short) return [88, null, null]
      return [80, 82, 84]
    }
    const adminId = [...names].find(([, u]) => u === 'admin')![0]
    for (const [m, month] of months.entries()) {
      const cycle = await t.system.db
        .insertInto('cycles')
        .values({ name: month.name, period_kind: 'month', period_start: month.start, period_end: month.end, ruleset_id: 1, status: 'CLASSIFIED', unit_ids: JSON.stringify([cchc, other]), durations: JSON.stringify({ selfAssessmentSeconds: 60, reviewSeconds: 60, reminderBeforeSeconds: 0 }), created_by: adminId, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const p of people) {
        const total = figures(p.id)[m]
        if (total === null || total === undefined) continue
        const disciplined = p.id === role.disciplined && m === 1
        const level = total >= 90 ? 'HTXS' : total >= 70 ? 'HTT' : 'HT'
        await t.system.db
          .insertInto('evaluations')
          .values({
            cycle_id: cycle.id, staff_id: p.id, unit_id: p.id === role.moved && m === 0 ? other : cchc, position_code: null, rule_role: 'staff', stage: 'CLASSIFIED', round: 1, version: 5,
            data: JSON.stringify({}), reviewer_ids: JSON.stringify([]), sign_off_ids: JSON.stringify([]), ruleset_id: 1, rule_hash: 'synthetic',
            total, level, final_level: disciplined ? 'KHT' : level, override_code: disciplined ? 'DISCIPLINE' : null, deadline_at: null, updated_at: new Date(),
          })
          .execute()
      }
    }
  }, 120_000)
  afterAll(async () => t?.stop())

  it('refuses a year without an annual rule set, and an annual rule set for a month (400 ANNUAL_RULE_SET_REQUIRED)', async () => {
    const year = await t.api('POST', '/api/cycles', admin, { name: 'Năm 2026', periodKind: 'year', year: 2026, ruleSetId: 1, unitIds: [cchc] })
    expect([year.status, year.body.error.code]).toEqual([400, 'ANNUAL_RULE_SET_REQUIRED'])
    const month = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 4/2026', periodKind: 'month', periodStart: '2026-04-01', periodEnd: '2026-04-30', ruleSetId, unitIds: [cchc] })
    expect([month.status, month.body.error.code]).toEqual([400, 'ANNUAL_RULE_SET_REQUIRED'])
    expect((await t.api('POST', '/api/cycles', admin, { name: 'Tháng 4/2026', periodKind: 'month', year: 2026, ruleSetId: 1, unitIds: [cchc] })).status).toBe(400)
  })

  it('launches the year: each person with their periods (in any unit), those under the minimum months left out', async () => {
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Xếp loại năm 2026', periodKind: 'year', year: 2026, ruleSetId, unitIds: [cchc] })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    cycleId = launched.body.id
    expect([launched.body.periodStart, launched.body.periodEnd]).toEqual(['2026-01-01', '2026-12-31'])
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'staff_id', 'data']).where('cycle_id', '=', cycleId).execute()
    expect(rows.map((r) => r.staff_id).sort((a, b) => a - b)).toEqual(people.map((p) => p.id).filter((id) => id !== role.short))
    const mine = rows.find((r) => r.staff_id === role.moved)!
    expect((mine.data['periods'] as { total: number }[]).map((p) => p.total)).toEqual([80, 90, 85.5])
    const excluded = await t.system.db.selectFrom('annual_exclusions').selectAll().where('cycle_id', '=', cycleId).execute()
    expect(excluded.map((x) => [x.staff_id, x.months_worked, x.reason_code])).toEqual([[role.short, 1, 'TOO_FEW_MONTHS']])
  })

  it('keeps the recorded periods: a draft cannot change them, a reviewer cannot adjust them (400)', async () => {
    const ev = await t.system.db.selectFrom('evaluations').select(['id', 'data', 'reviewer_ids']).where('cycle_id', '=', cycleId).where('staff_id', '=', role.moved).executeTakeFirstOrThrow()
    const own = await as('cv.maiphuong')
    const forged = { ...ev.data, periods: [{ ...(ev.data['periods'] as object[])[0], total: 100 }], assessment: { strengths: 'Hoàn thành tốt', weaknesses: 'Chưa có', proposedLevel: 'HTXS' } }
    const saved = await t.api('PUT', `/api/evaluations/${ev.id}/self-assessment`, own, { data: forged })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect((saved.body.data.periods as { total: number }[]).map((p) => p.total)).toEqual([80, 90, 85.5])
    expect((await t.api('POST', `/api/evaluations/${ev.id}/submit`, own, {})).status).toBe(200)
    const reviewer = await as(names.get(ev.reviewer_ids[0]!)!)
    const adjusted = await t.api('POST', `/api/evaluations/${ev.id}/approve`, reviewer, { adjustments: { periods: [] } })
    expect([adjusted.status, adjusted.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
  })

  it('classifies the year: means over months worked, the discipline override, bands and quota; results carry the periods', async () => {
    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'staff_id', 'stage', 'reviewer_ids', 'sign_off_ids']).where('cycle_id', '=', cycleId).orderBy('id').execute()
    const assessment = { strengths: 'Hoàn thành nhiệm vụ trong năm', weaknesses: 'Cần chủ động hơn', proposedLevel: 'HTT' }
    for (const r of rows.filter((x) => x.stage === 'SELF_ASSESSMENT')) {
      const own = await as(names.get(r.staff_id)!)
      const ev = (await t.api('GET', `/api/evaluations/${r.id}`, own)).body
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data: { ...ev.data, assessment } })).status).toBe(200)
      const submitted = await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    }
    // Heads first approve their staff; the head's own evaluation is approved by the leader above.
    for (const r of rows) {
      const approved = await t.api('POST', `/api/evaluations/${r.id}/approve`, await as(names.get(r.reviewer_ids[0]!)!), {})
      expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    }
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 90_000, 'classified')

    const results = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body
    const of = (staffId: number) => results.results.find((r: { staffId: number }) => r.staffId === staffId)
    expect(of(role.moved)).toMatchObject({ total: 85.17, annualScore: 85.17, monthsWorked: 3, finalLevel: 'HTT' })
    expect(of(role.moved).periods.map((p: { cycleName: string; total: number; months: number }) => [p.cycleName, p.total, p.months])).toEqual([['Tháng 1/2026', 80, 1], ['Tháng 2/2026', 90, 1], ['Tháng 3/2026', 85.5, 1]])
    expect(of(role.gap)).toMatchObject({ total: 94, monthsWorked: 2, finalLevel: 'HTXS' })
    expect(of(role.disciplined)).toMatchObject({ total: 95, override: 'DISCIPLINE', finalLevel: 'KHT' })
    for (const p of people.filter((x) => !Object.values(role).includes(x.id) && !x.username.startsWith('tp.'))) expect(of(p.id)).toMatchObject({ total: 82, finalLevel: 'HTT' })
    expect(results.notClassified).toHaveLength(1)
    expect(results.notClassified[0]).toMatchObject({ staffId: role.short, monthsWorked: 1, finalLevel: null, reason: { code: 'TOO_FEW_MONTHS' } })
    expect(results.notClassified[0].reason.vi).toContain('1 tháng')
    expect(results.notClassified[0].reason.vi).toContain('tối thiểu 2 tháng')

    // Each person sees their own row only (no unit in their oversight); the excluded person sees why.
    const shortOwn = (await t.api('GET', `/api/cycles/${cycleId}/results`, await as(names.get(role.short)!))).body
    expect([shortOwn.results.length, shortOwn.notClassified.map((r: { staffId: number }) => r.staffId)]).toEqual([0, [role.short]])
    const movedOwn = (await t.api('GET', `/api/cycles/${cycleId}/results`, await as('cv.maiphuong'))).body
    expect([movedOwn.results.map((r: { staffId: number }) => r.staffId), movedOwn.notClassified]).toEqual([[role.moved], []])
  }, 180_000)

  it('prints the year on Mẫu 01 with the periods behind the score as its annex', async () => {
    const ev = await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycleId).where('staff_id', '=', role.moved).executeTakeFirstOrThrow()
    const res = await t.system.app.request(`/api/evaluations/${ev.id}/form.pdf`, { headers: { authorization: `Bearer ${await as('cv.maiphuong')}` } })
    expect(res.status).toBe(200)
    const file = join(mkdtempSync(join(tmpdir(), 'kpi-annual-')), 'form.pdf')
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text).toContain('Xếp loại năm 2026 (từ ngày 01/01/2026 đến ngày 31/12/2026)')
    expect(text).toContain('KẾT QUẢ CÁC KỲ ĐÁNH GIÁ TRONG NĂM')
    for (const row of ['Tháng 1/2026 01/01/2026 – 31/01/2026 1 80,00 HTT', 'Tháng 2/2026 01/02/2026 – 28/02/2026 1 90,00 HTXS', 'Tháng 3/2026 01/03/2026 – 31/03/2026 1 85,50 HTT']) expect(text).toContain(row)
    expect(text).toContain('85,17')
  })
})
