import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCycle, startBrowserSystem, type BrowserSystem } from '../support/browser.js'
import { ADMIN_PASSWORD, eventually, type TestSystem } from '../support/harness.js'
import { doc, general } from '../support/documents.js'

const artifacts = resolve(import.meta.dirname, '../artifacts')

/** The staff ⇄ unit head ⇄ leadership flow in real Chromium against the real server and web app. */
describe('in the browser: submit, return, resubmit, approve, sign off, see the result', () => {
  let t: TestSystem
  let sys: BrowserSystem
  let base: string
  let cycleId: number
  let cchc: number

  beforeAll(async () => {
    sys = await startBrowserSystem('e2e', artifacts)
    ;({ t, base } = sys)
    const admin = await t.login('admin')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    cycleId = await openCycle(t, admin, cchc, { name: 'Tháng 11/2026', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30' })
  })
  afterAll(async () => sys?.stop())

  const signIn = (username: string, password?: string, width?: number) => sys.signIn(username, password, width)
  const shot = (page: Page, name: string) => sys.shot(page, name)
  const openTask = async (page: Page, fullName: string) => {
    await page.click(`a:has-text("${fullName}")`)
    await page.waitForSelector('[data-testid=evaluation]')
  }

  it('lets a staff member fill the generated form and submit, with a live explanation', async () => {
    const page = await signIn('cv.maiphuong')
    // Nothing goes wrong behind the screen: no failed request or error in the console on the way.
    const consoleErrors: string[] = []
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())))
    // The heading shows before the task list has arrived: wait for the counters to be filled in.
    await page.waitForFunction(() => /Cần nộp: [1-9]/.test(document.querySelector('[data-testid=counters]')?.textContent ?? ''), undefined, { timeout: 10_000 }).catch(() => {})
    expect(await page.textContent('[data-testid=counters]')).toContain('Cần nộp: 1')
    await shot(page, '01-staff-tasks')
    await openTask(page, 'Mai Thị Phương')
    // Mẫu 01: each criterion of groups I–III, then the person's own review.
    const scores = { 'ethics.politics': '4.5', 'ethics.discipline': '4.5', 'competence.expertise': '2.25', 'competence.taskResponse': '2.25', 'competence.responsibility': '2.25', 'competence.serviceAttitude': '2.25', 'innovation.renewal': '2', 'innovation.creativity': '2', 'innovation.daringThought': '2', 'innovation.daringAction': '2' }
    for (const [path, value] of Object.entries(scores)) await page.fill(`[data-testid="self-general.${path}"]`, value)
    await page.fill('[data-testid=assessment-strengths]', 'Hoàn thành đúng hạn các hồ sơ')
    await page.fill('[data-testid=assessment-weaknesses]', 'Cần chủ động hơn')
    await page.selectOption('[data-testid=assessment-proposedLevel]', 'HTT')
    await page.click('#root_products__add')
    // The product is chosen from the catalogue of her position; its name and coefficient come with it.
    await page.selectOption('#root_products_0_code', { label: 'B05 — Thẩm định hồ sơ thủ tục hành chính (hồ sơ; k = 1,5)' })
    expect(await page.locator('#root_products_0_code option', { hasText: 'A01' }).count()).toBe(0)
    await page.fill('#root_products_0_reason', 'Hồ sơ theo kế hoạch tháng')
    await page.fill('#root_products_0_assigned', '10')
    await page.fill('#root_products_0_done', '8')
    await page.fill('#root_products_0_qualityFailures', '0')
    await page.fill('#root_products_0_delays', '1')
    await page.waitForSelector('[data-testid=trace] >> text=Tổng điểm')
    expect(await page.textContent('[data-testid=trace]')).toContain('Tiến độ: −25% sản phẩm B05 do 1 lần chậm')
    await shot(page, '02-self-assessment')
    await page.click('[data-testid=submit]')
    await page.waitForSelector('[data-testid=message] >> text=Đã nộp')
    expect(await page.textContent('[data-testid=stage]')).toBe('Trưởng đơn vị nhận xét')
    expect(consoleErrors).toEqual([])
  })

  it('lets the unit head return it with a reason, and the staff member resubmit', async () => {
    const head = await signIn('tp.phamlan')
    await openTask(head, 'Mai Thị Phương')
    expect(await head.textContent('[data-testid=trace]')).toContain('Tổng điểm')
    expect(await head.isDisabled('[data-testid=return]')).toBe(true)
    // The review shows what each line is, where it came from and why it was added.
    expect(await head.textContent('[data-testid=self-line]')).toContain('Thẩm định hồ sơ thủ tục hành chính')
    expect(await head.textContent('[data-testid=self-line]')).toContain('Tự khai')
    expect(await head.textContent('[data-testid=self-line]')).toContain('Hồ sơ theo kế hoạch tháng')
    await head.fill('[data-testid=note]', 'Bổ sung minh chứng hồ sơ thẩm định')
    await shot(head, '03-review')
    await head.click('[data-testid=return]')
    await head.waitForSelector('[data-testid=message] >> text=Đã trả lại')

    const staff = await signIn('cv.maiphuong')
    await openTask(staff, 'Mai Thị Phương')
    expect(await staff.textContent('[data-testid=returned-reason]')).toContain('Bổ sung minh chứng hồ sơ thẩm định')
    await staff.fill('#root_products_0_done', '9')
    await staff.waitForSelector('[data-testid=round-changes] >> text=Sản phẩm, công việc trong kỳ › dòng 1 › Số lượng hoàn thành: 8 → 9')
    await shot(staff, '04-returned')
    await staff.click('[data-testid=submit]')
    await staff.waitForSelector('[data-testid=message] >> text=Đã nộp')

    await head.goto(base)
    await openTask(head, 'Mai Thị Phương')
    await head.fill('[data-testid=review-comment]', 'Đạt yêu cầu')
    await head.fill('[data-testid="authority-general.innovation.renewal"]', '1')
    await head.click('[data-testid=approve]')
    await head.waitForSelector('[data-testid=message] >> text=Đã duyệt')
    expect(await head.textContent('[data-testid=stage]')).toBe('Chờ lãnh đạo ký duyệt')
    expect(await head.textContent('[data-testid=rounds]')).toContain('Vòng 1: trả lại để sửa — Bổ sung minh chứng hồ sơ thẩm định')
    const approved = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&stage=AWAITING_SIGN_OFF`, await t.login('admin'))).body[0]
    expect((await t.api('GET', `/api/evaluations/${approved.id}`, await t.login('admin'))).body.adjustments).toEqual({
      general: { ethics: { politics: 4.5, discipline: 4.5 }, competence: { expertise: 2.25, taskResponse: 2.25, responsibility: 2.25, serviceAttitude: 2.25 }, innovation: { renewal: 1, creativity: 2, daringThought: 2, daringAction: 2 } },
      assessment: { comment: 'Đạt yêu cầu' },
    })
  })

  it('lets leadership sign the unit off, and the staff member see level and rank', async () => {
    // The rest of the unit goes through the API, as other people would.
    const others = ['cvc.luongtuan', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson', 'tp.phamlan']
    for (const [i, username] of others.entries()) {
      const token = await t.login(username)
      const [own] = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, token)).body.filter((e: { stage: string }) => e.stage === 'SELF_ASSESSMENT')
      // Three of them excel (100 points), more than the unit's 20 % quota of HTXS lets through.
      const data = i < 3 ? doc(10, 10) : { ...doc(8, 9 - (i % 3)), general: general(8, 8, 7) }
      expect((await t.api('PUT', `/api/evaluations/${own.id}/self-assessment`, token, { data })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${own.id}/submit`, token)).status).toBe(200)
    }
    const headToken = await t.login('tp.phamlan')
    for (const e of (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, headToken)).body) {
      if (e.stage === 'UNIT_REVIEW') expect((await t.api('POST', `/api/evaluations/${e.id}/approve`, headToken, {})).status).toBe(200)
    }
    const director = await t.login('gd.tranminh')
    const [headEval] = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true&stage=UNIT_REVIEW`, director)).body
    expect((await t.api('POST', `/api/evaluations/${headEval.id}/approve`, director, { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)

    const leader = await signIn('gd.tranminh')
    // The leader's tasks name the unit waiting for sign-off, how many, by when, and lead to it.
    const waiting = await leader.waitForSelector('[data-testid=units-to-sign-off]')
    expect(await waiting.textContent()).toContain('Phòng Cải cách hành chính và Văn thư lưu trữ: 8 bản đánh giá, hạn')
    await leader.click('[data-testid=units-to-sign-off] >> text=mở để ký duyệt hoặc trả lại')
    await leader.waitForSelector('[data-testid=cycle]')
    await leader.waitForSelector(`[data-testid=quota-${cchc}]`)
    expect(await leader.textContent(`[data-testid=quota-${cchc}]`)).toMatch(/^\d+ \/ \d+$/)
    await leader.click(`[data-testid=unit-${cchc}] button.link`)
    await leader.waitForSelector(`[data-testid=unit-evaluations-${cchc}] >> text=Mai Thị Phương`)
    expect(await leader.locator(`[data-testid=unit-evaluations-${cchc}] li`).count()).toBe(8)
    await shot(leader, '05-cycle-before-sign-off')
    // Over the quota, the leader is told who the quota will rate HTT before signing, and confirms in the sign-off's own dialog.
    const [candidates, max] = ((await leader.textContent(`[data-testid=quota-${cchc}]`)) ?? '').split(' / ').map(Number)
    expect(candidates).toBeGreaterThan(max!)
    await leader.click(`[data-testid=sign-off-${cchc}]`)
    const warning = (await leader.textContent('[data-testid=quota-warning]')) ?? ''
    expect(warning).toContain('sẽ được xếp loại HTT theo tỷ lệ')
    // Those cut are named: of the three who excel, the quota keeps max.
    expect(['Lương Anh Tuấn', 'Hoàng Văn Nam', 'Ngô Thị Hà'].filter((n) => warning.includes(n)).length).toBeGreaterThan(0)
    await shot(leader, '05b-sign-off-quota-warning')
    // Cancelling signs nothing off; confirming does.
    await leader.click('[data-testid=dialog-cancel]')
    expect(await leader.locator('[data-testid=action-dialog]').count()).toBe(0)
    expect((await t.api('GET', `/api/cycles/${cycleId}`, director)).body.status).toBe('OPEN')
    await leader.click(`[data-testid=sign-off-${cchc}]`)
    await leader.click('[data-testid=dialog-confirm]')
    await leader.waitForSelector('[data-testid=message] >> text=Đã ký duyệt')
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, director)).body.status === 'CLASSIFIED', 60_000, 'classified')
    await leader.reload()
    await leader.waitForSelector('[data-testid=results]')
    await leader.waitForSelector('[data-testid=distribution]')
    const download = await leader.request.get(`${base}/api/cycles/${cycleId}/results/export?format=xlsx`)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-type']).toContain('spreadsheetml')
    await shot(leader, '06-results')

    const staff = await signIn('cv.maiphuong')
    // Home shows the latest result; the bell counts what is unread and lists it with links.
    const latest = await staff.waitForSelector('[data-testid=latest-result]')
    expect(await latest.textContent()).toContain('Tháng 11/2026')
    await staff.waitForSelector('[data-testid=unread-count]')
    const unread = Number(await staff.textContent('[data-testid=unread-count]'))
    expect(unread).toBeGreaterThan(0)
    await staff.click('[data-testid=bell]')
    await staff.waitForSelector('[data-testid=notice]')
    expect(await staff.locator('[data-testid=notice].unread').count()).toBe(unread)
    await shot(staff, '07a-notifications')
    await staff.click('[data-testid=read-all]')
    await staff.waitForSelector('[data-testid=unread-count]', { state: 'detached' })
    await staff.goto(`${base}/#/evaluations/${(await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, await t.login('cv.maiphuong'))).body[0].id}`)
    const result = await staff.waitForSelector('[data-testid=result]')
    const text = (await result.textContent()) ?? ''
    const mine = (await t.api('GET', `/api/cycles/${cycleId}/results`, await t.login('cv.maiphuong'))).body.results[0]
    expect(text).toContain(mine.finalLevel)
    expect(text).toContain(`xếp thứ ${mine.rankInUnit} trong đơn vị`)
    await shot(staff, '07-staff-result')
  })

  it('lets staff record and complete work on their day page, and the unit head confirm it on the board', async () => {
    const staff = await signIn('cv.hoangnam')
    await staff.click('nav >> text=Nhật ký công việc')
    await staff.waitForSelector('[data-testid=my-day]')
    await staff.selectOption('.inline-form select >> nth=0', 'B01')
    await staff.fill('.inline-form input[type=number]', '2')
    await staff.click('.inline-form button[type=submit]')
    await staff.waitForSelector('text=Đã ghi nhận công việc.')
    // Completing opens the item's own dialog: hours today and the quantity done, each labelled.
    await staff.click('[data-testid=my-day] button:has-text("Hoàn thành")')
    await staff.fill('[data-testid=action-dialog] label:has-text("Số giờ làm hôm nay") input', '3')
    await staff.fill('[data-testid=action-dialog] label:has-text("Số lượng hoàn thành") input', '2')
    await shot(staff, '08-work-log-dialog')
    await staff.click('[data-testid=dialog-confirm]')
    await staff.waitForSelector('text=Đã cập nhật.')
    // The completed item stays in sight, waiting for the head's confirmation.
    await staff.waitForSelector('[data-testid=finished] >> text=Chờ trưởng đơn vị xác nhận')
    await shot(staff, '08-work-log')

    const head = await signIn('tp.phamlan')
    await head.click('nav >> text=Bảng đơn vị')
    await head.waitForSelector('[data-testid=unit-board] >> text=Hoàng Văn Nam')
    await head.click('button:has-text("Xác nhận")')
    await head.click('[data-testid=dialog-confirm]')
    await head.waitForSelector('text=Đã xác nhận.')
    await shot(head, '09-unit-board')

    await staff.reload()
    await staff.waitForSelector('[data-testid=my-period] >> text=B01')
    const period = (await staff.textContent('[data-testid=my-period]')) ?? ''
    expect(period).toContain('a = 100%')
    expect(period).toContain('3/')
  })

  it('lets an admin edit a formula, see failing test cases block publishing, fix it and publish', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD, 1100)
    await page.click('nav a[href="#/rulesets"]')
    await page.click('a:has-text("NĐ 335/2025 – công chức")')
    await page.waitForSelector('[data-testid=ruleset]')
    await page.click('[data-testid=new-draft]')
    await page.waitForSelector('[data-testid=save-ruleset]')
    const quality = page.locator('textarea[id$="computed_6_formula"]') // computed[6] = b, quality
    const original = await quality.inputValue()
    expect(original).toContain('"qualityFailures"')
    await quality.fill('{"eval":["1"]}')
    await page.waitForSelector('.json-field >> text=unknown operation "eval"')
    await quality.fill(original.replace('0.25', '0.5'))
    await page.click('[data-testid=save-ruleset]')
    await page.waitForSelector('[data-testid=message] >> text=Đã lưu bản nháp.')
    await page.click('[data-testid=try-it] summary')
    await page.click('[data-testid=try-it] button')
    await page.waitForSelector('[data-testid=try-it] >> text=Tổng điểm')
    await page.click('[data-testid=simulate]')
    await page.waitForSelector('[data-testid=simulation] >> text=bản được chấm lại')
    // Every evaluation's simulated result downloads as CSV with the session the page has.
    const simulated = await page.request.get(new URL((await page.getAttribute('[data-testid=simulation-export] a', 'href'))!, page.url()).href)
    expect([simulated.status(), simulated.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8'])
    expect(await simulated.text()).toContain('Xếp loại theo phiên bản này / Level with this version')
    await page.click('[data-testid=publish]')
    await page.waitForSelector('[data-testid=message-details]')
    const details = (await page.textContent('[data-testid=message-details]')) ?? ''
    expect(details).toContain('Ví dụ mẫu NĐ 335 (công chức)')
    await shot(page, '10-publish-refused')
    await quality.fill(original)
    await page.click('[data-testid=save-ruleset]')
    await page.waitForSelector('[data-testid=message] >> text=Đã lưu bản nháp.')
    await page.click('[data-testid=publish]')
    await page.waitForSelector('[data-testid=message] >> text=Đã ban hành.')
    await shot(page, '11-published')
  })

  it('lets an admin launch a cycle from the web app and cancel it with a reason', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD, 1100)
    await page.waitForSelector('[data-testid=launch]')
    await page.fill('[data-testid=launch] input >> nth=0', 'Quý IV/2026 — Văn phòng')
    await page.selectOption('[data-testid=launch] select >> nth=0', 'quarter')
    // Days are typed and shown as dd/mm/yyyy, whatever the browser's language.
    expect(await page.inputValue('[data-testid=launch] input[data-date-input] >> nth=0')).toMatch(/^01\/\d{2}\/\d{4}$/)
    await page.fill('[data-testid=launch] input[data-date-input] >> nth=0', '01/10/2026')
    await page.fill('[data-testid=launch] input[data-date-input] >> nth=1', '31/12/2026')
    // No rule set is preselected: the admin chooses the one of record.
    expect(await page.inputValue('[data-testid=launch] select >> nth=1')).toBe('')
    const nd335 = await page.locator('[data-testid=launch] select').nth(1).locator('option', { hasText: 'NĐ 335' }).last().getAttribute('value')
    await page.selectOption('[data-testid=launch] select >> nth=1', nd335)
    await page.check('label.check:has-text("Văn phòng Sở") input')
    await shot(page, '12-launch')
    await page.click('[data-testid=launch-submit]')
    await page.waitForSelector('[data-testid=cycle]')
    const id = Number(page.url().split('/').pop())
    await eventually(async () => (await t.api('GET', `/api/cycles/${id}`, await t.login('admin'))).body.status === 'OPEN', 30_000, 'open')
    await page.reload()
    await page.waitForSelector('[data-testid=cycle-status] >> text=Đang diễn ra')
    await page.waitForSelector('[data-testid=cycle] tbody tr')
    expect(await page.locator('[data-testid=cycle] tbody tr').count()).toBe(1)
    expect(await page.textContent('[data-testid=cycle] tbody tr')).toContain('Văn phòng Sở')
    // Cancelling asks its own reason in its own dialog.
    await page.click('[data-testid=cycle] button:has-text("Hủy kỳ")')
    await page.fill('[data-testid=action-dialog] textarea', 'Mở nhầm kỳ, sẽ mở lại')
    await page.click('[data-testid=dialog-confirm]')
    await page.waitForSelector('[data-testid=cycle-status] >> text=Đã hủy')
  })

  it('lets an admin see the organisation and import staff after a preview of errors per row', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD, 1100)
    await page.click('nav a[href="#/org"]')
    await page.waitForSelector('[data-testid=org-units] >> text=Phòng Cải cách hành chính và Văn thư lưu trữ')
    const header = 'username,fullName,unitCode,positionCode,roles,email\n'
    await page.setInputFiles('[data-testid=import-file]', { name: 'can-bo.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}cv.moi1,Nguyễn Văn Mới,VP,CV,staff,\ncv.moi2,,KHONGCO,CV,staff,\n`) })
    await page.click('button:has-text("Kiểm tra trước")')
    await page.waitForSelector('[data-testid=import-preview] >> text=2 dòng, 1 dòng hợp lệ.')
    expect(await page.locator('[data-testid=import-preview] tr.error').allTextContents()).toEqual([expect.stringMatching(/^Dòng 2fullName/)])
    expect(await page.isDisabled('button:has-text("Nhập") >> nth=-1')).toBe(true)
    await shot(page, '13-import-preview')
    await page.setInputFiles('[data-testid=import-file]', { name: 'can-bo.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}cv.moi1,Nguyễn Văn Mới,VP,CV,staff,\n`) })
    await page.click('button:has-text("Kiểm tra trước")')
    await page.waitForSelector('[data-testid=import-preview] >> text=1 dòng, 1 dòng hợp lệ.')
    await page.click('button:text-is("Nhập")')
    await page.waitForSelector('[data-testid=message] >> text=Đã nhập 1')
    await page.waitForSelector('[data-testid=org-staff] >> text=Nguyễn Văn Mới')
  })
})
