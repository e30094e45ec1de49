import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assessment, general as groups } from '../support/documents.js'
import { parseCsv } from '../../server/org/csv.js'
import { findRuleSet } from '../../server/rulesets/ruleset.repo.js'
import { simulateCycle } from '../../server/rulesets/simulate.service.js'
import { documentPage, unitNamesOf } from '../../server/cycles/cycle-members.repo.js'
import { simulationAnswer } from '../../server/rulesets/simulation.answer.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/** A self-assessment with one product of the catalogue (10 assigned): total = sum(general) + 7 × done (general: points of groups I, II, III). */
const doc = (general: [number, number, number], done: number, code = 'B01') => ({
  general: groups(...general),
  assessment,
  products: [{ code, k: 1, assigned: 10, done, qualityFailures: 0, delays: 0, reason: 'Theo kế hoạch công tác' }],
})

// Everyone's self-assessment in the demo organisation (see domain.md §5 for the formulas).
const plan: Record<string, ReturnType<typeof doc>> = {
  'gd.tranminh': doc([9, 9, 9], 10, 'L01'),
  'pgd.hoangyen': doc([9, 8, 8], 9, 'L01'),
  'cvp.lethu': doc([9, 9, 9], 10),
  'cv.dangkhoa': doc([10, 9, 9], 10),
  'cv.buingoc': doc([9, 9, 9], 10),
  'cv.phanlinh': doc([8, 8, 8], 9),
  'cv.tranbao': doc([8, 8, 8], 9),
  'ptp.nguyenanh': doc([9, 8, 8], 9),
  'cv.caothao': doc([7, 7, 6], 8),
  'tp.nguyenhai': doc([9, 9, 9], 10),
  'ptp.vuthao': doc([9, 8, 8], 9),
  'cvc.ngodung': doc([9, 8, 8], 8),
  'cv.dohuong': doc([9, 9, 9], 10),
  'cv.trinhquang': doc([7, 7, 6], 6),
  'cv.lehoang': doc([8, 7, 7], 7),
  'cv.dinhtrang': doc([4, 3, 3], 5),
  'cvc.vohung': doc([9, 9, 8], 9),
  'tp.phamlan': doc([9, 9, 8], 10),
  'cvc.luongtuan': doc([10, 9, 9], 10),
  'cv.maiphuong': doc([9, 8, 8], 9),
  'cv.hoangnam': doc([9, 8, 8], 9),
  'ptp.ngocha': doc([8, 8, 8], 9),
  'cv.huynhduc': doc([8, 8, 7], 9),
  'cv.tongmai': doc([8, 7, 7], 9),
  'cv.lyson': doc([7, 7, 7], 9),
}
const VP = ['cvp.lethu', 'cv.dangkhoa', 'cv.buingoc', 'cv.phanlinh', 'cv.tranbao', 'ptp.nguyenanh', 'cv.caothao']
const TCBM = ['tp.nguyenhai', 'ptp.vuthao', 'cvc.ngodung', 'cv.dohuong', 'cv.trinhquang', 'cv.lehoang', 'cv.dinhtrang', 'cvc.vohung']
const CCHC = ['tp.phamlan', 'cvc.luongtuan', 'cv.maiphuong', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson']

describe('an evaluation cycle end to end, over HTTP, on real Temporal and PostgreSQL', () => {
  let t: TestSystem
  let admin: string
  let cycleId: number
  const evalOf = new Map<string, number>()
  const staffId = new Map<string, number>()
  const unitId = new Map<string, number>()
  const as = async (username: string) => t.login(username)
  const act = async (username: string, action: string, who: string, body?: unknown) => t.api('POST', `/api/evaluations/${evalOf.get(who)}/${action}`, await as(username), body ?? {})
  const evaluation = async (who: string) => (await t.api('GET', `/api/evaluations/${evalOf.get(who)}`, admin)).body

  beforeAll(async () => {
    t = await startTestSystem({ label: 'cycle' })
    admin = await t.login('admin')
    for (const s of (await t.api('GET', '/api/staff', admin)).body) staffId.set(s.username, s.id)
    for (const u of (await t.api('GET', '/api/units', admin)).body) unitId.set(u.code, u.id)
  })
  afterAll(async () => t?.stop())

  it('refuses anonymous, malformed and out-of-range launches with a code and a message', async () => {
    expect((await t.api('GET', '/api/cycles')).status).toBe(401)
    const bad = await t.api('POST', '/api/cycles', admin, { name: '', periodKind: 'week', periodStart: '2026-13-01', periodEnd: '2026-11-30', ruleSetId: 1 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    expect(bad.body.error.message).toMatch(/không hợp lệ/)
    const staffLaunch = await t.api('POST', '/api/cycles', await as('cv.dangkhoa'), { name: 'x', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1 })
    expect(staffLaunch.status).toBe(403)
    expect((await t.api('GET', '/api/cycles', admin)).body).toEqual([])
  })

  it('launches a cycle: one evaluation workflow per staff member, all in self-assessment', async () => {
    const res = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 11/2026', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1 })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    cycleId = res.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'cycle open')
    const list = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, admin)).body
    expect(list).toHaveLength(25)
    for (const e of list) {
      expect(e.stage).toBe('SELF_ASSESSMENT')
      const username = [...staffId].find(([, id]) => id === e.staffId)![0]
      evalOf.set(username, e.id)
    }
    const again = await t.api('POST', '/api/cycles', admin, { name: 'Trùng', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1 })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('DUPLICATE')
  })

  it('validates self-assessments: out of range, reviewer-only fields, nothing assigned', async () => {
    const me = await as('ptp.nguyenanh')
    const id = evalOf.get('ptp.nguyenanh')
    const nothing = await t.api('POST', `/api/evaluations/${id}/submit`, me)
    expect(nothing.status).toBe(400)
    expect(nothing.body.error.code).toBe('NOTHING_ASSIGNED')
    const over = doc([9, 9, 9], 9)
    const tooHigh = await t.api('PUT', `/api/evaluations/${id}/self-assessment`, me, { data: { ...over, general: { ...over.general, ethics: { politics: 5.5, discipline: 4.5 } } } })
    expect(tooHigh.status).toBe(400)
    expect(tooHigh.body.error.details.map((d: { path: string }) => d.path)).toEqual(['general.ethics.politics'])
    const selfOverride = await t.api('PUT', `/api/evaluations/${id}/self-assessment`, me, { data: { ...doc([9, 9, 9], 9), overrides: { discipline: 'none' } } })
    expect(selfOverride.status).toBe(400)
    const other = await t.api('PUT', `/api/evaluations/${evalOf.get('cv.tranbao')}/self-assessment`, me, { data: doc([9, 9, 9], 9) })
    expect(other.status).toBe(403)
    expect((await t.api('GET', '/api/evaluations/999999', me)).status).toBe(404)
    expect((await evaluation('ptp.nguyenanh')).stage).toBe('SELF_ASSESSMENT')
  })

  it('lets every staff member save and submit; the score is computed with the pinned rule set', async () => {
    for (const [username, data] of Object.entries(plan)) {
      const token = await as(username)
      const saved = await t.api('PUT', `/api/evaluations/${evalOf.get(username)}/self-assessment`, token, { data })
      expect(saved.status, username).toBe(200)
      const submitted = await t.api('POST', `/api/evaluations/${evalOf.get(username)}/submit`, token)
      expect(submitted.status, `${username}: ${JSON.stringify(submitted.body)}`).toBe(200)
      expect(submitted.body.stage).toBe('UNIT_REVIEW')
    }
    const khoa = await evaluation('cv.dangkhoa')
    expect(khoa.total).toBe(98)
    expect(khoa.scores.values).toMatchObject({ a: 100, b: 100, c: 100, task: 70, generalScore: 28 })
    expect(khoa.scores.ruleHash).toBe(khoa.ruleSet.hash)
    const again = await act('cv.dangkhoa', 'submit', 'cv.dangkhoa')
    expect(again.status).toBe(409)
  })

  it('enforces who may review: not oneself, not a colleague, not another unit head', async () => {
    expect((await act('cv.tranbao', 'approve', 'cv.phanlinh')).status).toBe(403)
    expect((await act('tp.nguyenhai', 'approve', 'cv.phanlinh')).status).toBe(403)
    expect((await act('cvp.lethu', 'approve', 'cvp.lethu')).status).toBe(403)
    expect((await act('cv.phanlinh', 'return', 'cv.phanlinh', { reason: 'tự trả' })).status).toBe(403)
    expect((await evaluation('cv.phanlinh')).stage).toBe('UNIT_REVIEW')
  })

  it('turns two simultaneous approvals into exactly one transition and one 409', async () => {
    const [a, b] = await Promise.all([act('cvp.lethu', 'approve', 'cv.phanlinh'), act('cvp.lethu', 'approve', 'cv.phanlinh')])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const audit = (await t.api('GET', `/api/evaluations/${evalOf.get('cv.phanlinh')}/audit`, admin)).body
    expect(audit.filter((e: { action: string }) => e.action === 'approve')).toHaveLength(1)
    expect((await evaluation('cv.phanlinh')).stage).toBe('AWAITING_SIGN_OFF')
  })

  it('returns for revision with a reason, keeps the round, and accepts the resubmission', async () => {
    const missing = await act('cvp.lethu', 'return', 'cv.dangkhoa', {})
    expect(missing.status).toBe(400)
    const returned = await act('cvp.lethu', 'return', 'cv.dangkhoa', { reason: 'Thiếu minh chứng cho sản phẩm B01' })
    expect(returned.status).toBe(200)
    expect(returned.body).toMatchObject({ stage: 'SELF_ASSESSMENT', round: 2, allowedActions: [] })
    const token = await as('cv.dangkhoa')
    // The owner's next read shows the returned round and its reason.
    const seen = (await t.api('GET', `/api/evaluations/${evalOf.get('cv.dangkhoa')}`, token)).body
    expect(seen).toMatchObject({ stage: 'SELF_ASSESSMENT', round: 2, allowedActions: ['submit'] })
    expect(seen.rounds[0]).toMatchObject({ round: 1, outcome: 'RETURNED', reason: 'Thiếu minh chứng cho sản phẩm B01' })
    expect((await t.api('PUT', `/api/evaluations/${evalOf.get('cv.dangkhoa')}/self-assessment`, token, { data: plan['cv.dangkhoa'] })).status).toBe(200)
    const resubmitted = await t.api('POST', `/api/evaluations/${evalOf.get('cv.dangkhoa')}/submit`, token)
    expect(resubmitted.status).toBe(200)
    expect(resubmitted.body).toMatchObject({ stage: 'UNIT_REVIEW', round: 2, allowedActions: [] })
    expect((await t.api('GET', `/api/evaluations/${evalOf.get('cv.dangkhoa')}`, token)).body.rounds).toHaveLength(2)
  })

  it('lets unit heads approve their staff, adjusting reviewer fields (discipline → KHT)', async () => {
    for (const [head, unit] of [['cvp.lethu', VP], ['tp.nguyenhai', TCBM], ['tp.phamlan', CCHC]] as const) {
      for (const who of unit.slice(1)) {
        if (who === 'cv.phanlinh') continue
        const body = who === 'cv.dohuong' ? { adjustments: { overrides: { discipline: 'reprimand' } }, comment: 'Bị khiển trách tháng 11' } : { comment: 'Đồng ý' }
        const res = await act(head, 'approve', who, body)
        expect(res.status, `${head} → ${who}: ${JSON.stringify(res.body)}`).toBe(200)
      }
    }
    const huong = await evaluation('cv.dohuong')
    expect(huong).toMatchObject({ total: 97, level: 'KHT', override: 'DISCIPLINE', stage: 'AWAITING_SIGN_OFF' })
  })

  it('has leadership review the unit heads and each other, setting the unit plan score', async () => {
    const headsPlan = { 'cvp.lethu': 90, 'tp.nguyenhai': 80, 'tp.phamlan': 100, 'pgd.hoangyen': 90 } as const
    for (const [who, unitPlanScore] of Object.entries(headsPlan)) {
      const res = await act('gd.tranminh', 'approve', who, { adjustments: { leader: { unitPlanScore } } })
      expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBe(200)
    }
    expect((await act('pgd.hoangyen', 'approve', 'gd.tranminh', {})).status).toBe(403)
    expect((await act('admin', 'approve', 'gd.tranminh', { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)
  })

  it('refuses sign-off of a unit out of scope, or not ready, and changes nothing', async () => {
    const created = await t.api('POST', '/api/staff', admin, { username: 'ld.ngoai', fullName: 'Lãnh đạo Ngoài Phạm vi', unitCode: 'CCHC', roles: ['leader'], scopeUnitCodes: ['CCHC'], password: 'outside-pass-1' })
    expect(created.status).toBe(201)
    const outsider = await t.login('ld.ngoai', 'outside-pass-1')
    const before = (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.progress
    const out = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('VP')}/sign-off`, outsider)
    expect(out.status).toBe(403)
    const staffTry = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('VP')}/sign-off`, await as('cv.tranbao'))
    expect(staffTry.status).toBe(403)
    expect((await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.progress).toEqual(before)
  })

  it('lets leadership return one evaluation to its unit head, then sign the units off', async () => {
    const back = await act('gd.tranminh', 'return', 'cv.buingoc', { reason: 'Đề nghị xem lại điểm tiêu chí chung' })
    expect(back.status).toBe(200)
    expect(back.body.stage).toBe('UNIT_REVIEW')
    const notReady = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('VP')}/sign-off`, await as('gd.tranminh'))
    expect(notReady.status).toBe(409)
    expect(notReady.body.error.code).toBe('UNIT_NOT_READY')
    expect((await act('cvp.lethu', 'approve', 'cv.buingoc', { comment: 'Đã xem lại, giữ nguyên' })).status).toBe(200)

    const tooHigh = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('CCHC')}/quota-exception`, await as('gd.tranminh'), { cap: 0.8, reason: 'Quá mức cho phép' })
    expect(tooHigh.status).toBe(400)
    const exception = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('CCHC')}/quota-exception`, await as('gd.tranminh'), { cap: 0.4, reason: 'Đơn vị hoàn thành vượt kế hoạch cải cách hành chính' })
    expect(exception.status).toBe(200)

    // The director sends the whole TCBM batch back to its head, who approves it again (the head's own evaluation goes back to leadership).
    const batch = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('TCBM')}/return`, await as('gd.tranminh'), { reason: 'Đề nghị phòng rà soát lại toàn bộ kết quả' })
    expect(batch.status, JSON.stringify(batch.body)).toBe(200)
    expect(batch.body.evaluations).toBe(8)
    expect(batch.body.progress.byUnit.find((u: { unitId: number }) => u.unitId === unitId.get('TCBM')).byStage).toEqual({ UNIT_REVIEW: 8 })
    for (const who of TCBM.slice(1)) expect((await act('tp.nguyenhai', 'approve', who, { comment: 'Đã rà soát' })).status).toBe(200)
    expect((await act('gd.tranminh', 'approve', 'tp.nguyenhai', {})).status).toBe(200)
    expect((await evaluation('cv.dohuong')).override).toBe('DISCIPLINE')

    // Before sign-off, each unit's levels as scored (what the leader's quota column shows), counted by the server as the read model holds them.
    const detail = (await t.api('GET', `/api/cycles/${cycleId}`, await as('gd.tranminh'))).body as { progress: { byUnit: { unitId: number; levels: Record<string, number> }[] } }
    const scored = await t.system.db.selectFrom('evaluations').select(['unit_id', 'level']).where('cycle_id', '=', cycleId).where('level', 'is not', null).execute()
    expect(scored.length).toBeGreaterThan(0)
    for (const u of detail.progress.byUnit) {
      const expected = { HTXS: 0, HTT: 0, HT: 0, KHT: 0 } as Record<string, number>
      for (const r of scored.filter((x) => x.unit_id === u.unitId)) expected[r.level!]!++
      expect(u.levels, `unit ${u.unitId}`).toEqual(expected)
    }

    // The home page's figures, counted by the server over every page of what waits for each person: the same as the whole list's.
    for (const who of ['gd.tranminh', 'tp.phamlan', 'cv.maiphuong']) {
      const token = await as(who)
      const tasks = (await t.api('GET', '/api/evaluations?assignedToMe=true&limit=500', token)).body as { id: number; stage: string; overdue: boolean; cycleId: number; unitId: number; unitName: string }[]
      const summary = (await t.api('GET', '/api/evaluations/assigned-summary', token)).body
      const count = (stage: string) => tasks.filter((x) => x.stage === stage).length
      expect(summary, who).toMatchObject({ total: tasks.length, byStage: { SELF_ASSESSMENT: count('SELF_ASSESSMENT'), UNIT_REVIEW: count('UNIT_REVIEW'), AWAITING_SIGN_OFF: count('AWAITING_SIGN_OFF') }, overdue: tasks.filter((x) => x.overdue).length })
      const units = new Map<string, number>()
      for (const x of tasks.filter((y) => y.stage === 'AWAITING_SIGN_OFF')) units.set(`${x.cycleId}:${x.unitId}`, (units.get(`${x.cycleId}:${x.unitId}`) ?? 0) + 1)
      expect(new Map((summary.unitsAwaitingSignOff as { cycleId: number; unitId: number; count: number }[]).map((u) => [`${u.cycleId}:${u.unitId}`, u.count])), who).toEqual(units)
      const overdue = (await t.api('GET', '/api/evaluations?assignedToMe=true&overdue=true&limit=500', token)).body as { id: number }[]
      expect(overdue.map((x) => x.id), who).toEqual(tasks.filter((x) => x.overdue).map((x) => x.id))
    }
    expect((await t.api('GET', '/api/evaluations/assigned-summary', await as('gd.tranminh'))).body.byStage.AWAITING_SIGN_OFF).toBeGreaterThan(0)

    for (const code of ['VP', 'TCBM', 'CCHC']) {
      const res = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get(code)}/sign-off`, await as('gd.tranminh'))
      expect(res.status, `${code}: ${JSON.stringify(res.body)}`).toBe(200)
    }
    const twice = await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('VP')}/sign-off`, await as('gd.tranminh'))
    expect(twice.status).toBe(409)
    // The directorate's batch holds the director's own evaluation: he may not sign it; the competent authority (admin) does.
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('SNV')}/sign-off`, await as('gd.tranminh'))).status).toBe(403)
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${unitId.get('SNV')}/sign-off`, admin)).status).toBe(200)
  })

  it('ranks and classifies: leaders scored on subordinates, quota per unit with the exception, ranks 1-2-2-4', async () => {
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 60_000, 'classified')
    const { results } = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body
    expect(results).toHaveLength(25)
    const r = new Map<string, any>(results.map((x: any) => [[...staffId].find(([, id]) => id === x.staffId)![0], x]))
    // VP: 3 excellent candidates, 4 good → only the best stays HTXS (1 ≤ 0.2 × 6).
    expect(r.get('cv.dangkhoa')).toMatchObject({ total: 98, finalLevel: 'HTXS', rankInUnit: 1 })
    expect(r.get('cv.buingoc')).toMatchObject({ total: 97, level: 'HTXS', finalLevel: 'HTT', quotaCut: true, rankInUnit: 2 })
    // Unit head: (100 + 100 + 100 + d 100 + đ 90) / 5 × 0.7 = 68.6 → 95.6, cut by the quota.
    expect(r.get('cvp.lethu')).toMatchObject({ total: 95.6, finalLevel: 'HTT', quotaCut: true, rankInUnit: 3 })
    expect([r.get('cv.phanlinh').rankInUnit, r.get('cv.tranbao').rankInUnit, r.get('cv.caothao').rankInUnit]).toEqual([5, 5, 7])
    // TCBM: two subordinates not completed → d = 50: (300 + 50 + 80) / 5 × 0.7 = 60.2 → 87.2.
    expect(r.get('tp.nguyenhai')).toMatchObject({ total: 87.2, finalLevel: 'HTT' })
    expect(r.get('tp.nguyenhai').values.d).toBe(50)
    expect(r.get('cv.dohuong')).toMatchObject({ total: 97, finalLevel: 'KHT', override: 'DISCIPLINE', rankInUnit: 7 })
    expect(r.get('cv.dinhtrang')).toMatchObject({ total: 45, finalLevel: 'KHT', rankInUnit: 8 })
    // CCHC: the exception (40 %) keeps both excellent candidates.
    expect(r.get('cvc.luongtuan')).toMatchObject({ total: 98, finalLevel: 'HTXS', rankInUnit: 1 })
    expect(r.get('tp.phamlan')).toMatchObject({ total: 96, finalLevel: 'HTXS', quotaCut: false, rankInUnit: 2 })
    // Directorate: one candidate beside one HTT cannot be HTXS (1 > 0.2 × 1).
    expect(r.get('gd.tranminh')).toMatchObject({ total: 95.6, finalLevel: 'HTT', quotaCut: true })
    expect(r.get('pgd.hoangyen')).toMatchObject({ total: 89.4, finalLevel: 'HTT' })
    // Across the cycle: the two 98s share rank 1, the next is 3.
    expect([r.get('cv.dangkhoa').rankInCycle, r.get('cvc.luongtuan').rankInCycle, r.get('tp.phamlan').rankInCycle, r.get('cv.buingoc').rankInCycle]).toEqual([1, 1, 3, 4])
  })

  it('shows staff only their own result and keeps a complete audit trail', async () => {
    const mine = (await t.api('GET', `/api/cycles/${cycleId}/results`, await as('cv.tranbao'))).body.results
    expect(mine.map((x: any) => x.staffId)).toEqual([staffId.get('cv.tranbao')])
    // Results are scoped like evaluations: a leader sees the units of their scope, a head their unit (and their own row).
    const all = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body.results as { staffId: number; unitId: number }[]
    const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    const narrow = await t.api('POST', '/api/staff', admin, { username: 'pgd.phamvi', fullName: 'Phạm Văn Vĩ', unitCode: 'SNV', roles: ['leader'], scopeUnitCodes: ['CCHC'], password: 'scope-pass-123' })
    expect(narrow.status).toBe(201)
    const leaderView = (await t.api('GET', `/api/cycles/${cycleId}/results`, await t.login('pgd.phamvi', 'scope-pass-123'))).body.results as { unitId: number }[]
    expect(leaderView.length).toBe(all.filter((r) => r.unitId === cchc).length)
    expect(new Set(leaderView.map((r) => r.unitId))).toEqual(new Set([cchc]))
    const headView = (await t.api('GET', `/api/cycles/${cycleId}/results`, await as('tp.phamlan'))).body.results as { unitId: number }[]
    expect(new Set(headView.map((r) => r.unitId))).toEqual(new Set([cchc]))
    expect(headView.length).toBe(leaderView.length)
    const leaderCsv = (await t.api('GET', `/api/cycles/${cycleId}/results/export?format=csv`, await t.login('pgd.phamvi', 'scope-pass-123'))).body as string
    expect(leaderCsv.trim().split('\n')).toHaveLength(leaderView.length + 1)
    const csv = (await t.api('GET', `/api/cycles/${cycleId}/results/export?format=csv`, admin)).body as string
    const lines = csv.trim().split('\n')
    expect(lines).toHaveLength(26)
    expect(lines[0]).toContain('Họ và tên')
    expect(lines.find((l) => l.includes('Ngô Thị Hà'))).toBeDefined()
    expect(lines.find((l) => l.includes('Bùi Thị Ngọc'))).toContain('Giới hạn tỷ lệ HTXS')
    const ownCsv = (await t.api('GET', `/api/cycles/${cycleId}/results/export?format=csv`, await as('cv.tranbao'))).body as string
    expect(ownCsv.trim().split('\n')).toHaveLength(2)
    const xlsx = await t.system.app.request(`/api/cycles/${cycleId}/results/export?format=xlsx`, { headers: { authorization: `Bearer ${admin}` } })
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
    // The workbook: the cycle's name on its first line, then the CSV's header and rows.
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.arrayBuffer())
    const sheet = workbook.worksheets[0]!
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v as string | number)))
    const { name } = await t.system.db.selectFrom('cycles').select('name').where('id', '=', cycleId).executeTakeFirstOrThrow()
    expect(cells(1)).toEqual([name])
    expect(sheet.rowCount).toBe(1 + lines.length)
    const csvRows = parseCsv(csv)
    expect(cells(2)).toEqual(Object.keys(csvRows[0]!))
    for (let i = 0; i < csvRows.length; i++) expect(cells(3 + i).join('|').replace(/\|+$/, '')).toBe(Object.values(csvRows[i]!).join('|').replace(/\|+$/, ''))
    const audit = (await t.api('GET', `/api/evaluations/${evalOf.get('cv.dangkhoa')}/audit`, await as('cv.dangkhoa'))).body
    // Every draft saved is a version of its own, decided by the workflow and audited like any action.
    expect(audit.map((e: any) => `${e.action}:${e.fromStage}→${e.toStage}`)).toEqual([
      'save:SELF_ASSESSMENT→SELF_ASSESSMENT',
      'submit:SELF_ASSESSMENT→UNIT_REVIEW',
      'return:UNIT_REVIEW→SELF_ASSESSMENT',
      'save:SELF_ASSESSMENT→SELF_ASSESSMENT',
      'submit:SELF_ASSESSMENT→UNIT_REVIEW',
      'approve:UNIT_REVIEW→AWAITING_SIGN_OFF',
      'signOff:AWAITING_SIGN_OFF→SIGNED_OFF',
      'classify:SIGNED_OFF→CLASSIFIED',
    ])
    expect(audit[2]).toMatchObject({ actorName: 'Lê Thị Thu', reason: 'Thiếu minh chứng cho sản phẩm B01' })
    expect(audit.every((e: any) => e.ruleHash && e.ruleSetId === 1)).toBe(true)
    const ngoc = (await t.api('GET', `/api/evaluations/${evalOf.get('cv.buingoc')}/audit`, admin)).body
    expect(ngoc.map((e: any) => e.action)).toEqual(['save', 'submit', 'approve', 'leaderReturn', 'approve', 'signOff', 'classify'])
    const tampered = await t.system.db.updateTable('audit_events').set({ reason: 'x' }).where('id', '=', audit[0].id).execute().catch((e: Error) => e)
    expect(tampered).toBeInstanceOf(Error)
  })

  it('simulates a draft on the classified cycle: old levels reproduce the stored ones, and shows who changes band', async () => {
    const draftDef = (await t.api('GET', '/api/rulesets/1', admin)).body.definition
    draftDef.bands = [{ level: 'HTXS', min: 85 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 65 }, { level: 'KHT', min: null }]
    const draft = await t.api('POST', '/api/rulesets', admin, draftDef)
    expect(draft.status, JSON.stringify(draft.body)).toBe(201)
    const before = await t.system.db.selectFrom('evaluations').select(['id', 'final_level', 'total', 'version']).where('cycle_id', '=', cycleId).orderBy('id').execute()
    expect((await t.api('POST', `/api/rulesets/${draft.body.id}/simulate`, await as('gd.tranminh'), { cycleId })).status).toBe(403)
    const sim = await t.api('POST', `/api/rulesets/${draft.body.id}/simulate`, admin, { cycleId })
    expect(sim.status, JSON.stringify(sim.body).slice(0, 300)).toBe(200)
    const report = sim.body
    expect(report.summary).toEqual({ evaluations: 25, scored: 25, skipped: 0, up: 0, down: 1 })
    expect(report.changes.map((c: any) => [c.fullName, c.before.finalLevel, c.after.finalLevel])).toEqual([['Trịnh Văn Quang', 'HT', 'KHT']])
    expect(report.unscored).toEqual([])
    // The answer names the first `limit` of those who change band (a province's can be tens of thousands), not every evaluation.
    expect(report).not.toHaveProperty('evaluations')
    const none = await t.api('POST', `/api/rulesets/${draft.body.id}/simulate`, admin, { cycleId, limit: 1 })
    expect(none.body.changes).toHaveLength(1)
    for (const limit of [0, 501, 'x']) expect((await t.api('POST', `/api/rulesets/${draft.body.id}/simulate`, admin, { cycleId, limit })).status).toBe(400)
    // Every evaluation is in the CSV export; its baseline side is the cycle's own rule set: it reproduces every stored result.
    const csv = await t.system.app.request(`/api/rulesets/${draft.body.id}/simulate/export?cycleId=${cycleId}`, { headers: { authorization: `Bearer ${admin}` } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-disposition')).toContain(`mo-phong-bo-quy-tac-${draft.body.id}-ky-${cycleId}.csv`)
    const rows = parseCsv(await csv.text())
    expect(rows.map((r) => Number(r['Mã bản đánh giá / Evaluation']))).toEqual(before.map((b) => b.id))
    for (const row of before) {
      const e = rows.find((r) => Number(r['Mã bản đánh giá / Evaluation']) === row.id)!
      expect([e['Xếp loại hiện hành / Level now'], e['Tổng điểm hiện hành / Total now']]).toEqual([row.final_level, String(row.total).replace('.', ',')])
    }
    expect(rows.filter((r) => r['Thay đổi / Change'] === 'Xuống hạng / Down').map((r) => [r['Họ và tên / Full name'], r['Xếp loại theo phiên bản này / Level with this version']])).toEqual([['Trịnh Văn Quang', 'KHT']])
    expect((await t.api('GET', `/api/rulesets/${draft.body.id}/simulate/export?cycleId=${cycleId}`, await as('gd.tranminh'))).status).toBe(403)
    expect((await t.api('GET', `/api/rulesets/${draft.body.id}/simulate/export?cycleId=999999`, admin)).status).toBe(404)
    expect(report.distribution).toEqual({ before: { HTXS: 3, HTT: 19, HT: 1, KHT: 2 }, after: { HTXS: 3, HTT: 19, HT: 0, KHT: 3 } })
    const vp = report.units.find((u: { unitId: number }) => u.unitId === unitId.get('VP'))
    expect([vp.quotaCutBefore, vp.quotaCutAfter]).toEqual([2, 5])
    // Read-only: nothing of the cycle changed; one audit entry says a simulation ran.
    expect(await t.system.db.selectFrom('evaluations').select(['id', 'final_level', 'total', 'version']).where('cycle_id', '=', cycleId).orderBy('id').execute()).toEqual(before)
    const audit = (await t.api('GET', `/api/rulesets/${draft.body.id}/audit`, admin)).body
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['create', 'simulate', 'simulate', 'simulate'])
    expect(audit[3].data).toMatchObject({ cycleId, export: true, down: 1 })
    // Two at once: the second waits for the first (one simulation in memory at a time); both are answered alike.
    const twice = await Promise.all([1, 2].map(() => t.api('POST', `/api/rulesets/${draft.body.id}/simulate`, admin, { cycleId })))
    expect(twice.map((r) => r.status)).toEqual([200, 200])
    for (const r of twice) expect(r.body).toEqual(report)
    // The documents are read a page at a time (5,000 at a province): pages of 4 give the very same comparison.
    const cycle = (await t.system.db.selectFrom('cycles').select('ruleset_id').where('id', '=', cycleId).executeTakeFirstOrThrow())
    const [baseline, candidate] = [(await findRuleSet(t.system.db, cycle.ruleset_id))!, (await findRuleSet(t.system.db, draft.body.id))!]
    const whole = await simulateCycle(t.system.db, baseline, candidate, cycleId)
    expect(whole.evaluations).toHaveLength(25)
    expect(await simulateCycle(t.system.db, baseline, candidate, cycleId, { pageSize: 4 })).toEqual(whole)
    expect(simulationAnswer(whole, 100)).toEqual(report)
    // A band change reads the stored scores instead of the documents wherever they are the document's as it stands
    // (current_scores, kept by triggers: not leaders, whose scores depend on others); the comparison is the very one
    // scoring every document gives.
    const db = t.system.db
    const reused = async () => (await documentPage(db, await unitNamesOf(db), cycleId, ['CLASSIFIED'], 0, undefined, { versions: { [baseline.id]: baseline.hash }, values: ['total'] })).filter((m) => m.current).map((m) => m.id)
    const staffIds = (await db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycleId).where('rule_role', '=', 'staff').orderBy('id').execute()).map((e) => e.id)
    expect(await reused()).toEqual(staffIds)
    expect(staffIds.length).toBeGreaterThan(15)
    expect(await simulateCycle(db, baseline, candidate, cycleId, { reuse: false })).toEqual(whole)
    // A document written since it was scored (by any path, here plain SQL): its stored scores are no longer taken, it is scored again.
    const changed = staffIds[0]!
    const { data } = await db.selectFrom('evaluations').select('data').where('id', '=', changed).executeTakeFirstOrThrow()
    const lowered = { ...data, products: (data['products'] as { done: number }[]).map((p) => ({ ...p, done: 0 })) }
    await db.updateTable('evaluations').set({ data: JSON.stringify(lowered) }).where('id', '=', changed).execute()
    try {
      expect(await reused()).toEqual(staffIds.slice(1))
      const rescored = await simulateCycle(db, baseline, candidate, cycleId)
      expect(rescored).toEqual(await simulateCycle(db, baseline, candidate, cycleId, { reuse: false }))
      const totalOf = (r: typeof whole) => r.evaluations.find((e) => e.evaluationId === changed)!.before!.total!
      expect(totalOf(rescored)).toBeLessThan(totalOf(whole))
      // Writing other columns (a stage, a rank) leaves them as they were; scores written with the document make them current again.
      await db.updateTable('evaluations').set({ updated_at: new Date() }).where('id', '=', staffIds[1]!).execute()
      expect(await reused()).toEqual(staffIds.slice(1))
    } finally {
      const { scores } = await db.selectFrom('evaluations').select('scores').where('id', '=', changed).executeTakeFirstOrThrow()
      await db.updateTable('evaluations').set({ data: JSON.stringify(data), scores: JSON.stringify(scores) }).where('id', '=', changed).execute()
    }
    expect(await reused()).toEqual(staffIds)
    expect(await simulateCycle(db, baseline, candidate, cycleId)).toEqual(whole)
  })
})
