import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * The printed record on a real cycle (Temporal + PostgreSQL): one unit (CCHC) driven to
 * classification, then Mẫu 01A of a staff member, Mẫu 01B of the unit head and the unit's summary
 * list fetched as PDFs and read back with pdftotext, as an archivist would read the paper.
 */
describe('forms: Mẫu 01A/01B and the unit summary list as PDF', () => {
  let t: TestSystem
  let admin: string
  let cycleId: number
  let cchc: number
  let vp: number
  let subject: { id: number; fullName: string } // cv.maiphuong
  let head: { id: number; fullName: string } // tp.phamlan, evaluated on 01B
  let reviewerName: string
  let adminName: string
  let adjusted: { title: string; self: number } // the criterion the reviewer lowered to 1
  let openSummary: Response
  const folder = mkdtempSync(join(tmpdir(), 'kpi-forms-'))

  /** The raw answer (the harness's api() reads text, which would spoil a PDF). */
  const fetchRaw = (path: string, token?: string) => t.system.app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  /** The PDF's text: `-layout` keeps each table row on one line; `-raw` keeps each cell's wrapped lines together. */
  const textOf = async (res: Response, mode: '-layout' | '-raw' = '-layout') => {
    const file = join(folder, `${Math.random().toString(36).slice(2)}.pdf`)
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    return execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  }
  const flat = (text: string) => text.replace(/\s+/g, ' ')
  const vn = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace('.', ',')

  beforeAll(async () => {
    t = await startTestSystem({ label: 'forms' })
    admin = await t.login('admin')
    adminName = (await t.api('GET', '/api/me', admin)).body.fullName
    const units = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    cchc = units.find((u) => u.code === 'CCHC')!.id
    vp = units.find((u) => u.code === 'VP')!.id
    const staff = (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string; fullName: string }[]
    const byId = new Map(staff.map((s) => [s.id, s]))

    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 10/2026', periodKind: 'month', periodStart: '2026-10-01', periodEnd: '2026-10-31', ruleSetId: 1, unitIds: [cchc] })
    expect(launched.status).toBe(201)
    cycleId = launched.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    openSummary = await fetchRaw(`/api/cycles/${cycleId}/units/${cchc}/summary.pdf`, admin)

    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids']).where('cycle_id', '=', cycleId).orderBy('id').execute()
    for (const [i, r] of rows.entries()) {
      const person = byId.get(r.staff_id)!
      const own = await t.login(person.username)
      const view = (await t.api('GET', `/api/evaluations/${r.id}`, own)).body
      const base = doc(8, 10 - (i % 4))
      const data = { ...base, products: [...view.prefilledProducts, ...base.products] }
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
      const reviewer = byId.get(r.reviewer_ids[0]!)!
      let adjustments: Record<string, unknown> | undefined
      if (person.username === 'cv.maiphuong') {
        // The reviewer lowers the first general criterion, whatever shape the rule set gives it.
        const { path, title } = firstCriterion(view.formSchema)
        adjustments = nest(path, 1)
        adjusted = { title, self: at(data, path) as number }
        subject = { id: r.id, fullName: person.fullName }
        reviewerName = reviewer.fullName
      }
      if (person.username === 'tp.phamlan') head = { id: r.id, fullName: person.fullName }
      const approved = await t.api('POST', `/api/evaluations/${r.id}/approve`, await t.login(reviewer.username), adjustments ? { adjustments } : {})
      expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    }
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 60_000, 'classified')
  })
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true })
    await t?.stop()
  })

  it("prints a staff member's Mẫu 01A: motto, agency, person, criteria, both scores, level ticks, rank, signatures and the products annex", async () => {
    const res = await fetchRaw(`/api/evaluations/${subject.id}/form.pdf`, await t.login('cv.maiphuong'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="mau-01a-danh-gia-${subject.id}.pdf"`)
    const [layout, raw] = await Promise.all([textOf(res.clone()), textOf(res, '-raw')])
    const ev = (await t.api('GET', `/api/evaluations/${subject.id}`, admin)).body
    const unitSize = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body.results.filter((r: { unitId: number }) => r.unitId === cchc).length

    expect(layout).toContain('Mẫu số 01A')
    expect(layout).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
    expect(layout).toContain('Độc lập - Tự do - Hạnh phúc')
    expect(layout).toContain('SỞ NỘI VỤ TỈNH KHÁNH AN')
    expect(flat(raw)).toContain('PHÒNG CẢI CÁCH HÀNH CHÍNH VÀ VĂN THƯ LƯU TRỮ')
    expect(flat(raw)).toContain('PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC')
    expect(flat(raw)).not.toContain('LÃNH ĐẠO, QUẢN LÝ')
    expect(layout).toContain('Kỳ đánh giá: Tháng 10/2026 (từ ngày 01/10/2026 đến ngày 31/10/2026)')
    expect(layout).toContain(`Họ và tên: ${subject.fullName}`)
    expect(layout).toContain('Chức vụ, chức danh: Chuyên viên')
    // Every general criterion of the pinned rule set, by its title.
    for (const title of criterionTitles(ev.formSchema)) expect(flat(raw)).toContain(title)
    // The lowered criterion: the person's score, then the authority's 1,00, on its row.
    expect(layout).toMatch(new RegExp(`${vn(adjusted.self)}\\s+1,00\\s*$`, 'm'))
    // The total of record with a decimal comma, in the authority's column and in the result.
    expect(layout).toMatch(new RegExp(`TỔNG ĐIỂM\\s+100\\s+[\\d,]+\\s+${vn(ev.total)}`))
    expect(layout).toContain(`Tổng điểm: ${vn(ev.total)}`)
    expect(layout).toContain(`Thứ hạng trong đơn vị: ${ev.rankInUnit} / ${unitSize}`)
    expect(unitSize).toBe(8)
    // The authority's tick on the final level, and only there.
    const ticked = layout.split('\n').filter((l) => /☒\s*$/.test(l))
    expect(ticked).toHaveLength(1)
    expect(ticked[0]).toContain(`(${ev.finalLevel})`)
    expect(layout).toContain(`Xếp loại: ${ev.finalLevel}`)
    // Signature blocks: the person, the reviewer who approved, the leader who signed the unit off, each dated.
    for (const name of [subject.fullName, reviewerName, adminName]) expect(layout).toContain(name)
    expect(layout).toMatch(/Ngày \d{2}\/\d{2}\/\d{4}/)
    expect(layout).toContain('NGƯỜI TỰ ĐÁNH GIÁ')
    // The annex: every product line with its catalogue name and unit.
    expect(layout).toContain('PHỤ LỤC: SẢN PHẨM, CÔNG VIỆC TRONG KỲ')
    expect(layout).toMatch(/B01\s+Soạn thảo công văn[^\n]*?\s+văn bản\s+1\s+10\s+\d+\s+0\s+0\s+Tự khai/)
  })

  it("prints the unit head's evaluation on Mẫu 01B, for the head and for the admin", async () => {
    for (const token of [await t.login('tp.phamlan'), admin]) {
      const res = await fetchRaw(`/api/evaluations/${head.id}/form.pdf`, token)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toBe(`inline; filename="mau-01b-danh-gia-${head.id}.pdf"`)
      const raw = flat(await textOf(res, '-raw'))
      expect(raw).toContain('Mẫu số 01B')
      expect(raw).toContain('PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ')
      expect(raw).toContain(`Họ và tên: ${head.fullName}`)
    }
  })

  it("prints the unit's summary list: every person, total, level, rank n / m, counts per level, signatures", async () => {
    const res = await fetchRaw(`/api/cycles/${cycleId}/units/${cchc}/summary.pdf`, await t.login('tp.phamlan'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="danh-sach-ket-qua-ky-${cycleId}-don-vi-${cchc}.pdf"`)
    const [layout, raw] = await Promise.all([textOf(res.clone()), textOf(res, '-raw')])
    const results = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body.results as { fullName: string; total: number; finalLevel: string; rankInUnit: number }[]
    expect(layout).toContain('DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG')
    expect(layout).toContain('Độc lập - Tự do - Hạnh phúc')
    // One row per person (pdftotext -layout may close up the spaces of "3 / 8"; -raw keeps them).
    for (const r of results) {
      expect(layout).toMatch(new RegExp(`${r.fullName}.*\\s${vn(r.total)}\\s+${r.finalLevel}\\s+${r.rankInUnit}\\s*/\\s*${results.length}\\s*$`, 'm'))
      expect(raw).toContain(`${r.rankInUnit} / ${results.length}`)
    }
    for (const level of ['HTXS', 'HTT', 'HT', 'KHT']) {
      const count = results.filter((r) => r.finalLevel === level).length
      expect(layout).toMatch(new RegExp(`\\(${level}\\)\\s+${count}\\s`))
    }
    expect(layout).toContain(`Tổng hợp theo mức xếp loại (${results.length} người)`)
    expect(layout).toContain(adminName)
    expect(layout).toContain(head.fullName)
  })

  it('refuses who may not see: 401 anonymous, 403 out of scope, 404 unknown, 409 before classification', async () => {
    const otherStaff = await t.login('cv.hoangnam')
    const otherHead = await t.login('cvp.lethu')
    const leader = await t.login('pgd.hoangyen')
    const form = `/api/evaluations/${subject.id}/form.pdf`
    const summary = `/api/cycles/${cycleId}/units/${cchc}/summary.pdf`
    expect((await fetchRaw(form)).status).toBe(401)
    expect((await fetchRaw(summary)).status).toBe(401)
    const refused = await fetchRaw(form, otherStaff)
    expect(refused.status).toBe(403)
    expect((await refused.json()).error).toMatchObject({ code: 'FORBIDDEN', message: 'Bạn không có quyền xem bản đánh giá này.' })
    expect((await fetchRaw(form, otherHead)).status).toBe(403)
    expect((await fetchRaw(summary, otherStaff)).status).toBe(403)
    expect((await fetchRaw(summary, otherHead)).status).toBe(403)
    expect((await fetchRaw(summary, leader)).status).toBe(200)
    expect((await fetchRaw('/api/evaluations/999999/form.pdf', admin)).status).toBe(404)
    expect((await fetchRaw('/api/evaluations/abc/form.pdf', admin)).status).toBe(404)
    expect((await fetchRaw(`/api/cycles/${cycleId}/units/${vp}/summary.pdf`, admin)).status).toBe(404)
    expect((await fetchRaw(`/api/cycles/999999/units/${cchc}/summary.pdf`, admin)).status).toBe(404)
    expect(openSummary.status).toBe(409)
    expect((await openSummary.json()).error.code).toBe('CYCLE_NOT_OPEN')
  })
})

interface Schema {
  type?: string
  title?: string
  properties?: Record<string, Schema>
}

/** The general criteria's leaves (path and title) in the rule set's input schema: flat or grouped. */
function leaves(schema: Schema, path: string[]): { path: string[]; title: string }[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, s]) => (s.type === 'object' ? leaves(s, [...path, key]) : s.type === 'number' || s.type === 'integer' ? [{ path: [...path, key], title: s.title ?? key }] : []))
}
const firstCriterion = (formSchema: Schema) => leaves(formSchema.properties!['general']!, ['general'])[0]!
const criterionTitles = (formSchema: Schema) => {
  const general = formSchema.properties!['general']!
  const groups = Object.values(general.properties ?? {}).filter((s) => s.type === 'object').map((s) => s.title!)
  return [...groups, ...leaves(general, ['general']).map((l) => l.title)]
}
const nest = (path: string[], value: unknown): Record<string, unknown> => (path.length === 1 ? { [path[0]!]: value } : { [path[0]!]: nest(path.slice(1), value) })
const at = (doc: unknown, path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc)
