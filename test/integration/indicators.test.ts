import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { vnDay } from '../../server/calendar/working-days.js'
import { signBody } from '../../server/integrations/api-keys.js'
import { closesAt, closingLabel } from '../../server/indicators/closing.js'
import { ingestIndicators } from '../../server/indicators/indicators.repo.js'
import { eventually, startTestSystem, type ApiResponse, type TestSystem } from '../support/harness.js'

/**
 * Indicators in (issue 15 point 2) on real Temporal + PostgreSQL: the one-stop service system posts
 * its on-time rate per person for the sample department KPI set (rule set 2): good rows, an unknown
 * person, a value out of range, a late row refused once the period locked. Before the launch and
 * after it, the admin sees who is missing and what came late; the launched evaluation shows the
 * value with its source, read-only: staff cannot change it, corrections before the closing day
 * reach the submission and the approval, and the score uses it.
 */
describe('indicators in: values from a connected system pre-fill the evaluations', () => {
  let t: TestSystem
  let admin: string
  let cchc: number
  let systemId: number
  let key: string
  let secret: string
  let cycleId: number
  // The cycle's period: the current month (Vietnam time), whose values lock on the 5th of the next.
  const today = vnDay(new Date())
  const periodStart = `${today.slice(0, 7)}-01`
  const periodEnd = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10)
  const closing = closingLabel(periodEnd, 5)
  const full = { volume: 100, quality: 100, progress: 100 }
  const row = (username: string, value: number, over: Record<string, unknown> = {}) => ({ indicatorCode: 'TTHC_DUNG_HAN', periodStart, periodEnd, username, value, ...over })

  const post = async (body: unknown, sign = false): Promise<ApiResponse> => {
    const text = JSON.stringify(body)
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-kpi-key': key }
    if (sign) {
      const ts = String(Math.floor(Date.now() / 1000))
      headers['x-kpi-timestamp'] = ts
      headers['x-kpi-signature'] = signBody(secret, ts, text)
    }
    const res = await t.system.app.request('/api/integrations/indicators', { method: 'POST', headers, body: text })
    return { status: res.status, body: await res.json() }
  }
  const preview = async () => (await t.api('GET', `/api/integrations/indicators/preview?ruleSetId=2&periodStart=${periodStart}&periodEnd=${periodEnd}&unitIds=${cchc}`, admin)).body
  const evaluationOf = async (username: string) => {
    const row = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id']).where('e.cycle_id', '=', cycleId).where('s.username', '=', username).executeTakeFirstOrThrow()
    return row.id
  }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'indicators' })
    admin = await t.login('admin')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    const created = await t.api('POST', '/api/integrations/systems', admin, { code: 'mot-cua', name: 'Hệ thống một cửa' })
    expect(created.status).toBe(201)
    systemId = created.body.id
    key = created.body.issuedKey.key
    secret = created.body.issuedKey.signingSecret
  })
  afterAll(async () => t?.stop())

  it('lists, before the launch, every CCHC member as missing for the rule set and period', async () => {
    const before = await preview()
    expect(before.indicators).toHaveLength(1)
    expect(before.indicators[0]).toMatchObject({ system: 'mot-cua', systemName: 'Hệ thống một cửa', code: 'TTHC_DUNG_HAN', scope: 'person', unit: '%', paths: ['indicators.oneStopOnTime'], closingDate: closesAt(periodEnd, 5).toISOString().slice(0, 10), locked: false, expected: 8, received: [] })
    expect(before.missing).toBe(8)
    expect(before.indicators[0].missing.map((m: { handle: string }) => m.handle)).toContain('cv.maiphuong')
    // The NĐ 335 set declares none: nothing to wait for.
    const nd335 = (await t.api('GET', `/api/integrations/indicators/preview?ruleSetId=1&periodStart=${periodStart}&periodEnd=${periodEnd}&unitIds=${cchc}`, admin)).body
    expect(nd335).toMatchObject({ indicators: [], missing: 0, late: 0 })
    expect((await t.api('GET', `/api/integrations/indicators/preview?ruleSetId=999&periodStart=${periodStart}&periodEnd=${periodEnd}`, admin)).status).toBe(404)
    expect((await t.api('GET', `/api/integrations/indicators/preview?ruleSetId=2&periodStart=${periodEnd}&periodEnd=${periodStart}`, admin)).status).toBe(periodStart === periodEnd ? 200 : 400)
  })

  it('takes good rows, reports unknown people, indicators, out-of-range and late rows per row; a replay changes nothing', async () => {
    const res = await post({
      system: 'mot-cua',
      indicators: [
        row('cv.maiphuong', 92.5, { note: 'Số liệu tháng' }),
        row('cv.hoangnam', 88),
        row('khong.co', 90),
        row('cv.huynhduc', 130),
        row('cv.hoangnam', 50, { periodStart: '2026-08-01', periodEnd: '2026-08-31' }),
        row('cv.tongmai', 70, { indicatorCode: 'KHONG_CO' }),
        row('cv.lyson', 70, { unitCode: 'CCHC', username: undefined }),
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ rows: 7, created: 2, updated: 0, unchanged: 0 })
    expect(res.body.rejected.map((r: { row: number; code: string; status: number }) => [r.row, r.code, r.status])).toEqual([
      [3, 'UNKNOWN_PERSON', 404],
      [4, 'OUT_OF_RANGE', 400],
      [5, 'PERIOD_LOCKED', 409],
      [6, 'UNKNOWN_INDICATOR', 404],
      [7, 'SCOPE_MISMATCH', 400],
    ])
    expect(res.body.rejected[2].message).toBe('Số liệu kỳ 01/08/2026 – 31/08/2026 của chỉ số TTHC_DUNG_HAN đã khóa ngày 05/09/2026; giá trị gửi muộn không được dùng.')
    // Signed or not, the same batch again is a no-op.
    const replay = await post({ indicators: [row('cv.maiphuong', 92.5, { note: 'Số liệu tháng' }), row('cv.hoangnam', 88)] }, true)
    expect(replay.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: [] })
    // A forged signature and a stale timestamp are refused before any row is read (the values below stay).
    const raw = (headers: Record<string, string>, body: unknown) => t.system.app.request('/api/integrations/indicators', { method: 'POST', headers: { 'content-type': 'application/json', 'x-kpi-key': key, ...headers }, body: JSON.stringify(body) })
    const forgedBody = { indicators: [row('cv.maiphuong', 1)] }
    const now = String(Math.floor(Date.now() / 1000))
    const forged = await raw({ 'x-kpi-timestamp': now, 'x-kpi-signature': `sha256=${'0'.repeat(64)}` }, forgedBody)
    expect([forged.status, ((await forged.json()) as { error: { code: string } }).error.code]).toEqual([401, 'SIGNATURE_INVALID'])
    const stale = String(Math.floor(Date.now() / 1000) - 3600)
    const expired = await raw({ 'x-kpi-timestamp': stale, 'x-kpi-signature': signBody(secret, stale, JSON.stringify(forgedBody)) }, forgedBody)
    expect([expired.status, ((await expired.json()) as { error: { code: string } }).error.code]).toEqual([401, 'SIGNATURE_EXPIRED'])
    // Another system's code in the body is refused; a signed-in user is not a system.
    expect((await post({ system: 'e-office', indicators: [row('cv.maiphuong', 1)] })).status).toBe(403)
    const asStaff = await t.api('POST', '/api/integrations/indicators', await t.login('cv.maiphuong'), { indicators: [row('cv.maiphuong', 100)] })
    expect(asStaff).toMatchObject({ status: 403, body: { error: { code: 'API_KEY_REQUIRED' } } })
    const values = await t.system.db.selectFrom('indicator_values').selectAll().where('system_id', '=', systemId).execute()
    expect(values.map((v) => [v.subject.startsWith('staff:'), v.value, v.note])).toEqual([
      [true, 92.5, 'Số liệu tháng'],
      [true, 88, null],
    ])
    // Each accepted batch is audited with what changed, and the calls are listed with their refused rows.
    const audited = await t.system.db.selectFrom('audit_events').select(['data']).where('entity', '=', 'integration').where('action', '=', 'indicators').execute()
    expect(audited).toHaveLength(1)
    expect(audited[0]!.data).toMatchObject({ system: 'mot-cua', created: 2, rejected: 5 })
    const calls = (await t.api('GET', `/api/integrations/calls?systemId=${systemId}&limit=5`, admin)).body
    expect(calls.map((c: { endpoint: string; status: number }) => `${c.status} ${c.endpoint}`)).toContain('200 POST /api/integrations/indicators')
    expect(calls.find((c: { rows: number }) => c.rows === 7).rejected).toHaveLength(5)
    // Before the launch, two of eight are in.
    const after = await preview()
    expect(after.missing).toBe(6)
    expect(after.indicators[0].received.map((r: { subject: { handle: string }; value: number }) => [r.subject.handle, r.value])).toEqual([
      ['cv.hoangnam', 88],
      ['cv.maiphuong', 92.5],
    ])
  })

  it("pre-fills the launched evaluation with the value and its source, read-only for staff; the score uses it", async () => {
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Chỉ số một cửa', periodKind: 'month', periodStart, periodEnd, ruleSetId: 2, unitIds: [cchc] })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    cycleId = launched.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')

    const staff = await t.login('cv.maiphuong')
    const id = await evaluationOf('cv.maiphuong')
    const view = (await t.api('GET', `/api/evaluations/${id}`, staff)).body
    expect(view.indicators).toEqual([
      expect.objectContaining({ path: 'indicators.oneStopOnTime', system: 'mot-cua', code: 'TTHC_DUNG_HAN', value: 92.5, locked: false, source: { vi: `Hệ thống một cửa · TTHC_DUNG_HAN · tạm tính, khóa ${closing}`, en: `Hệ thống một cửa · TTHC_DUNG_HAN · provisional, locks ${closing}` } }),
    ])
    expect(view.data.indicators).toEqual({ oneStopOnTime: 92.5 })
    expect(view.uiSchema.indicators.oneStopOnTime).toEqual({ 'ui:readonly': true, 'ui:help': `Hệ thống một cửa · TTHC_DUNG_HAN · tạm tính, khóa ${closing}` })

    // The staff member types 100: the system's value is what is saved (the request's is ignored).
    const saved = await t.api('PUT', `/api/evaluations/${id}/self-assessment`, staff, { data: { planned: full, arising: full, other: full, indicators: { oneStopOnTime: 100 } } })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body.data.indicators).toEqual({ oneStopOnTime: 92.5 })
    const stored = async () => t.system.db.selectFrom('evaluations').select(['data', 'adjustments', 'total', 'level', 'stage']).where('id', '=', id).executeTakeFirstOrThrow()
    expect((await stored()).data).toMatchObject({ indicators: { oneStopOnTime: 92.5 } })

    // A correction before the closing day reaches the submission: 50 + 25 + 15 + 95 × 10 % = 99,5.
    expect((await post({ indicators: [row('cv.maiphuong', 95)] })).body).toMatchObject({ updated: 1 })
    const submitted = await t.api('POST', `/api/evaluations/${id}/submit`, staff, {})
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    expect(submitted.body.total).toBe(99.5)
    expect(await stored()).toMatchObject({ stage: 'UNIT_REVIEW', total: 99.5, data: { indicators: { oneStopOnTime: 95 } } })

    // Another correction after the submission rides on the approval: 96 → 99,6.
    expect((await post({ indicators: [row('cv.maiphuong', 96)] })).body).toMatchObject({ updated: 1 })
    const head = await t.login('tp.phamlan')
    const headView = (await t.api('GET', `/api/evaluations/${id}`, head)).body
    expect(headView.indicators[0].value).toBe(96)
    expect(headView.data.indicators.oneStopOnTime).toBe(95) // the submitted document, as submitted
    const approved = await t.api('POST', `/api/evaluations/${id}/approve`, head, { comment: 'Đồng ý' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body.total).toBe(99.6)
    expect(await stored()).toMatchObject({ stage: 'AWAITING_SIGN_OFF', total: 99.6, adjustments: { indicators: { oneStopOnTime: 96 } } })

    // Someone with no value yet: nothing is pre-filled, what they type is dropped, the rule set counts 0 and says so.
    const other = await t.login('cvc.luongtuan')
    const otherId = await evaluationOf('cvc.luongtuan')
    const empty = (await t.api('GET', `/api/evaluations/${otherId}`, other)).body
    expect(empty.indicators[0]).toMatchObject({ value: null, receivedAt: null })
    const typed = await t.api('PUT', `/api/evaluations/${otherId}/self-assessment`, other, { data: { planned: full, arising: full, other: full, indicators: { oneStopOnTime: 100 } } })
    expect(typed.body.data.indicators).toEqual({})
    const otherSubmitted = await t.api('POST', `/api/evaluations/${otherId}/submit`, other, {})
    expect(otherSubmitted.body.total).toBe(90)
    const scores = (await t.api('GET', `/api/evaluations/${otherId}`, other)).body.scores
    expect(scores.trace.map((l: { text: { vi: string } }) => l.text.vi)).toContain('Chưa có tỷ lệ hồ sơ TTHC đúng hạn từ Hệ thống một cửa: tính 0')
    // A colleague does not see another person's evaluation, values included.
    expect((await t.api('GET', `/api/evaluations/${id}`, other)).status).toBe(403)
  }, 120_000)

  it("lists for the admin, per cycle, who has a value, who is missing one and what came late", async () => {
    // The system sends a value after the closing day (the clock passed in, as the route passes it): refused and kept as late.
    const late = await ingestIndicators(t.system.db, { systemId, systemCode: 'mot-cua' }, [row('cv.huynhduc', 80)], new Date(closesAt(periodEnd, 5).getTime() + 1000))
    expect(late.rejected).toMatchObject([{ code: 'PERIOD_LOCKED', status: 409 }])
    // Sent again, the same late value is still one late row.
    await ingestIndicators(t.system.db, { systemId, systemCode: 'mot-cua' }, [row('cv.huynhduc', 80)], new Date(closesAt(periodEnd, 5).getTime() + 2000))
    const list = await t.api('GET', `/api/integrations/indicators?cycleId=${cycleId}`, admin)
    expect(list.status).toBe(200)
    const [indicator] = list.body.indicators
    expect(list.body).toMatchObject({ cycleId, periodStart, periodEnd, missing: 6, late: 1 })
    expect(indicator.received.map((r: { subject: { handle: string }; value: number }) => [r.subject.handle, r.value])).toEqual([
      ['cv.hoangnam', 88],
      ['cv.maiphuong', 96],
    ])
    expect(indicator.missing.map((m: { handle: string }) => m.handle).sort()).toEqual(['cv.huynhduc', 'cv.lyson', 'cv.tongmai', 'cvc.luongtuan', 'ptp.ngocha', 'tp.phamlan'])
    expect(indicator.late).toEqual([expect.objectContaining({ subject: expect.objectContaining({ handle: 'cv.huynhduc', name: 'Huỳnh Minh Đức' }), value: 80, hasValue: false })])
    expect(indicator.counts).toEqual({ received: 2, missing: 6, late: 1 })
    // Each list's first rows only, by name, with the whole list's count: a province's names are not all sent at once.
    const first = (await t.api('GET', `/api/integrations/indicators?cycleId=${cycleId}&limit=2`, admin)).body.indicators[0]
    expect(first.counts).toEqual({ received: 2, missing: 6, late: 1 })
    expect(first.missing.map((m: { handle: string }) => m.handle)).toEqual(indicator.missing.slice(0, 2).map((m: { handle: string }) => m.handle))
    expect((await t.api('GET', `/api/integrations/indicators?cycleId=${cycleId}&limit=501`, admin)).status).toBe(400)
    // Every row in the CSV export: one per subject and state, the values with a decimal comma.
    const csv = await t.system.app.request(`/api/integrations/indicators/export?cycleId=${cycleId}`, { headers: { authorization: `Bearer ${admin}` } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n')
    expect(lines[0]).toContain('Tình trạng / State')
    expect(lines.slice(1).filter((l) => l.includes(',missing,'))).toHaveLength(6)
    expect(lines.slice(1).filter((l) => l.includes(',late,'))).toHaveLength(1)
    expect(lines.slice(1).filter((l) => l.includes(',received,'))).toHaveLength(2)
    expect(lines.find((l) => l.includes('cv.hoangnam') && l.includes(',received,'))).toContain(',88,')
    // The lists are the admin's.
    expect((await t.api('GET', `/api/integrations/indicators?cycleId=${cycleId}`, await t.login('tp.phamlan'))).status).toBe(403)
    expect((await t.api('GET', `/api/integrations/indicators/export?cycleId=${cycleId}`, await t.login('tp.phamlan'))).status).toBe(403)
    expect((await t.api('GET', '/api/integrations/indicators?cycleId=999999', admin)).status).toBe(404)
  })
})
