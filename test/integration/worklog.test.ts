import { parseCsv } from '../../server/org/csv.js'
import { readTable } from '../../server/org/spreadsheet.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { assessment, general as groups } from '../support/documents.js'

/** A month of one unit's work log on real PostgreSQL, its summary, and the evaluation it pre-fills. */
describe('the work log feeds the task-result score', () => {
  let t: TestSystem
  let admin: string
  let head: string
  let staff: string
  let cchc: number
  let maiphuong: number
  const items: Record<string, number> = {}

  const create = async (token: string, body: object) => t.api('POST', '/api/work-items', token, body)
  const patch = async (token: string, id: number, body: object) => t.api('PATCH', `/api/work-items/${id}`, token, body)
  const decide = async (token: string, id: number, action: string, body: object = {}) => t.api('POST', `/api/work-items/${id}/${action}`, token, body)

  beforeAll(async () => {
    t = await startTestSystem({ label: 'worklog' })
    admin = await t.login('admin')
    head = await t.login('tp.phamlan')
    staff = await t.login('cv.maiphuong')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    maiphuong = (await t.api('GET', '/api/me', staff)).body.id
  })
  afterAll(async () => t?.stop())

  it('ships the demo catalogue, versioned by date, and exports it', async () => {
    const nov = (await t.api('GET', '/api/catalogue?on=2026-11-30', staff)).body
    expect(nov).toHaveLength(20)
    expect(nov.find((p: { code: string }) => p.code === 'B02')).toMatchObject({ name: 'Soạn thảo tờ trình, báo cáo chuyên đề', k: 3, group: 'B', positions: ['CV', 'CVC', 'TP', 'PTP'] })
    const added = await t.api('POST', '/api/catalogue', admin, { products: [{ code: 'B01', name: 'Soạn thảo công văn hành chính', unit: 'văn bản', k: 1.2, normHours: 2.4, group: 'B', positions: ['CV', 'CVC'], validFrom: '2026-12-01' }] })
    expect(added.status).toBe(201)
    expect((await t.api('GET', '/api/catalogue?on=2026-11-30', staff)).body.find((p: { code: string }) => p.code === 'B01').k).toBe(1)
    expect((await t.api('GET', '/api/catalogue?on=2026-12-01', staff)).body.find((p: { code: string }) => p.code === 'B01').k).toBe(1.2)
    expect((await t.api('GET', '/api/catalogue?on=2026-11-30&positionCode=TP', staff)).body.map((p: { code: string }) => p.code)).toContain('A01')
    expect((await t.api('POST', '/api/catalogue', admin, { products: [{ code: 'B01', name: 'x', unit: 'x', k: 1, normHours: 1, group: 'B', positions: [], validFrom: '2026-12-01' }] })).status).toBe(409)
    expect((await t.api('POST', '/api/catalogue', staff, { products: [] })).status).toBe(403)
    const bad = await t.system.app.request('/api/catalogue/import?validFrom=2027-01-01', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: 'code,name,unit,k,normHours,group,positions\nX1,Một,cái,0,1,B,CV\nX2,Hai,cái,1,1,Z,CV\n' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details.map((d: { row: number; path: string }) => `${d.row}:${d.path}`)).toEqual(['1:k', '2:group'])
    const bytes = new Uint8Array(await (await t.system.app.request('/api/catalogue/export?on=2026-11-30', { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // UTF-8 BOM, so Excel reads Vietnamese correctly
    const csv = new TextDecoder().decode(bytes)
    expect(csv.split('\n')[0]).toBe('code,name,unit,k,normHours,group,positions')
    expect(csv).toContain('A02,"Phân công, kiểm tra, đôn đốc công việc của phòng",lượt,0.5,1,A,TP;PTP')
    // The XLSX holds the same rows: the importer reads it back as it reads the CSV.
    const xlsx = await t.system.app.request('/api/catalogue/export?on=2026-11-30&format=xlsx', { headers: { authorization: `Bearer ${admin}` } })
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
    expect(await readTable(new Uint8Array(await xlsx.arrayBuffer()))).toEqual(parseCsv(csv))
  })

  it('refuses bad work items with clear codes and writes nothing', async () => {
    const base = { staffId: maiphuong, productCode: 'B01', quantity: 2, assignedOn: '2026-11-02', dueOn: '2026-11-06' }
    expect((await create(head, { ...base, quantity: 0 })).body.error.code).toBe('VALIDATION_FAILED')
    expect((await create(head, { ...base, dueOn: '2026-11-01' })).body.error.code).toBe('VALIDATION_FAILED')
    expect((await create(head, { ...base, productCode: 'ZZ9' })).body.error.code).toBe('UNKNOWN_PRODUCT')
    expect((await create(await t.login('tp.nguyenhai'), base)).status).toBe(403)
    expect((await create(await t.login('cv.hoangnam'), base)).status).toBe(403)
    expect((await t.api('GET', `/api/work-items?staffId=${maiphuong}`, head)).body).toEqual([])
  })

  it('records a month: assignments, progress, completion, extension, arising tasks, confirmation', async () => {
    const assign = async (name: string, productCode: string, quantity: number, assignedOn: string, dueOn: string) => {
      const res = await create(head, { staffId: maiphuong, productCode, quantity, assignedOn, dueOn })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      items[name] = res.body.id
    }
    await assign('memo', 'B01', 4, '2026-11-02', '2026-11-06')
    await assign('report', 'B02', 1, '2026-11-02', '2026-11-13')
    await assign('dossiers', 'B05', 10, '2026-11-09', '2026-11-20')
    await assign('memo2', 'B01', 2, '2026-11-16', '2026-11-27')
    // Work items obey the catalogue's positions: A01 (chairing the unit's meeting) is for heads only.
    const headsOnly = await create(head, { staffId: maiphuong, productCode: 'A01', quantity: 1, assignedOn: '2026-11-02', dueOn: '2026-11-06' })
    expect(headsOnly).toMatchObject({ status: 400, body: { error: { code: 'PRODUCT_NOT_FOR_POSITION', details: [{ path: 'productCode' }] } } })

    expect((await patch(staff, items.memo!, { progress: { date: '2026-11-01', hours: 2 } })).body.error.code).toBe('DATE_BEFORE_ASSIGNMENT')
    expect((await patch(staff, items.memo!, { progress: { date: '2026-11-03', hours: 3, doneQuantity: 2, note: 'Xong 2 công văn' } })).status).toBe(200)
    expect((await patch(staff, items.memo!, { complete: { date: '2026-11-05', doneQuantity: 4, hours: 2 } })).body).toMatchObject({ status: 'DONE', hours: 5, doneQuantity: 4 })
    expect((await patch(staff, items.report!, { progress: { date: '2026-11-10', hours: 5 } })).status).toBe(200)
    expect((await patch(staff, items.report!, { complete: { date: '2026-11-16', doneQuantity: 1 } })).status).toBe(200)
    expect((await decide(head, items.dossiers!, 'extend', { until: '2026-11-25', reason: 'Chờ hồ sơ bổ sung của doanh nghiệp' })).body.extendedTo).toBe('2026-11-25')
    expect((await patch(staff, items.dossiers!, { progress: { date: '2026-11-18', hours: 8 } })).status).toBe(200)
    expect((await patch(staff, items.dossiers!, { complete: { date: '2026-11-24', doneQuantity: 8, hours: 6 } })).status).toBe(200)
    expect((await patch(staff, items.memo2!, { complete: { date: '2026-11-26', doneQuantity: 2 } })).status).toBe(200)

    const arising = await create(staff, { productCode: 'C03', quantity: 2, assignedOn: '2026-11-12', dueOn: '2026-11-18', kind: 'arising', title: 'Hồ sơ khen thưởng đột xuất' })
    expect(arising.body.status).toBe('PROPOSED')
    expect((await patch(staff, arising.body.id, { complete: { date: '2026-11-17', doneQuantity: 2 } })).status).toBe(409)
    expect((await decide(head, arising.body.id, 'accept')).body.status).toBe('OPEN')
    expect((await patch(staff, arising.body.id, { complete: { date: '2026-11-17', doneQuantity: 2 } })).status).toBe(200)
    const refused = await create(staff, { productCode: 'C03', quantity: 5, assignedOn: '2026-11-12', dueOn: '2026-11-18', kind: 'arising' })
    expect((await decide(head, refused.body.id, 'reject', { reason: 'Không thuộc nhiệm vụ của phòng' })).body.status).toBe('REJECTED')

    // Nobody confirms their own work; a head of another unit cannot either.
    expect((await decide(staff, items.memo!, 'confirm')).status).toBe(403)
    expect((await decide(await t.login('tp.nguyenhai'), items.memo!, 'confirm')).status).toBe(403)
    for (const name of ['memo', 'dossiers']) expect((await decide(head, items[name]!, 'confirm', {})).body.status).toBe('CONFIRMED')
    expect((await decide(head, items.report!, 'confirm', { qualityFailures: [{ reason: 'Số liệu báo cáo chưa khớp, phải sửa lại' }] })).body.qualityFailures).toBe(1)
    expect((await decide(head, arising.body.id, 'confirm')).status).toBe(200)
    expect((await decide(head, items.memo!, 'confirm')).status).toBe(409)
    expect((await patch(staff, items.memo!, { progress: { date: '2026-11-20', hours: 1 } })).status).toBe(409)
  })

  it('summarises the month exactly as computed by hand', async () => {
    const summary = await t.api('GET', `/api/work-items/summary?staffId=${maiphuong}&from=2026-11-01&to=2026-11-30`, head)
    expect(summary.status).toBe(200)
    expect(summary.body.products.map(({ name: _n, ...p }: { name: string }) => p)).toEqual([
      { code: 'B01', k: 1, assigned: 6, done: 4, qualityFailures: 0, delays: 0 },
      { code: 'B02', k: 3, assigned: 1, done: 1, qualityFailures: 1, delays: 1 },
      { code: 'B05', k: 1.5, assigned: 10, done: 8, qualityFailures: 0, delays: 0 },
      { code: 'C03', k: 0.5, assigned: 2, done: 2, qualityFailures: 0, delays: 0 },
    ])
    // A = 6 + 3 + 15 + 1 = 25; a = (4 + 3 + 12 + 1) / 25 = 80 %; b = c = (4 + 2.25 + 12 + 1) / 25 = 77 %
    expect(summary.body.scores).toMatchObject({ a: 80, b: 77, c: 77 })
    expect(summary.body.hours).toEqual({ logged: 24, expected: 168 })
    expect((await t.api('GET', `/api/work-items/summary?staffId=${maiphuong}&from=2026-11-01&to=2026-11-30`, await t.login('cv.hoangnam'))).status).toBe(403)
    const month = (await t.api('GET', `/api/work-items/unit-summary?unitId=${cchc}&month=2026-11`, head)).body
    expect(month.staff).toHaveLength(8)
    expect(month.staff.find((s: { staffId: number }) => s.staffId === maiphuong)).toMatchObject({ scores: { a: 80, b: 77, c: 77 }, hours: 24 })
    expect((await t.api('GET', `/api/work-items/unit-summary?unitId=${cchc}&month=2026-11`, await t.login('tp.nguyenhai'))).status).toBe(403)
    const day = (await t.api('GET', '/api/work-items/my-day?date=2026-11-18', staff)).body
    expect(day.hours).toEqual({ logged: 8, expected: 8 })
    expect([day.dueToday, day.overdue, day.upcoming, day.awaitingAcceptance].map((l: unknown[]) => l.length)).toEqual([0, 0, 0, 0])
    const lyson = await t.login('cv.lyson')
    const lysonId = (await t.api('GET', '/api/me', lyson)).body.id
    expect((await create(head, { staffId: lysonId, productCode: 'C02', quantity: 1, assignedOn: '2026-11-16', dueOn: '2026-11-18' })).status).toBe(201)
    expect((await t.api('GET', '/api/work-items/my-day?date=2026-11-18', lyson)).body.dueToday.map((i: { productName: string }) => i.productName)).toEqual(['Hồ sơ tuyển dụng, nâng ngạch, chuyển ngạch công chức'])
    expect((await t.api('GET', '/api/work-items/my-day?date=2026-11-20', lyson)).body.overdue).toHaveLength(1)
    const board = (await t.api('GET', `/api/work-items/board?unitId=${cchc}&date=2026-11-30`, head)).body
    expect(board.staff.map((b: { fullName: string; late: number; awaitingConfirmation: number }) => [b.fullName, b.late, b.awaitingConfirmation])).toEqual([
      ['Lý Thanh Sơn', 1, 0],
      ['Mai Thị Phương', 0, 1],
    ])
  })

  it('pre-fills the self-assessment of a cycle for that month, read-only for the staff member', async () => {
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 11/2026', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1, unitIds: [cchc] })
    expect(launched.status).toBe(201)
    // Drafts are recorded by the evaluation's workflow: it must have started (the cycle is open).
    await eventually(async () => (await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body.status === 'OPEN', 30_000, 'open')
    const [mine] = (await t.api('GET', `/api/evaluations?cycleId=${launched.body.id}&assignedToMe=true`, staff)).body
    const evaluation = (await t.api('GET', `/api/evaluations/${mine.id}`, staff)).body
    const summary = (await t.api('GET', `/api/work-items/summary?staffId=${maiphuong}&from=2026-11-01&to=2026-11-30`, staff)).body
    expect(evaluation.data.products).toEqual(summary.products.map((p: object) => ({ ...p, source: 'worklog' })))
    const other = (await t.api('GET', `/api/evaluations?cycleId=${launched.body.id}&assignedToMe=true`, await t.login('cv.hoangnam'))).body[0]
    expect((await t.api('GET', `/api/evaluations/${other.id}`, admin)).body.data.products).toEqual([])

    const general = { general: groups(9, 9, 8), assessment }
    const tampered = evaluation.data.products.map((p: { code: string; done: number }) => (p.code === 'B05' ? { ...p, done: 10 } : p))
    expect((await t.api('PUT', `/api/evaluations/${mine.id}/self-assessment`, staff, { data: { ...general, products: tampered } })).body.error.code).toBe('WORKLOG_READ_ONLY')
    const extra = { code: 'D01', k: 1, assigned: 1, done: 1, qualityFailures: 0, delays: 0, source: 'self' }
    expect((await t.api('PUT', `/api/evaluations/${mine.id}/self-assessment`, staff, { data: { ...general, products: [...evaluation.data.products, extra] } })).body.error.code).toBe('REASON_REQUIRED')
    const ok = await t.api('PUT', `/api/evaluations/${mine.id}/self-assessment`, staff, { data: { ...general, products: [...evaluation.data.products, { ...extra, reason: 'Nhiệm vụ đột xuất ngày 28/11 chưa kịp ghi nhật ký' }] } })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    const stored = async (id: number, token: string) => (await t.api('GET', `/api/evaluations/${id}`, token)).body.data.products
    expect((await stored(mine.id, staff)).at(-1)).toEqual({ code: 'D01', name: 'Nhiệm vụ đột xuất do lãnh đạo giao', k: 1, assigned: 1, done: 1, qualityFailures: 0, delays: 0, source: 'self', reason: 'Nhiệm vụ đột xuất ngày 28/11 chưa kịp ghi nhật ký' })

    // Name and coefficient come from the catalogue, the source from the launch's pre-fill: never from the request.
    const lines = evaluation.data.products.length
    const add = (token: string, id: number, prefilled: object[], line: object) =>
      t.api('PUT', `/api/evaluations/${id}/self-assessment`, token, { data: { ...general, products: [...prefilled, { assigned: 10, done: 10, qualityFailures: 0, delays: 0, reason: 'Tự khai thêm', ...line }] } })
    expect((await add(staff, mine.id, evaluation.data.products, { code: 'B01', k: 8, name: 'Tên tự đặt' })).status).toBe(200)
    expect((await stored(mine.id, staff)).at(-1)).toMatchObject({ code: 'B01', name: 'Soạn thảo công văn hành chính', k: 1, source: 'self' })
    expect((await add(staff, mine.id, evaluation.data.products, { code: 'ZZZ99', k: 50 })).body.error).toMatchObject({ code: 'UNKNOWN_PRODUCT', details: [{ path: `products[${lines}].code` }] })
    expect((await add(staff, mine.id, evaluation.data.products, { code: 'A01', k: 1 })).body.error).toMatchObject({ code: 'PRODUCT_NOT_FOR_POSITION', details: [{ path: `products[${lines}].code` }] })
    expect((await add(staff, mine.id, evaluation.data.products, { code: 'B01', k: 1, source: 'worklog' })).body.error.code).toBe('WORKLOG_READ_ONLY')
    const dropped = await t.api('PUT', `/api/evaluations/${mine.id}/self-assessment`, staff, { data: { ...general, products: evaluation.data.products.slice(1) } })
    expect(dropped.body.error.code).toBe('WORKLOG_READ_ONLY')
    // Someone with no work log cannot pass a self-declared line off as confirmed.
    const nam = await t.login('cv.hoangnam')
    expect((await add(nam, other.id, [], { code: 'B01', k: 1, source: 'worklog' })).body.error.code).toBe('WORKLOG_READ_ONLY')
    expect((await add(nam, other.id, [], { code: 'B01', k: 1 })).status).toBe(200)
    expect((await stored(other.id, nam))[0]).toMatchObject({ code: 'B01', source: 'self', reason: 'Tự khai thêm' })

    // A newer version is published: the month's summary keeps using the version the cycle pinned.
    const next = await t.api('POST', '/api/rulesets/1/draft', admin)
    const definition = { ...next.body.definition, description: { vi: 'Phiên bản 2', en: 'Version 2' } }
    expect((await t.api('PUT', `/api/rulesets/${next.body.id}`, admin, definition)).status).toBe(200)
    expect((await t.api('POST', `/api/rulesets/${next.body.id}/publish`, admin)).status).toBe(200)
    expect((await t.api('GET', `/api/work-items/summary?from=2026-11-01&to=2026-11-30`, staff)).body.scores.ruleSetId).toBe(1)
    expect((await t.api('GET', `/api/work-items/summary?from=2026-12-01&to=2026-12-31`, staff)).body.scores).toBeNull()
  })
})
