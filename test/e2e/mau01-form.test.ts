import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCycle, startBrowserSystem, type BrowserSystem } from '../support/browser.js'
import { doc } from '../support/documents.js'
import { eventually, type TestSystem } from '../support/harness.js'

const artifacts = resolve(import.meta.dirname, '../artifacts')

/** Her scores on Mẫu 01, criterion by criterion (groups I, II, III). */
const SELF: Record<string, string> = {
  'general.ethics.politics': '4.5',
  'general.ethics.discipline': '5',
  'general.competence.expertise': '2.5',
  'general.competence.taskResponse': '2.25',
  'general.competence.responsibility': '2.5',
  'general.competence.serviceAttitude': '2',
  'general.innovation.renewal': '2',
  'general.innovation.creativity': '1.75',
  'general.innovation.daringThought': '2',
  'general.innovation.daringAction': '2.25',
}

/** Mẫu số 01 in real Chromium: the staff member fills it, the unit head scores beside her, every figure stays visible. */
describe('in the browser: the Mẫu 01 form, self and authority side by side', () => {
  let t: TestSystem
  let sys: BrowserSystem
  let base: string
  let cycleId: number
  let cchc: number

  beforeAll(async () => {
    sys = await startBrowserSystem('mau01', artifacts)
    ;({ t, base } = sys)
    const admin = await t.login('admin')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    cycleId = await openCycle(t, admin, cchc, { name: 'Quý IV/2026', periodKind: 'quarter', periodStart: '2026-10-01', periodEnd: '2026-12-31' })
  })
  afterAll(async () => sys?.stop())

  const signIn = (username: string, width?: number) => sys.signIn(username, undefined, width)
  const shot = (page: Page, name: string) => sys.shot(page, name)
  const text = async (page: Page, testId: string) => ((await page.textContent(`[data-testid="${testId}"]`)) ?? '').trim()
  const evaluationOf = async (username: string) => {
    const token = await t.login(username)
    return (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, token)).body.find((e: { fullName: string }) => e.fullName === 'Mai Thị Phương') as { id: number }
  }

  it('lets a staff member fill Mẫu 01 — criteria with their maxima, her review, her proposed level — and submit', async () => {
    const page = await signIn('cv.maiphuong')
    const consoleErrors: string[] = []
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())))
    await page.click('a:has-text("Mai Thị Phương")')
    await page.waitForSelector('[data-testid=mau01-table]')
    // The cycle and its due date head the form (dd/mm/yyyy HH:mm, Vietnam's time).
    expect(await text(page, 'cycle-name')).toBe('Quý IV/2026')
    expect(await text(page, 'form-heading')).toContain('từ 01/10/2026 đến 31/12/2026')
    expect(await text(page, 'deadline')).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)
    // The table is the rule set's: group titles, each criterion's title and maximum.
    const table = await text(page, 'mau01-table')
    for (const title of ['Phẩm chất chính trị, đạo đức, văn hóa công vụ và ý thức kỷ luật, kỷ cương', 'Ý thức kỷ luật, kỷ cương', 'Thái độ phục vụ Nhân dân, doanh nghiệp và tinh thần phối hợp', 'Dám làm, dám chịu trách nhiệm vì lợi ích chung', 'Cấp có thẩm quyền chấm']) expect(table).toContain(title)
    expect(await page.locator('[data-testid="self-general.ethics.politics"]').getAttribute('max')).toBe('5')
    expect(await page.locator('[data-testid="self-general.competence.expertise"]').getAttribute('max')).toBe('2.5')
    // A score above its maximum is marked at once, in Vietnamese.
    await page.fill('[data-testid="self-general.ethics.politics"]', '6')
    expect(await page.textContent('[data-testid=mau01-table] .field-problem')).toBe('phải ≤ 5')
    for (const [path, value] of Object.entries(SELF)) await page.fill(`[data-testid="self-${path}"]`, value)
    expect(await page.locator('[data-testid=mau01-table] .field-problem').count()).toBe(0)
    expect(await text(page, 'self-general.ethics')).toBe('9,5')
    expect(await text(page, 'self-general.competence')).toBe('9,25')
    expect(await text(page, 'self-general.innovation')).toBe('8')
    expect(await text(page, 'self-general')).toBe('26,75')
    await page.fill('[data-testid=assessment-strengths]', 'Hoàn thành đúng hạn, chất lượng các hồ sơ thẩm định')
    await page.fill('[data-testid=assessment-weaknesses]', 'Chưa chủ động đề xuất cải tiến quy trình')
    await page.selectOption('[data-testid=assessment-proposedLevel]', 'HTT')
    await page.click('#root_products__add')
    await page.selectOption('#root_products_0_code', { label: 'B05 — Thẩm định hồ sơ thủ tục hành chính (hồ sơ; k = 1,5)' })
    await page.fill('#root_products_0_reason', 'Hồ sơ theo kế hoạch quý')
    await page.fill('#root_products_0_assigned', '10')
    await page.fill('#root_products_0_done', '9')
    await page.fill('#root_products_0_qualityFailures', '0')
    await page.fill('#root_products_0_delays', '1')
    // The live score: part B and the total under the criteria, the explanation below.
    await page.waitForSelector('[data-testid=trace] >> text=Tổng điểm')
    expect(await text(page, 'trace')).toContain('Điểm nhóm I: phẩm chất chính trị, đạo đức, văn hóa công vụ và ý thức kỷ luật, kỷ cương: 9,5')
    // a = 90, b = 90, c = 87.5: task = 0.7 × 89.1666… = 62.4166… (shown 62,42); total 26.75 + 62.4166… = 89.1666… → 89,17
    expect(await text(page, 'self-task')).toBe('62,42')
    expect(await text(page, 'self-total')).toBe('89,17')
    await shot(page, 'mau01-01-self-assessment')
    await page.click('[data-testid=submit]')
    await page.waitForSelector('[data-testid=message] >> text=Đã nộp')
    expect(await text(page, 'stage')).toBe('Trưởng đơn vị nhận xét')
    // After submission the read-only form keeps every figure and her review.
    expect(await page.locator('input[data-testid^="self-general"]').count()).toBe(0)
    for (const [path, value] of Object.entries(SELF)) expect(await text(page, `self-${path}`)).toBe(value.replace('.', ','))
    expect(await text(page, 'self-general')).toBe('26,75')
    expect(await text(page, 'self-total')).toBe('89,17')
    expect(await text(page, 'assessment-strengths')).toBe('Hoàn thành đúng hạn, chất lượng các hồ sơ thẩm định')
    expect(await text(page, 'assessment-proposedLevel')).toBe('HTT — Hoàn thành tốt nhiệm vụ')
    expect(await text(page, 'authority-general')).toBe('—')
    expect(consoleErrors).toEqual([])
  })

  it('shows the unit head her scores beside his own column; he lowers one criterion, proposes a level, comments and approves', async () => {
    const head = await signIn('tp.phamlan')
    await head.click('a:has-text("Mai Thị Phương")')
    await head.waitForSelector('[data-testid=mau01-table]')
    // Her column read-only, his filled with her scores to start from.
    expect(await text(head, 'self-general.innovation.renewal')).toBe('2')
    expect(await head.inputValue('[data-testid="authority-general.innovation.renewal"]')).toBe('2')
    expect(await text(head, 'assessment-weaknesses')).toBe('Chưa chủ động đề xuất cải tiến quy trình')
    await head.fill('[data-testid="authority-general.innovation.renewal"]', '1.5')
    expect(await text(head, 'self-general.innovation')).toBe('8')
    expect(await text(head, 'authority-general.innovation')).toBe('7,5')
    expect(await text(head, 'authority-general')).toBe('26,25')
    await head.selectOption('[data-testid=review-proposedLevel]', 'HTT')
    await head.fill('[data-testid=review-comment]', 'Hoàn thành tốt; cần chủ động đổi mới cách làm')
    await shot(head, 'mau01-02-review')
    await head.click('[data-testid=approve]')
    await head.waitForSelector('[data-testid=message] >> text=Đã duyệt')
    expect(await text(head, 'stage')).toBe('Chờ lãnh đạo ký duyệt')
    // What was recorded: his scores in the same shape, his comment and level.
    const { id } = await evaluationOf('tp.phamlan')
    const stored = (await t.api('GET', `/api/evaluations/${id}`, await t.login('admin'))).body
    expect(stored.adjustments).toEqual({
      general: { ethics: { politics: 4.5, discipline: 5 }, competence: { expertise: 2.5, taskResponse: 2.25, responsibility: 2.5, serviceAttitude: 2 }, innovation: { renewal: 1.5, creativity: 1.75, daringThought: 2, daringAction: 2.25 } },
      assessment: { comment: 'Hoàn thành tốt; cần chủ động đổi mới cách làm', proposedLevel: 'HTT' },
    })
    expect(stored.data.general.innovation.renewal).toBe(2)
    // Scored on his figures: 26.25 + 62.4166… = 88.67.
    expect(stored.total).toBe(88.67)
    // His read-only view: both columns, every figure.
    expect(await text(head, 'self-general.innovation.renewal')).toBe('2')
    expect(await text(head, 'authority-general.innovation.renewal')).toBe('1,5')
    expect(await text(head, 'authority-total')).toBe('88,67')
    expect(await text(head, 'self-total')).toBe('89,17')
  })

  it('keeps every figure, both columns and both reviews after classification, and fits a phone without sideways scrolling', async () => {
    // The rest of the unit through the API; the director approves the head and signs the unit off.
    for (const username of ['cvc.luongtuan', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson', 'tp.phamlan']) {
      const token = await t.login(username)
      const [own] = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, token)).body.filter((e: { stage: string }) => e.stage === 'SELF_ASSESSMENT')
      expect((await t.api('PUT', `/api/evaluations/${own.id}/self-assessment`, token, { data: doc(8, 8) })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${own.id}/submit`, token)).status).toBe(200)
    }
    const headToken = await t.login('tp.phamlan')
    for (const e of (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, headToken)).body) {
      if (e.stage === 'UNIT_REVIEW') expect((await t.api('POST', `/api/evaluations/${e.id}/approve`, headToken, {})).status).toBe(200)
    }
    const director = await t.login('gd.tranminh')
    const [headEval] = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true&stage=UNIT_REVIEW`, director)).body
    expect((await t.api('POST', `/api/evaluations/${headEval.id}/approve`, director, { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, director)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, director)).body.status === 'CLASSIFIED', 60_000, 'classified')

    const { id } = await evaluationOf('cv.maiphuong')
    for (const width of [1024, 375]) {
      const page = await signIn('cv.maiphuong', width)
      await page.goto(`${base}/#/evaluations/${id}`)
      await page.waitForSelector('[data-testid=result]')
      expect(await text(page, 'stage')).toBe('Đã xếp loại')
      for (const [path, value] of Object.entries(SELF)) expect(await text(page, `self-${path}`)).toBe(value.replace('.', ','))
      expect(await text(page, 'authority-general.innovation.renewal')).toBe('1,5')
      expect(await text(page, 'authority-general.innovation')).toBe('7,5')
      expect(await text(page, 'self-general')).toBe('26,75')
      expect(await text(page, 'authority-general')).toBe('26,25')
      expect(await text(page, 'self-total')).toBe('89,17')
      expect(await text(page, 'authority-total')).toBe('88,67')
      expect(await text(page, 'assessment-strengths')).toBe('Hoàn thành đúng hạn, chất lượng các hồ sơ thẩm định')
      expect(await text(page, 'review-comment')).toBe('Hoàn thành tốt; cần chủ động đổi mới cách làm')
      expect(await text(page, 'review-proposedLevel')).toBe('HTT — Hoàn thành tốt nhiệm vụ')
      await shot(page, `mau01-03-classified-${width}`)
      // A phone: the page never scrolls sideways (the product table, as before, scrolls inside its card), the form fits
      // the screen, and no word of a title is cut.
      const wide = await page.$$eval('table.mau01, table.mau01 *, .mau01-assessment *, .mau01-heading *', (els) => els.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map((e) => `${e.tagName}.${e.className}[${e.getAttribute('data-testid') ?? ''}] ${Math.round(e.getBoundingClientRect().right)}`))
      expect(wide).toEqual([])
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      const cut = await page.$$eval('table.mau01 .title', (cells) => cells.filter((c) => getComputedStyle(c).wordBreak === 'break-all' || getComputedStyle(c).overflowWrap === 'anywhere').length)
      expect(cut).toBe(0)
    }
  })

  it('prints: the screen prints as the form alone (no menu, no buttons), and "In phiếu" opens the Mẫu 01 PDF', async () => {
    const { id } = await evaluationOf('cv.maiphuong')
    const page = await signIn('cv.maiphuong')
    await page.goto(`${base}/#/evaluations/${id}`)
    await page.waitForSelector('[data-testid=mau01-table]')
    const link = page.locator('[data-testid=print-button]')
    expect(await link.getAttribute('href')).toBe(`/api/evaluations/${id}/form.pdf`)
    // The PDF behind the button, fetched with the page's own session.
    const pdf = await page.evaluate(async (href) => {
      const res = await fetch(href!)
      return { type: res.headers.get('content-type'), head: new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5)) }
    }, await link.getAttribute('href'))
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' })
    await page.emulateMedia({ media: 'print' })
    const shown = async (selector: string) => page.$$eval(selector, (els) => els.filter((e) => getComputedStyle(e).display !== 'none').length)
    expect(await shown('header, nav, button, [data-testid=print-button]')).toBe(0)
    expect(await shown('[data-testid=mau01-table]')).toBe(1)
    expect(await text(page, 'authority-total')).toBe('88,67')
    await page.pdf({ path: resolve(artifacts, 'mau01-04-print.pdf'), format: 'A4' })
  })
})
