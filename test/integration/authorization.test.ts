import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doc } from '../support/documents.js'
import { DEMO_PASSWORD, eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { PERSONAS, SIGNED_IN, type Case, type MatrixContext, type Persona } from '../support/authorization/context.js'
import { calendarCases } from '../support/authorization/calendar.cases.js'
import { formsCases } from '../support/authorization/forms.cases.js'
import { integrationsCases } from '../support/authorization/integrations.cases.js'
import { petitionsCases } from '../support/authorization/petitions.cases.js'
import { indicatorsCases } from '../support/authorization/indicators.cases.js'
import { delegationsCases } from '../support/authorization/delegations.cases.js'
import { unitEvaluationsCases } from '../support/authorization/unit-evaluations.cases.js'

/**
 * Every route × every kind of caller, on a classified cycle of two units (CCHC and VP): admin, a
 * leader whose scope is CCHC and one whose scope is VP, the head of CCHC and the head of VP, the
 * evaluated CCHC staff member, another CCHC staff member, and anonymous. A caller who may not use
 * a route gets 401 (anonymous), 403 or 404 and changes nothing; one who may gets past the checks
 * (a business answer such as 409 after the cycle closed is fine). Reads are also checked row by row.
 */
const USERNAMES: Record<Exclude<Persona, 'anonymous'>, string> = {
  admin: 'admin',
  leaderIn: 'pgd.hoangyen',
  leaderOut: 'ld.vanphong',
  headOwn: 'tp.phamlan',
  headOther: 'cvp.lethu',
  staff: 'cv.maiphuong',
  otherStaff: 'cv.hoangnam',
}

describe('authorization: role × route × scope', () => {
  let t: TestSystem
  const token: Partial<Record<Persona, string>> = {}
  let cycleId: number
  let cchc: number
  let vp: number
  let subject: number // the evaluation of cv.maiphuong
  let item: number // a work item of cv.maiphuong
  let staffId: number
  let draft: number // a draft rule set
  const unitOf = new Map<number, number>() // evaluation → unit
  const as = (p: Persona) => token[p]

  beforeAll(async () => {
    t = await startTestSystem({ label: 'security' })
    const admin = await t.login('admin')
    const units = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    cchc = units.find((u) => u.code === 'CCHC')!.id
    vp = units.find((u) => u.code === 'VP')!.id
    const staff = (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string }[]
    const pgd = staff.find((s) => s.username === 'pgd.hoangyen')!.id
    expect((await t.api('PATCH', `/api/staff/${pgd}`, admin, { scopeUnitCodes: ['CCHC'] })).status).toBe(200)
    expect((await t.api('POST', '/api/staff', admin, { username: 'ld.vanphong', fullName: 'Lãnh đạo phụ trách Văn phòng', unitCode: 'SNV', positionCode: 'PGD', roles: ['leader'], scopeUnitCodes: ['VP'], password: DEMO_PASSWORD })).status).toBe(201)
    for (const p of SIGNED_IN) token[p] = await t.login(USERNAMES[p])
    draft = (await t.api('POST', '/api/rulesets/1/draft', admin)).body.id
    staffId = (await t.api('GET', '/api/me', as('staff'))).body.id
    item = (await t.api('POST', '/api/work-items', as('headOwn'), { staffId, productCode: 'B01', quantity: 2, assignedOn: '2026-10-05', dueOn: '2026-10-20' })).body.id

    // A cycle over both units, driven to the end by the people concerned.
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 10/2026', periodKind: 'month', periodStart: '2026-10-01', periodEnd: '2026-10-31', ruleSetId: 1, unitIds: [cchc, vp] })
    expect(launched.status).toBe(201)
    cycleId = launched.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id', 'e.unit_id', 's.username', 'e.reviewer_ids']).where('e.cycle_id', '=', cycleId).execute()
    const usernames = new Map(staff.map((s) => [s.id, s.username]))
    for (const r of rows) {
      unitOf.set(r.id, r.unit_id)
      const own = await t.login(r.username)
      const { prefilledProducts } = (await t.api('GET', `/api/evaluations/${r.id}`, own)).body
      const data = { ...doc(8, 9), products: [...prefilledProducts, ...doc(8, 9).products] }
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
      const reviewer = await t.login(usernames.get(r.reviewer_ids[0]!)!)
      const approved = await t.api('POST', `/api/evaluations/${r.id}/approve`, reviewer, {})
      expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    }
    subject = rows.find((r) => r.username === 'cv.maiphuong')!.id
    // CCHC signed off by the leader whose scope it is: the answer's progress names their units only (not VP's counts of levels).
    const byLeader = await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, as('leaderIn'))
    expect(byLeader.status, JSON.stringify(byLeader.body)).toBe(200)
    expect((byLeader.body.progress.byUnit as { unitId: number }[]).map((u) => u.unitId)).toEqual([cchc])
    const byAdmin = await t.api('POST', `/api/cycles/${cycleId}/units/${vp}/sign-off`, admin)
    expect(byAdmin.status).toBe(200)
    expect((byAdmin.body.progress.byUnit as { unitId: number }[]).map((u) => u.unitId).sort()).toEqual([cchc, vp].sort())
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 60_000, 'classified')
  })
  afterAll(async () => t?.stop())

  const all = SIGNED_IN
  const cases = (): Case[] => {
    const ev = `/api/evaluations/${subject}`
    const cy = `/api/cycles/${cycleId}`
    const wi = `/api/work-items/${item}`
    const get = (path: string) => (tk: string | undefined) => t.api('GET', path, tk)
    const send = (method: string, path: string, body?: unknown) => (tk: string | undefined) => t.api(method, path, tk, body)
    const heads = ['admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther'] as const
    const ctx: MatrixContext = { t, cycleId, cchc, vp, subject, staffId, item, draft, get, send }
    return [
      ...formsCases(ctx),
      ...calendarCases(ctx),
      ...integrationsCases(ctx),
      ...petitionsCases(ctx),
      ...indicatorsCases(ctx),
      ...delegationsCases(ctx),
      ...unitEvaluationsCases(ctx),
      { route: 'GET /api/health', call: get('/api/health'), allow: 'public' },
      { route: 'GET /api/openapi.json', call: get('/api/openapi.json'), allow: 'public' },
      { route: 'GET /api/me', call: get('/api/me'), allow: all },
      { route: 'GET /api/session', call: get('/api/session'), allow: 'public' },
      { route: 'GET /api/units', call: get('/api/units'), allow: all },
      { route: 'POST /api/units', call: send('POST', '/api/units', {}), allow: ['admin'] },
      { route: 'GET /api/staff', call: get('/api/staff'), allow: heads },
      { route: 'POST /api/staff', call: send('POST', '/api/staff', {}), allow: ['admin'] },
      { route: 'PATCH /api/staff/{id}', call: send('PATCH', `/api/staff/${staffId}`, {}), allow: ['admin'] },
      { route: 'POST /api/staff/import', call: send('POST', '/api/staff/import?dryRun=true', 'username\n'), allow: ['admin'] },
      { route: 'GET /api/rulesets/schema', call: get('/api/rulesets/schema'), allow: all },
      { route: 'GET /api/rulesets', call: get('/api/rulesets'), allow: all },
      { route: 'POST /api/rulesets', call: send('POST', '/api/rulesets', {}), allow: ['admin'] },
      { route: 'GET /api/rulesets/{id}', call: get('/api/rulesets/1'), allow: all },
      { route: 'PUT /api/rulesets/{id}', call: send('PUT', '/api/rulesets/1', {}), allow: ['admin'] },
      { route: 'POST /api/rulesets/{id}/draft', call: send('POST', '/api/rulesets/1/draft'), allow: ['admin'] },
      { route: 'POST /api/rulesets/{id}/publish', call: send('POST', '/api/rulesets/1/publish'), allow: ['admin'] },
      { route: 'POST /api/rulesets/{id}/archive', call: send('POST', `/api/rulesets/${draft}/archive`), allow: ['admin'] },
      { route: 'GET /api/rulesets/{id}/diff', call: get('/api/rulesets/1/diff?against=1'), allow: all },
      { route: 'GET /api/rulesets/{id}/audit', call: get('/api/rulesets/1/audit'), allow: ['admin'] },
      { route: 'POST /api/rulesets/{id}/evaluate', call: send('POST', '/api/rulesets/1/evaluate', { inputs: { role: 'staff', ...doc(8, 8) } }), allow: all },
      { route: 'POST /api/rulesets/{id}/tests', call: send('POST', '/api/rulesets/1/tests', {}), allow: all },
      { route: 'POST /api/rulesets/{id}/simulate', call: send('POST', '/api/rulesets/1/simulate', { cycleId }), allow: ['admin'] },
      { route: 'GET /api/rulesets/{id}/simulate/export', call: get(`/api/rulesets/1/simulate/export?cycleId=${cycleId}`), allow: ['admin'] },
      { route: 'GET /api/cycles', call: get('/api/cycles'), allow: all },
      { route: 'POST /api/cycles', call: send('POST', '/api/cycles', {}), allow: ['admin'] },
      { route: 'GET /api/cycles/{id}', call: get(cy), allow: all },
      { route: 'GET /api/cycles/{id}/results', call: get(`${cy}/results`), allow: all },
      { route: 'GET /api/cycles/{id}/results/export', call: get(`${cy}/results/export?format=csv`), allow: all },
      { route: 'POST /api/cycles/{id}/ranking/retry', call: send('POST', `${cy}/ranking/retry`), allow: ['admin'] },
      { route: 'POST /api/cycles/{id}/cancel', call: send('POST', `${cy}/cancel`, { reason: 'Thử quyền hủy' }), allow: ['admin'] },
      { route: 'POST /api/cycles/{id}/units/{unitId}/sign-off', call: send('POST', `${cy}/units/${cchc}/sign-off`), allow: ['admin', 'leaderIn'] },
      { route: 'POST /api/cycles/{id}/units/{unitId}/return', call: send('POST', `${cy}/units/${cchc}/return`, { reason: 'Thử quyền trả lại' }), allow: ['admin', 'leaderIn'] },
      { route: 'POST /api/cycles/{id}/units/{unitId}/quota-exception', call: send('POST', `${cy}/units/${cchc}/quota-exception`, { cap: 0.3, reason: 'Thử quyền ngoại lệ' }), allow: ['admin', 'leaderIn'] },
      { route: 'GET /api/evaluations', call: get(`/api/evaluations?cycleId=${cycleId}`), allow: all },
      { route: 'GET /api/evaluations/assigned-summary', call: get('/api/evaluations/assigned-summary'), allow: all },
      { route: 'GET /api/evaluations/{id}', call: get(ev), allow: ['admin', 'leaderIn', 'headOwn', 'staff'] },
      { route: 'GET /api/evaluations/{id}/audit', call: get(`${ev}/audit`), allow: ['admin', 'leaderIn', 'headOwn', 'staff'] },
      { route: 'PUT /api/evaluations/{id}/self-assessment', call: send('PUT', `${ev}/self-assessment`, { data: doc(9, 9) }), allow: ['staff'] },
      { route: 'POST /api/evaluations/{id}/submit', call: send('POST', `${ev}/submit`, {}), allow: ['staff'] },
      { route: 'POST /api/evaluations/{id}/approve', call: send('POST', `${ev}/approve`, {}), allow: ['headOwn'] },
      { route: 'POST /api/evaluations/{id}/return', call: send('POST', `${ev}/return`, { reason: 'Thử quyền trả lại' }), allow: ['admin', 'headOwn', 'leaderIn'] },
      { route: 'GET /api/audit/verify', call: get('/api/audit/verify'), allow: ['admin'] },
      { route: 'GET /api/notifications', call: get('/api/notifications'), allow: all },
      { route: 'POST /api/notifications/read', call: send('POST', '/api/notifications/read', { ids: [1] }), allow: all },
      { route: 'GET /api/catalogue', call: get('/api/catalogue'), allow: all },
      { route: 'POST /api/catalogue', call: send('POST', '/api/catalogue', {}), allow: ['admin'] },
      { route: 'POST /api/catalogue/import', call: send('POST', '/api/catalogue/import?validFrom=2027-01-01', 'code\n'), allow: ['admin'] },
      { route: 'GET /api/catalogue/export', call: get('/api/catalogue/export?format=csv'), allow: all },
      { route: 'GET /api/work-items', call: get('/api/work-items'), allow: all },
      { route: 'POST /api/work-items', call: send('POST', '/api/work-items', { staffId, productCode: 'B01', quantity: 1, assignedOn: '2026-10-06', dueOn: '2026-10-09' }), allow: ['admin', 'headOwn', 'staff'] },
      { route: 'PATCH /api/work-items/{id}', call: send('PATCH', wi, { progress: { date: '2026-10-06', hours: 1 } }), allow: ['staff'] },
      { route: 'POST /api/work-items/{id}/confirm', call: send('POST', `${wi}/confirm`, { qualityFailures: [] }), allow: ['admin', 'headOwn'] },
      { route: 'POST /api/work-items/{id}/accept', call: send('POST', `${wi}/accept`), allow: ['admin', 'headOwn'] },
      { route: 'POST /api/work-items/{id}/reject', call: send('POST', `${wi}/reject`, { reason: 'Thử quyền từ chối' }), allow: ['admin', 'headOwn'] },
      { route: 'POST /api/work-items/{id}/extend', call: send('POST', `${wi}/extend`, { until: '2026-10-25', reason: 'Thử quyền gia hạn' }), allow: ['admin', 'headOwn'] },
      { route: 'GET /api/work-items/my-day', call: get('/api/work-items/my-day'), allow: all },
      { route: 'GET /api/work-items/summary', call: get(`/api/work-items/summary?staffId=${staffId}&from=2026-10-01&to=2026-10-31`), allow: ['admin', 'leaderIn', 'headOwn', 'staff'] },
      { route: 'GET /api/work-items/board', call: get(`/api/work-items/board?unitId=${cchc}`), allow: ['admin', 'leaderIn', 'headOwn'] },
      { route: 'GET /api/work-items/unit-summary', call: get(`/api/work-items/unit-summary?unitId=${cchc}&month=2026-10`), allow: ['admin', 'leaderIn', 'headOwn'] },
    ]
  }

  it('covers every route the API documents', async () => {
    const documented = Object.entries(((await t.api('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> }).paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    // Signing in and out are checked in sign-in.test.ts: here they would end the callers' sessions.
    const special = ['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/logout-all']
    const covered = new Set([...cases().map((c) => c.route), ...special])
    expect(documented.filter((r) => !covered.has(r))).toEqual([])
  })

  it('refuses everyone a route is not for, and lets through everyone it is for', async () => {
    const wrong: string[] = []
    for (const c of cases()) {
      // Refusals first: they must change nothing the allowed calls then rely on.
      const order = [...PERSONAS].sort((a, b) => Number(c.allow === 'public' || c.allow.includes(a)) - Number(c.allow === 'public' || c.allow.includes(b)))
      for (const p of order) {
        const res = await c.call(as(p))
        const allowed = c.allow === 'public' || c.allow.includes(p)
        const ok = allowed ? ![401, 403, 404].includes(res.status) && res.status < 500 : p === 'anonymous' ? res.status === 401 : [403, 404].includes(res.status)
        if (!ok) wrong.push(`${c.route} as ${p}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps personal data out of Temporal: every payload of an evaluation history is ciphertext', async () => {
    const { workflowService } = t.system.connection
    const workflowId = `evaluation:${cycleId}:${staffId}`
    const { history } = await workflowService.getWorkflowExecutionHistory({ namespace: t.config.temporalNamespace, execution: { workflowId } })
    const payloads: { path: string; metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }[] = []
    const collect = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object' || node instanceof Uint8Array) return
      const o = node as Record<string, unknown>
      // The SDK's own bookkeeping is written in clear and carries no user data: patch markers and
      // their search attribute (`["local-projection"]`), a local activity marker's metadata (seq,
      // attempt, type, times). Its result, like every payload of ours, goes through the codec.
      if (o['markerName'] === 'core_patch' || path.endsWith('.searchAttributes')) return
      if (o['markerName'] === 'core_local_activity') return collect((o['details'] as Record<string, unknown> | undefined)?.['result'], `${path}.details.result`)
      if (o['metadata'] && o['data'] instanceof Uint8Array) payloads.push({ ...(o as Omit<(typeof payloads)[number], 'path'>), path })
      for (const [k, v] of Object.entries(o)) collect(v, `${path}.${k}`)
    }
    collect(history, 'history')
    expect(payloads.length).toBeGreaterThan(5)
    const clear = payloads.filter((p) => Buffer.from(p.metadata!['encoding']!).toString() !== 'binary/encrypted').map((p) => `${p.path}: ${Buffer.from(p.data!).toString().slice(0, 80)}`)
    expect(clear).toEqual([])
    const raw = Buffer.concat(payloads.map((p) => Buffer.from(p.data!))).toString('utf8')
    expect(raw).not.toContain('Theo kế hoạch công tác')
    expect(raw).not.toContain('general')
    // The product itself reads them back.
    expect((await t.api('GET', `/api/evaluations/${subject}`, as('staff'))).body.data.products.at(-1).reason).toBe('Theo kế hoạch công tác')
  })

  it('pages every evaluation list by key: Link rel="next" until the end, nothing twice, nothing missed', async () => {
    const whole = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&limit=500`, as('admin'))).body as { id: number }[]
    const seen: number[] = []
    let next: string | null = `/api/evaluations?cycleId=${cycleId}&limit=3`
    while (next) {
      const res = await t.system.app.request(next, { headers: { authorization: `Bearer ${as('admin')}` } })
      seen.push(...((await res.json()) as { id: number }[]).map((e) => e.id))
      next = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1] ?? null
    }
    expect(seen).toEqual(whole.map((e) => e.id))
    expect(whole.length).toBeGreaterThan(3)
    // Default 50, at most 500; a person sees their own page only.
    expect((await t.api('GET', `/api/evaluations?limit=501`, as('admin'))).status).toBe(400)
    expect((await t.api('GET', `/api/evaluations?cycleId=${cycleId}&limit=2`, as('leaderIn'))).body).toHaveLength(2)
  })

  it('keeps notifications per person, newest first, with read state and pages', async () => {
    const mine = (await t.api('GET', '/api/notifications', as('staff'))).body as { id: number; readAt: string | null }[]
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((n) => n.readAt === null)).toBe(true)
    const others = (await t.api('GET', '/api/notifications', as('otherStaff'))).body as { id: number }[]
    expect(others.some((n) => mine.some((m) => m.id === n.id))).toBe(false)
    // Marking someone else's notification read changes nothing.
    expect((await t.api('POST', '/api/notifications/read', as('otherStaff'), { ids: [mine[0]!.id] })).body).toEqual({ marked: 0 })
    expect((await t.api('POST', '/api/notifications/read', as('staff'), { ids: [mine[0]!.id] })).body).toEqual({ marked: 1 })
    expect(((await t.api('GET', '/api/notifications?unread=true', as('staff'))).body as unknown[]).length).toBe(mine.length - 1)
    expect((await t.api('POST', '/api/notifications/read', as('staff'), {})).status).toBe(400)
    expect((await t.api('POST', '/api/notifications/read', as('staff'), { all: true })).body).toEqual({ marked: mine.length - 1 })
    const first = await t.system.app.request('/api/notifications?limit=1', { headers: { authorization: `Bearer ${as('staff')}` } })
    expect(((await first.json()) as { id: number }[])[0]!.id).toBe(mine[0]!.id)
    expect(first.headers.get('link') !== null).toBe(mine.length > 1)
  })

  it('scopes the cycle detail, results, exports and lists row by row', async () => {
    const unitsSeen = async (p: Persona) => {
      const detail = (await t.api('GET', `/api/cycles/${cycleId}`, as(p))).body
      const results = (await t.api('GET', `/api/cycles/${cycleId}/results`, as(p))).body.results as { unitId: number; staffId: number; evaluationId: number }[]
      const csv = (await t.api('GET', `/api/cycles/${cycleId}/results/export?format=csv`, as(p))).body as string
      const list = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, as(p))).body as { unitId: number; staffId: number }[]
      return {
        progress: (detail.progress.byUnit as { unitId: number }[]).map((u) => u.unitId).sort(),
        counted: Object.values(detail.progress.byStage as Record<string, number>).reduce((a, b) => a + b, 0),
        results: [...new Set(results.map((r) => r.unitId))].sort(),
        rows: results.length,
        csvRows: csv.trim().split('\n').length - 1,
        list: [...new Set(list.map((r) => r.unitId))].sort(),
        own: results.every((r) => r.staffId === staffId),
      }
    }
    const size = (unit: number) => [...unitOf.values()].filter((u) => u === unit).length
    const both = [cchc, vp].sort()
    expect(await unitsSeen('admin')).toMatchObject({ progress: both, results: both, rows: unitOf.size, csvRows: unitOf.size, list: both, counted: unitOf.size })
    expect(await unitsSeen('leaderIn')).toMatchObject({ progress: [cchc], results: [cchc], rows: size(cchc), csvRows: size(cchc), list: [cchc], counted: size(cchc) })
    expect(await unitsSeen('leaderOut')).toMatchObject({ progress: [vp], results: [vp], rows: size(vp), csvRows: size(vp), list: [vp], counted: size(vp) })
    expect(await unitsSeen('headOwn')).toMatchObject({ progress: [cchc], results: [cchc], list: [cchc] })
    expect(await unitsSeen('headOther')).toMatchObject({ progress: [vp], results: [vp], list: [vp] })
    expect(await unitsSeen('staff')).toMatchObject({ progress: [], counted: 0, rows: 1, csvRows: 1, own: true })
    expect(await unitsSeen('otherStaff')).toMatchObject({ progress: [], rows: 1, own: false })
  })
})
