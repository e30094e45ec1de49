import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { departmentKpiRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { DEMO_PASSWORD, startTestSystem, type TestSystem } from '../support/harness.js'
import { assessment, general } from '../support/documents.js'
import { mutants } from '../support/mutate.js'

describe('the HTTP API contract: auth, org, rule sets, errors, OpenAPI', () => {
  let t: TestSystem
  let admin: string

  beforeAll(async () => {
    t = await startTestSystem({ label: 'api', worker: false, actionDeadlineMs: 1500 })
    admin = await t.login('admin')
  })
  afterAll(async () => t?.stop())

  it('signs in with a session cookie or a bearer token, and signs out', async () => {
    const res = await t.system.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cv.dangkhoa', password: DEMO_PASSWORD }) })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/kpi_session=.+HttpOnly/i)
    const body = await res.json()
    expect(body.user).toMatchObject({ username: 'cv.dangkhoa', fullName: 'Đặng Văn Khoa', roles: ['staff'], unitName: 'Văn phòng Sở' })
    const viaCookie = await t.system.app.request('/api/me', { headers: { cookie: cookie.split(';')[0]! } })
    expect((await viaCookie.json()).username).toBe('cv.dangkhoa')
    expect((await t.api('GET', '/api/me', body.token)).body.username).toBe('cv.dangkhoa')
    expect((await t.api('POST', '/api/auth/logout', body.token)).status).toBe(200)
    expect((await t.api('GET', '/api/me', body.token)).status).toBe(401)
  })

  it('refuses cross-site writes with the session cookie, non-JSON bodies, oversized bodies, NUL bytes and prototype keys', async () => {
    const login = await t.system.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const unit = (code: string) => JSON.stringify({ code, name: 'Phòng thử', parentCode: 'SNV' })
    const post = (headers: Record<string, string>, body: string) => t.system.app.request('http://localhost/api/units', { method: 'POST', headers: { cookie, ...headers }, body })
    expect((await post({ 'content-type': 'text/plain', origin: 'http://evil.example' }, unit('X1'))).status).toBe(403)
    expect((await post({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, unit('X2'))).status).toBe(403)
    expect((await post({ 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' }, unit('X3'))).status).toBe(415)
    expect((await post({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }, unit('X4'))).status).toBe(201)
    expect((await t.api('GET', '/api/units', admin)).body.map((u: { code: string }) => u.code).filter((c: string) => /^X\d$/.test(c))).toEqual(['X4'])
    // Bodies are capped before they are parsed.
    const big = await t.system.app.request('/api/units', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'X5', name: 'x'.repeat(2 << 20), parentCode: 'SNV' }) })
    expect(big.status).toBe(413)
    expect((await big.json()).error.code).toBe('PAYLOAD_TOO_LARGE')
    const nul = await t.api('POST', '/api/units', admin, { code: 'X6', name: 'Phòng\u0000thử', parentCode: 'SNV' })
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'name' }] } } })
    const proto = await t.system.app.request('/api/units', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"code":"X7","name":"Phòng","parentCode":"SNV","__proto__":{"admin":true}}' })
    expect(proto.status).toBe(400)
    const base = nd335RuleSet()
    const at = base.computed.findIndex((c) => 'formula' in c)
    const rule = { ...base, computed: base.computed.map((c, i) => (i === at ? { ...c, formula: { var: 'constructor.prototype' } } : c)) }
    const refused = await t.api('POST', '/api/rulesets', admin, rule)
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('constructor')
  })

  it('refuses a wrong password, a bad token and malformed JSON with codes, in Vietnamese or English', async () => {
    const wrong = await t.api('POST', '/api/auth/login', undefined, { username: 'admin', password: 'nope' })
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'Sai tên đăng nhập hoặc mật khẩu.' } } })
    expect((await t.api('GET', '/api/units', 'not-a-token')).body.error.code).toBe('UNAUTHENTICATED')
    const res = await t.system.app.request('/api/units', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'accept-language': 'en-US' }, body: '{"code":' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.', messageEn: 'The request body is not valid JSON.' } })
    expect((await t.api('GET', '/api/nothing-here', admin)).status).toBe(404)
  })

  it('creates units and staff, refusing duplicates and unknown references', async () => {
    expect((await t.api('POST', '/api/units', admin, { code: 'TTr', name: 'Thanh tra Sở', parentCode: 'SNV' })).status).toBe(201)
    expect((await t.api('POST', '/api/units', admin, { code: 'TTr', name: 'Trùng' })).status).toBe(409)
    expect((await t.api('POST', '/api/units', admin, { code: 'X1', name: 'Mồ côi', parentCode: 'NOPE' })).status).toBe(400)
    expect((await t.api('POST', '/api/units', await t.login('gd.tranminh'), { code: 'X2', name: 'Không quyền' })).status).toBe(403)
    const created = await t.api('POST', '/api/staff', admin, { username: 'tt.lequan', fullName: 'Lê Văn Quân', unitCode: 'TTr', positionCode: 'CV', roles: ['staff'] })
    expect(created.status).toBe(201)
    expect(created.body.password).toMatch(/^.{12}$/)
    const login = await t.api('POST', '/api/auth/login', undefined, { username: 'tt.lequan', password: created.body.password })
    expect(login.status).toBe(200)
    const token = login.body.token
    expect((await t.api('GET', '/api/me', token)).body.roles).toEqual(['staff'])
    expect((await t.api('POST', '/api/staff', admin, { username: 'tt.lequan', fullName: 'Trùng', unitCode: 'TTr', roles: ['staff'] })).status).toBe(400)
    const edited = await t.api('PATCH', `/api/staff/${created.body.id}`, admin, { fullName: 'Lê Văn Quân (Thanh tra viên)', positionCode: 'CVC', roles: ['staff', 'unit_head'] })
    expect(edited.body).toMatchObject({ fullName: 'Lê Văn Quân (Thanh tra viên)', positionCode: 'CVC', roles: ['staff', 'unit_head'] })
    expect((await t.api('PATCH', `/api/staff/${created.body.id}`, admin, { unitCode: 'NOPE' })).status).toBe(400)
    expect((await t.api('PATCH', '/api/staff/999999', admin, { fullName: 'x' })).status).toBe(404)
    expect((await t.api('PATCH', `/api/staff/${created.body.id}`, await t.login('gd.tranminh'), { fullName: 'x' })).status).toBe(403)
    // A signed-in person's new roles apply to their next request; a deactivated account is out at once.
    expect((await t.api('POST', '/api/units', token, { code: 'TTr2', name: 'Thanh tra 2' })).status).toBe(403)
    expect((await t.api('PATCH', `/api/staff/${created.body.id}`, admin, { roles: ['staff', 'admin'] })).status).toBe(200)
    expect((await t.api('POST', '/api/units', token, { code: 'TTr2', name: 'Thanh tra 2', parentCode: 'SNV' })).status).toBe(201)
    expect((await t.api('PATCH', `/api/staff/${created.body.id}`, admin, { active: false })).status).toBe(200)
    expect((await t.api('GET', '/api/me', token)).status).toBe(401)
  })

  it('imports staff from CSV all-or-nothing, listing every bad row', async () => {
    const bad = ['username,fullName,unitCode,positionCode,roles,email', 'tt.mot,Người Một,TTr,CV,staff,mot@x.vn', 'tt.hai,Người Hai,KHONGCO,CV,staff,', 'TT Ba,,TTr,CV,boss,'].join('\n')
    const preview = await t.api('POST', '/api/staff/import?dryRun=true', admin, bad)
    expect(preview.status).toBe(200)
    expect(preview.body).toMatchObject({ dryRun: true, rows: 3, valid: 1 })
    expect(preview.body.errors.map((d: { row: number }) => d.row)).toEqual([2, 3, 3, 3])
    const refused = await t.api('POST', '/api/staff/import', admin, bad)
    expect(refused.status).toBe(400)
    expect(refused.body.error.details.map((d: { row: number; path: string }) => `${d.row}:${d.path}`)).toEqual(['2:unitCode', '3:username', '3:fullName', '3:roles #1'])
    expect((await t.api('GET', '/api/staff', admin)).body.some((s: { username: string }) => s.username === 'tt.mot')).toBe(false)
    const good = '\uFEFFusername,fullName,unitCode,positionCode,roles,email\r\ntt.mot,"Nguyễn Thị Một, Phó",TTr,PTP,staff,\r\n'
    const ok = await t.api('POST', '/api/staff/import', admin, good)
    expect(ok.status).toBe(201)
    expect(ok.body.accounts[0]).toMatchObject({ username: 'tt.mot' })
    expect((await t.api('GET', '/api/staff', admin)).body.find((s: { username: string }) => s.username === 'tt.mot').fullName).toBe('Nguyễn Thị Một, Phó')
  })

  it('imports staff from the first sheet of an XLSX file', async () => {
    const wb = new ExcelJS.Workbook()
    const sheet = wb.addWorksheet('Cán bộ')
    sheet.addRow(['username', 'fullName', 'unitCode', 'positionCode', 'roles', 'email'])
    sheet.addRow(['tt.bon', 'Trần Văn Bốn', 'TTr', 'CV', 'staff', 'bon@x.vn'])
    sheet.addRow(['tt.nam', 'Phạm Thị Năm', 'TTr', 'CVC', 'staff;unit_head', ''])
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
    const res = await t.api('POST', '/api/staff/import', admin, bytes)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const staff = (await t.api('GET', '/api/staff', admin)).body
    expect(staff.find((s: { username: string }) => s.username === 'tt.nam')).toMatchObject({ fullName: 'Phạm Thị Năm', roles: ['staff', 'unit_head'], positionCode: 'CVC' })
    expect((await t.api('POST', '/api/staff/import', admin, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).status).toBe(400)
  })

  it('scores sample inputs with a rule set and keeps published versions immutable', async () => {
    const evaluated = await t.api('POST', '/api/rulesets/1/evaluate', admin, {
      inputs: {
        role: 'staff',
        general: general(9),
        assessment,
        products: [
          { code: 'VB', k: 1, assigned: 10, done: 9, qualityFailures: 0, delays: 1 },
          { code: 'BC', k: 2.5, assigned: 2, done: 2, qualityFailures: 1, delays: 0 },
        ],
      },
    })
    expect(evaluated.status).toBe(200)
    expect(evaluated.body).toMatchObject({ total: 90.97, level: 'HTXS' })
    expect(evaluated.body.trace.find((l: { key: string }) => l.key === 'b')).toMatchObject({ label: { vi: 'Chất lượng (%)' }, value: 89.17 })
    const empty = await t.api('POST', '/api/rulesets/1/evaluate', admin, { inputs: { general: general(1), assessment, products: [] } })
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'NOTHING_ASSIGNED' } } })
    expect((await t.api('PUT', '/api/rulesets/1', admin, nd335RuleSet())).status).toBe(409)
    // Lowering the HTXS threshold to 85 saves (it is well-formed) but cannot be published: its test cases now fail.
    const lowered = { ...nd335RuleSet(), bands: [{ level: 'HTXS', min: 85 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 50 }, { level: 'KHT', min: null }] }
    const draft = await t.api('POST', '/api/rulesets', admin, lowered)
    expect(draft.status, JSON.stringify(draft.body)).toBe(201)
    expect(draft.body).toMatchObject({ code: 'nd335-cong-chuc', version: 2, status: 'draft' })
    const refused = await t.api('POST', `/api/rulesets/${draft.body.id}/publish`, admin)
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('TESTS_FAILED')
    expect(refused.body.error.details.map((f: { name: string }) => f.name)).toEqual([
      'Nhiều sản phẩm, hệ số khác nhau, có chậm tiến độ',
      'Lãnh đạo: chậm tiến độ và bị trả lại',
      'Mẫu 01: điểm từng tiêu chí khác nhau, cộng theo nhóm',
      'Làm tròn một lần: tổng 89,9948 → 89,99 HTT (làm tròn từng bước cho 90,00 HTXS)',
      'Làm tròn một lần: 85,1944… → 85,19 (làm tròn từng bước cho 85,2)',
    ])
    expect(refused.body.error.details[0].mismatches).toEqual([{ field: 'level', expected: 'HTT', actual: 'HTXS' }])
    // The admin updates the expectations, and the draft publishes.
    const fixed = { ...lowered, tests: lowered.tests!.map((c) => (c.expect.total !== undefined && c.expect.total >= 85 && c.expect.level === 'HTT' ? { ...c, expect: { ...c.expect, level: 'HTXS' as const } } : c)) }
    expect((await t.api('PUT', `/api/rulesets/${draft.body.id}`, admin, fixed)).status).toBe(200)
    const diff = (await t.api('GET', `/api/rulesets/${draft.body.id}/diff?against=1`, admin)).body
    expect(diff.changes.map((c: { summary: { vi: string } }) => c.summary.vi)).toContain('Ngưỡng HTXS: 90 → 85')
    expect((await t.api('POST', `/api/rulesets/${draft.body.id}/publish`, admin)).body.status).toBe('published')
    expect((await t.api('POST', `/api/rulesets/${draft.body.id}/publish`, admin)).status).toBe(409)
    expect((await t.api('GET', `/api/rulesets/${draft.body.id}/audit`, admin)).body.map((a: { action: string }) => a.action)).toEqual(['create', 'update', 'publish'])
    expect((await t.api('POST', '/api/rulesets', admin, { code: 'Bad Code!' })).status).toBe(400)
    expect((await t.api('GET', '/api/rulesets/77', admin)).status).toBe(404)
  })

  it('pins each evaluation to the rule set that applies to it (by unit, position, role), else the cycle default', async () => {
    const inspection = { ...departmentKpiRuleSet(), code: 'kpi-thanh-tra', name: { vi: 'KPI Thanh tra Sở', en: 'Inspectorate KPIs' }, appliesTo: { unitCodes: ['TTr'] } }
    const created = await t.api('POST', '/api/rulesets', admin, inspection)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect((await t.api('POST', `/api/rulesets/${created.body.id}/publish`, admin)).status).toBe(200)
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 12/2026', periodKind: 'month', periodStart: '2026-12-01', periodEnd: '2026-12-31', ruleSetId: 1 })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    const list = (await t.api('GET', `/api/evaluations?cycleId=${launched.body.id}`, admin)).body as { id: number; unitName: string }[]
    const pinned = new Map<string, Set<string>>()
    for (const e of list) {
      const detail = (await t.api('GET', `/api/evaluations/${e.id}`, admin)).body
      pinned.set(e.unitName, (pinned.get(e.unitName) ?? new Set()).add(detail.ruleSet.code))
      if (e.unitName === 'Thanh tra Sở') {
        expect(detail.data).toEqual(inspection.initialInputs)
        expect(detail.formSchema.properties).toHaveProperty('planned')
      }
    }
    expect([...pinned.get('Thanh tra Sở')!]).toEqual(['kpi-thanh-tra'])
    expect([...pinned.get('Văn phòng Sở')!]).toEqual(['nd335-cong-chuc'])
    // No worker runs in this suite: an action cannot be confirmed, and the API says so in time, changing nothing.
    const cancel = await t.api('POST', `/api/cycles/${launched.body.id}/cancel`, admin, { reason: 'Chỉ để kiểm tra gán bộ quy tắc' })
    expect(cancel.status).toBe(503)
    expect(cancel.body.error.code).toBe('WORKFLOW_TIMEOUT')
    expect((await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body.status).toBe('LAUNCHING')
  })

  it('answers a few hundred mutated rule sets with 201 or a 400 naming paths, never a 500', async () => {
    const statuses = new Map<number, number>()
    for (const mutant of mutants(nd335RuleSet(), 250, 3)) {
      const res = await t.api('POST', '/api/rulesets', admin, mutant)
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status === 400) {
        expect(res.body.error.code).toMatch(/^(INVALID_RULE_SET|VALIDATION_FAILED)$/)
        if (res.body.error.code === 'INVALID_RULE_SET') expect(res.body.error.details.every((d: { path: string }) => d.path.length > 0)).toBe(true)
      } else {
        expect(res.status).toBe(201)
        const sample = (res.body.definition.tests ?? [])[0]
        if (sample) expect((await t.api('POST', `/api/rulesets/${res.body.id}/evaluate`, admin, { inputs: sample.inputs })).status).toBeLessThan(500)
      }
    }
    expect([...statuses.keys()].sort()).toEqual([201, 400])
  })

  it('answers malformed input on every route with a 4xx, never a 500', async () => {
    const doc = (await t.api('GET', '/api/openapi.json')).body
    const garbage: unknown[] = [null, [], 'x', 42, { a: 1 }, { id: 1e12, unitIds: [1e12], ruleSetId: 1e12, data: [], inputs: 'x', reason: '' }, { name: 'x'.repeat(100_000) }]
    const ids = ['1', '999999999', 'abc', '-1', '1e3', '99999999999999']
    let calls = 0
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        if (path === '/api/auth/logout') continue
        for (const id of ids) {
          const concrete = path.replace(/\{[^}]+\}/g, id)
          for (const body of method === 'get' ? [undefined] : garbage) {
            const res = await t.api(method.toUpperCase(), `${concrete}${method === 'get' ? '?cycleId=1e12&stage=NOPE&unitId=x' : ''}`, admin, body)
            calls++
            expect(res.status, `${method} ${concrete} ${JSON.stringify(body)?.slice(0, 80)}`).toBeLessThan(500)
            if (res.status >= 400) expect(res.body.error.code, `${method} ${concrete}`).toMatch(/^[A-Z_]+$/)
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(500)
    const launch = { name: 'Kỳ thử', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30' }
    expect((await t.api('POST', '/api/cycles', admin, { ...launch, ruleSetId: 1e12 })).status).toBe(400)
    expect((await t.api('POST', '/api/cycles', admin, { ...launch, ruleSetId: 1, unitIds: [2 ** 31] })).status).toBe(400)
    expect((await t.api('GET', '/api/evaluations?cycleId=3000000000', admin)).status).toBe(400)
  })

  it('documents every route at /api/openapi.json', async () => {
    const doc = (await t.api('GET', '/api/openapi.json')).body
    expect(doc.openapi).toBe('3.1.0')
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    for (const r of [
      'GET /api/health',
      'POST /api/auth/login',
      'GET /api/me',
      'POST /api/staff/import',
      'POST /api/rulesets/{id}/evaluate',
      'POST /api/cycles',
      'GET /api/cycles/{id}/results',
      'POST /api/cycles/{id}/units/{unitId}/sign-off',
      'POST /api/cycles/{id}/units/{unitId}/return',
      'GET /api/evaluations',
      'PUT /api/evaluations/{id}/self-assessment',
      'POST /api/evaluations/{id}/approve',
      'GET /api/evaluations/{id}/audit',
    ]) {
      expect(routes).toContain(r)
    }
    expect(doc.paths['/api/cycles'].post.requestBody.content['application/json'].schema.properties.periodKind.enum).toEqual(['month', 'quarter', 'year'])
    // Routes defined with @hono/zod-openapi: their answers are described from the same zod schemas the web app's client is typed by.
    const list = doc.paths['/api/delegations'].get
    expect(list.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Delegation' } })
    expect(doc.components.schemas.Delegation.required).toEqual(['id', 'principal', 'delegate', 'scope', 'from', 'to', 'reason', 'createdAt', 'endedAt', 'endedBy', 'status', 'mayEnd'])
    expect(doc.components.schemas.Delegation.properties.status.enum).toEqual(['upcoming', 'active', 'expired', 'ended'])
    expect(list.responses['4XX'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' })
    expect((list.parameters as { name: string }[]).map((p) => p.name)).toEqual(['direction', 'staffId', 'scope', 'after', 'limit'])
    expect(doc.paths['/api/petitions/{id}/accept'].post.requestBody.content['application/json'].schema.properties.reason).toMatchObject({ type: 'string', minLength: 3, maxLength: 2000 })
    expect(doc.components.schemas.Petition.properties.status.enum).toEqual(['OPEN', 'ACCEPTED', 'REJECTED'])
    expect(doc.paths['/api/cycles/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CycleDetail' })
    expect(Object.keys(doc.paths['/api/cycles/{id}/results/export'].get.responses['200'].content)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'])
    expect(doc.paths['/api/staff'].get.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Staff' } })
  })
})
