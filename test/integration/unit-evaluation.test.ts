import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unitKpiRuleSet } from '../../rules/defaults.js'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * Unit evaluation and the leader cap (issue 14.2) on real Temporal + PostgreSQL. May 2026:
 *   1. a unit cycle of CCHC with the shipped unit rule set: tp.phamlan (its head) self-assesses for
 *      the unit — the rule set's first test case, 0,3 × 97,5 + 0,5 × 84 + 0,2 × 77,5 = 86,75 → HTT —,
 *      the leader in scope (pgd.hoangyen) returns it once, then approves, the director signs it off;
 *   2. the personal cycle of May on CCHC (NĐ 335): the head scores 100 (her leader set her unit's
 *      plan at 100) → HTXS by her score, capped to HTT, her unit's level, with the reason; her
 *      staff score 87 → HTT. Without the cap she would keep HTXS (one HTXS of eight fits the quota).
 */
describe('unit evaluation and the leader cap', () => {
  let t: TestSystem
  let admin: string
  let cchc: number
  let vp: number
  let unitRuleSet: number
  let unitCycle: number
  let unitEval: number
  const ids = new Map<string, number>()
  const names = new Map<number, string>()
  const as = (username: string) => t.login(username)
  const period = { periodKind: 'month', periodStart: '2026-05-01', periodEnd: '2026-05-31' }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'unit-eval' })
    admin = await t.login('admin')
    const units = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    cchc = units.find((u) => u.code === 'CCHC')!.id
    vp = units.find((u) => u.code === 'VP')!.id
    for (const s of await t.system.db.selectFrom('staff').select(['id', 'username']).execute()) {
      ids.set(s.username, s.id)
      names.set(s.id, s.username)
    }
    const ruleSets = (await t.api('GET', '/api/rulesets', admin)).body as { id: number; code: string; status: string }[]
    unitRuleSet = ruleSets.find((r) => r.code === unitKpiRuleSet().code && r.status === 'published')!.id
  }, 120_000)
  afterAll(async () => t?.stop())

  it('publishes the unit rule set on first start, after the others (ids 1 and 2 unchanged)', async () => {
    expect(unitRuleSet).toBe(4)
    const rs = (await t.api('GET', `/api/rulesets/${unitRuleSet}`, admin)).body
    expect(rs.definition.subject).toBe('unit')
  })

  it('refuses a unit cycle with a personal rule set and a personal cycle with the unit rule set (400 UNIT_RULE_SET_REQUIRED)', async () => {
    const wrongSet = await t.api('POST', '/api/cycles', admin, { name: 'Đơn vị 5/2026', ...period, ruleSetId: 1, subject: 'unit', unitIds: [cchc] })
    expect([wrongSet.status, wrongSet.body.error.code]).toEqual([400, 'UNIT_RULE_SET_REQUIRED'])
    const wrongSubject = await t.api('POST', '/api/cycles', admin, { name: 'Cá nhân 5/2026', ...period, ruleSetId: unitRuleSet, subject: 'staff', unitIds: [cchc] })
    expect([wrongSubject.status, wrongSubject.body.error.code]).toEqual([400, 'UNIT_RULE_SET_REQUIRED'])
    expect(await t.system.db.selectFrom('cycles').select('id').execute()).toEqual([])
  })

  it('launches a unit cycle: one evaluation for CCHC, owned by its head, reviewed by the leaders in scope', async () => {
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Đánh giá đơn vị tháng 5/2026', ...period, ruleSetId: unitRuleSet, subject: 'unit', unitIds: [cchc] })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    expect(launched.body.subject).toBe('unit')
    unitCycle = launched.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${unitCycle}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations').selectAll().where('cycle_id', '=', unitCycle).execute()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    unitEval = row.id
    expect([row.staff_id, row.unit_id, row.subject_unit_id, row.rule_role]).toEqual([ids.get('tp.phamlan'), cchc, cchc, 'staff'])
    expect(row.reviewer_ids).toEqual([ids.get('gd.tranminh'), ids.get('pgd.hoangyen')].sort((a, b) => a! - b!))
    expect(row.sign_off_ids).toEqual(expect.arrayContaining([ids.get('gd.tranminh'), ids.get('pgd.hoangyen'), ids.get('admin')]))
    // A second unit cycle of the same period for CCHC is a duplicate.
    const again = await t.api('POST', '/api/cycles', admin, { name: 'Lần nữa', ...period, ruleSetId: unitRuleSet, unitIds: [cchc] })
    expect([again.status, again.body.error?.code]).toEqual([409, 'DUPLICATE'])
  })

  it('the head finds the unit evaluation in her tasks and fills it; staff of this or another unit cannot read it', async () => {
    const head = await as('tp.phamlan')
    const tasks = (await t.api('GET', '/api/unit-evaluations?assignedToMe=true', head)).body
    expect(tasks.map((x: { id: number; unitName: string; stage: string }) => [x.id, x.unitName, x.stage])).toEqual([[unitEval, 'Phòng Cải cách hành chính và Văn thư lưu trữ', 'SELF_ASSESSMENT']])
    const page = await t.api('GET', `/api/unit-evaluations/${unitEval}`, head)
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ subject: 'unit', unit: { id: cchc, code: 'CCHC' }, head: { id: ids.get('tp.phamlan') }, cycle: { id: unitCycle, periodStart: '2026-05-01' }, allowedActions: ['submit'] })
    expect(Object.keys(page.body.formSchema.properties)).toEqual(expect.arrayContaining(['foundational', 'functional', 'specific']))

    for (const other of ['cv.dangkhoa', 'cvp.lethu', 'cv.maiphuong']) {
      const token = await as(other)
      expect([403, 404]).toContain((await t.api('GET', `/api/unit-evaluations/${unitEval}`, token)).status)
      expect((await t.api('GET', `/api/unit-evaluations?cycleId=${unitCycle}`, token)).body).toEqual([])
      expect([403, 404]).toContain((await t.api('PUT', `/api/unit-evaluations/${unitEval}/self-assessment`, token, { data: unitKpiRuleSet().tests![1]!.inputs })).status)
    }

    const { role: _role, ...inputs } = unitKpiRuleSet().tests![0]!.inputs
    const saved = await t.api('PUT', `/api/unit-evaluations/${unitEval}/self-assessment`, head, { data: inputs })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body.unitId).toBe(cchc)
    // The reviewer alone declares a violation.
    const forged = await t.api('PUT', `/api/unit-evaluations/${unitEval}/self-assessment`, head, { data: { ...inputs, seriousViolation: false } })
    expect([forged.status, forged.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const submitted = await t.api('POST', `/api/unit-evaluations/${unitEval}/submit`, head, {})
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    expect(submitted.body).toMatchObject({ stage: 'UNIT_REVIEW', total: 86.75, level: 'HTT' })
  })

  it('the leader in scope reviews (returns once, then approves), the director signs off, the unit is classified HTT', async () => {
    const leader = await as('pgd.hoangyen')
    const head = await as('tp.phamlan')
    expect((await t.api('POST', `/api/unit-evaluations/${unitEval}/approve`, head, {})).status).toBe(403)
    const returned = await t.api('POST', `/api/unit-evaluations/${unitEval}/return`, leader, { reason: 'Bổ sung minh chứng KPI đặc thù' })
    expect(returned.status, JSON.stringify(returned.body)).toBe(200)
    expect(returned.body.stage).toBe('SELF_ASSESSMENT')
    expect((await t.api('POST', `/api/unit-evaluations/${unitEval}/submit`, head, {})).body.stage).toBe('UNIT_REVIEW')
    const approved = await t.api('POST', `/api/unit-evaluations/${unitEval}/approve`, leader, { comment: 'Đồng ý' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body).toMatchObject({ stage: 'AWAITING_SIGN_OFF', round: 2 })
    // Sign-off is leadership's: not the head's.
    expect((await t.api('POST', `/api/unit-evaluations/${unitEval}/sign-off`, head)).status).toBe(403)
    const signed = await t.api('POST', `/api/unit-evaluations/${unitEval}/sign-off`, await as('gd.tranminh'))
    expect(signed.status, JSON.stringify(signed.body)).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${unitCycle}`, admin)).body.status === 'CLASSIFIED', 90_000, 'unit cycle classified')

    const list = (await t.api('GET', `/api/unit-evaluations?cycleId=${unitCycle}`, head)).body
    expect(list).toMatchObject([{ id: unitEval, unitId: cchc, headName: 'Phạm Thị Lan', stage: 'CLASSIFIED', total: 86.75, level: 'HTT', finalLevel: 'HTT', rankInCycle: 1 }])
    const audit = (await t.api('GET', `/api/unit-evaluations/${unitEval}/audit`, leader)).body as { action: string }[]
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['submit', 'return', 'approve', 'signOff', 'classify']))
    // The audit in pages of two, each next page named on the unit evaluation's own route: together the one list.
    const pages: { id: number }[][] = []
    let next: string | null = `/api/unit-evaluations/${unitEval}/audit?limit=2`
    while (next) {
      const res = await t.system.app.request(next, { headers: { authorization: `Bearer ${leader}` } })
      expect(res.status).toBe(200)
      pages.push((await res.json()) as { id: number }[])
      next = res.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null
      if (next) expect(next).toMatch(new RegExp(`^/api/unit-evaluations/${unitEval}/audit\\?limit=2&after=\\d+$`))
    }
    expect(pages.length).toBe(Math.ceil(audit.length / 2))
    expect(pages.flat()).toEqual(audit)
  }, 150_000)

  it("prints the unit's own form: the unit and its head, the KPI scores, no person's Mẫu number", async () => {
    const res = await t.system.app.request(`/api/evaluations/${unitEval}/form.pdf`, { headers: { authorization: `Bearer ${await as('tp.phamlan')}` } })
    expect(res.status).toBe(200)
    const file = join(mkdtempSync(join(tmpdir(), 'kpi-unit-')), 'form.pdf')
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text).toContain('PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐƠN VỊ')
    expect(text).toContain('Đơn vị được đánh giá: Phòng Cải cách hành chính')
    expect(text).toContain('Thủ trưởng đơn vị: Phạm Thị Lan')
    expect(text).toContain('86,75')
    expect(text).not.toContain('Mẫu số 01')
  })

  it("caps the head's personal level by her unit's: HTXS → HTT, explained in the results and the trace", async () => {
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 5/2026', ...period, ruleSetId: 1, unitIds: [cchc] })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    const cycleId = launched.body.id
    expect(launched.body.subject).toBe('staff')
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids']).where('cycle_id', '=', cycleId).orderBy('id').execute()
    expect(rows).toHaveLength(8)
    const headId = ids.get('tp.phamlan')!
    for (const r of rows) {
      const own = await as(names.get(r.staff_id)!)
      const data = r.staff_id === headId ? doc(10, 10) : doc(8, 9)
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
    }
    for (const r of rows) {
      // The head's leader sets her unit's plan completion (reviewer-only): her score is then 100.
      const body = r.staff_id === headId ? { adjustments: { leader: { unitPlanScore: 100 } } } : {}
      const approved = await t.api('POST', `/api/evaluations/${r.id}/approve`, await as(r.staff_id === headId ? 'pgd.hoangyen' : 'tp.phamlan'), body)
      expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    }
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 90_000, 'classified')

    const results = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body.results as { staffId: number; total: number; level: string; finalLevel: string; quotaCut: boolean; cap: unknown }[]
    const head = results.find((r) => r.staffId === headId)!
    expect(head).toMatchObject({ total: 100, level: 'HTXS', finalLevel: 'HTT', quotaCut: false })
    expect(head.cap).toMatchObject({ unitId: cchc, unitLevel: 'HTT', from: 'HTXS', to: 'HTT' })
    expect((head.cap as { text: { vi: string; en: string } }).text.vi).toContain('HTXS → HTT: đơn vị xếp loại HTT')
    expect((head.cap as { text: { vi: string; en: string } }).text.en).toContain('HTXS → HTT: the unit is rated HTT')
    for (const r of results.filter((x) => x.staffId !== headId)) expect(r).toMatchObject({ total: 87, finalLevel: 'HTT', cap: null })

    // The head's own page shows the cap as the last line of the trace.
    const mine = (await t.api('GET', `/api/evaluations/${rows.find((r) => r.staff_id === headId)!.id}`, await as('tp.phamlan'))).body
    expect(mine.finalLevel).toBe('HTT')
    expect(mine.scores.trace.at(-1)).toMatchObject({ key: 'leaderCap', value: 'HTT' })
    expect(mine.scores.trace.at(-1).text.vi).toContain('HTXS → HTT: đơn vị xếp loại HTT')
    // A person's own evaluation is not a unit evaluation.
    expect((await t.api('GET', `/api/unit-evaluations/${mine.id}`, admin)).status).toBe(404)
    // Her home page's latest result asks for her own classified evaluations: not the unit's, which she owns as its head.
    const unitEvaluation = (await t.system.db.selectFrom('evaluations').select('id').where('staff_id', '=', headId).where('subject_unit_id', 'is not', null).where('stage', '=', 'CLASSIFIED').executeTakeFirstOrThrow()).id
    const own = (await t.api('GET', '/api/evaluations?mine=true&stage=CLASSIFIED', await as('tp.phamlan'))).body as { id: number }[]
    expect(own.map((e) => e.id)).toEqual([mine.id])
    expect(own.map((e) => e.id)).not.toContain(unitEvaluation)
    // A member of staff's own only, though the head's list holds them all; an admin has none of their own.
    const member = rows.find((r) => r.staff_id !== headId)!
    expect(((await t.api('GET', '/api/evaluations?mine=true', await as(names.get(member.staff_id)!))).body as { id: number }[]).map((e) => e.id)).toEqual([member.id])
    expect((await t.api('GET', '/api/evaluations?mine=true', admin)).body).toEqual([])
    expect((await t.api('GET', '/api/evaluations?mine=yes', admin)).status).toBe(400)
  }, 240_000)

  it('ranks a personal cycle only once the unit evaluation of its period is classified (RANKING_FAILED with the reason, then the retry)', async () => {
    const june = { periodKind: 'month', periodStart: '2026-06-01', periodEnd: '2026-06-30' }
    const unit = await t.api('POST', '/api/cycles', admin, { name: 'Đánh giá đơn vị tháng 6/2026', ...june, ruleSetId: unitRuleSet, unitIds: [vp] })
    expect(unit.status, JSON.stringify(unit.body)).toBe(201)
    const personal = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 6/2026', ...june, ruleSetId: 1, unitIds: [vp] })
    expect(personal.status, JSON.stringify(personal.body)).toBe(201)
    for (const id of [unit.body.id, personal.body.id]) await eventually(async () => (await t.api('GET', `/api/cycles/${id}`, admin)).body.status === 'OPEN', 60_000, 'open')

    // The personal cycle goes first: every evaluation approved and signed off while the unit's waits.
    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids']).where('cycle_id', '=', personal.body.id).orderBy('id').execute()
    for (const r of rows) {
      const own = await as(names.get(r.staff_id)!)
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data: doc(10, 10) })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
    }
    for (const r of rows) expect((await t.api('POST', `/api/evaluations/${r.id}/approve`, await as(names.get(r.reviewer_ids[0]!)!), r.staff_id === ids.get('cvp.lethu') ? { adjustments: { leader: { unitPlanScore: 100 } } } : {})).status).toBe(200)
    expect((await t.api('POST', `/api/cycles/${personal.body.id}/units/${vp}/sign-off`, admin)).status).toBe(200)
    const failed = await eventually(async () => {
      const c = (await t.api('GET', `/api/cycles/${personal.body.id}`, admin)).body
      return c.status === 'RANKING_FAILED' && c
    }, 90_000, 'ranking failed')
    expect(failed.rankingError).toContain('Văn phòng Sở')
    expect(failed.rankingError).toContain('chưa xếp loại')

    // The unit of June: HT (the rule set's third case), reviewed and signed off; then the admin's retry caps the head to HT.
    const unitRow = await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', unit.body.id).executeTakeFirstOrThrow()
    const head = await as('cvp.lethu')
    const { role: _role, ...inputs } = unitKpiRuleSet().tests![2]!.inputs
    expect((await t.api('PUT', `/api/unit-evaluations/${unitRow.id}/self-assessment`, head, { data: inputs })).status).toBe(200)
    expect((await t.api('POST', `/api/unit-evaluations/${unitRow.id}/submit`, head, {})).body).toMatchObject({ total: 56.58, level: 'HT' })
    expect((await t.api('POST', `/api/unit-evaluations/${unitRow.id}/approve`, await as('gd.tranminh'), {})).status).toBe(200)
    expect((await t.api('POST', `/api/unit-evaluations/${unitRow.id}/sign-off`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${unit.body.id}`, admin)).body.status === 'CLASSIFIED', 90_000, 'unit classified')

    expect((await t.api('POST', `/api/cycles/${personal.body.id}/ranking/retry`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${personal.body.id}`, admin)).body.status === 'CLASSIFIED', 90_000, 'classified after retry')
    const results = (await t.api('GET', `/api/cycles/${personal.body.id}/results`, admin)).body.results as { staffId: number; level: string; finalLevel: string; cap: { to: string } | null }[]
    expect(results.find((r) => r.staffId === ids.get('cvp.lethu'))).toMatchObject({ level: 'HTXS', finalLevel: 'HT', cap: { unitLevel: 'HT', from: 'HTXS', to: 'HT' } })
  }, 300_000)
})
