import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Petition } from '../../server/petitions/petitions.routes.js'
import { cycleWorkflowId } from '../../workflows/definitions.js'
import { inconsistencies } from '../support/consistency.js'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * Publication and petitions on real Temporal + PostgreSQL: one unit (CCHC) classified, a petition
 * window of 30 s, answers due within 6 s. A petition rejected late (reminder, escalation), another
 * accepted: the evaluation reopens at unit review, is approved again with another result, the unit
 * is signed off again and re-classified; after the window nothing more is filed and the results lock.
 */
describe('publication and petitions', () => {
  let t: TestSystem
  let admin: string
  let cycleId: number
  let cchc: number
  let subject: number // cv.maiphuong's evaluation
  let subjectStaff: number
  let authority: string // the leader who signs CCHC off
  const tokens = new Map<string, string>()
  const as = async (who: string) => tokens.get(who) ?? (tokens.set(who, await t.login(who)), tokens.get(who)!)
  const cycle = async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body
  const notes = async (who: string) => (await t.api('GET', '/api/notifications?limit=200', await as(who))).body as { kind: string; message: string; evaluationId: number | null }[]
  const evaluation = async () => (await t.system.db.selectFrom('evaluations').selectAll().where('id', '=', subject).executeTakeFirstOrThrow())

  beforeAll(async () => {
    t = await startTestSystem({ label: 'petitions' })
    admin = await t.login('admin')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 8/2026', periodKind: 'month', periodStart: '2026-08-01', periodEnd: '2026-08-31', ruleSetId: 1, unitIds: [cchc], durations: { petitionSeconds: 30, petitionAnswerSeconds: 6 } })
    expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    cycleId = launched.body.id
    await eventually(async () => (await cycle()).status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id', 'e.staff_id', 's.username', 'e.reviewer_ids', 'e.sign_off_ids']).where('e.cycle_id', '=', cycleId).orderBy('e.id').execute()
    const names = new Map((await t.system.db.selectFrom('staff').select(['id', 'username']).execute()).map((s) => [s.id, s.username]))
    for (const r of rows) {
      const own = await as(r.username)
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data: doc(8, 9) })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
      // The head penalises cv.maiphuong with a reprimand (the petition will contest it).
      const body = r.username === 'cv.maiphuong' ? { adjustments: { overrides: { discipline: 'reprimand' } }, comment: 'Bị khiển trách' } : {}
      expect((await t.api('POST', `/api/evaluations/${r.id}/approve`, await as(names.get(r.reviewer_ids[0]!)!), body)).status).toBe(200)
    }
    const row = rows.find((r) => r.username === 'cv.maiphuong')!
    subject = row.id
    subjectStaff = row.staff_id
    authority = names.get(row.sign_off_ids[0]!)!
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, await as(authority))).status).toBe(200)
    await eventually(async () => ((await cycle()).publishedAt ? true : undefined), 60_000, 'published')
  }, 180_000)
  afterAll(async () => t?.stop())

  it('publishes the unit list to the unit (names, positions, levels, ranks "n / 8") and to no other unit; each person is told their result', async () => {
    const c = await cycle()
    expect(c.status).toBe('CLASSIFIED')
    expect(new Date(c.petitionClosesAt).getTime() - new Date(c.publishedAt).getTime()).toBe(30_000)
    const list = await t.api('GET', `/api/cycles/${cycleId}/units/${cchc}/published`, await as('cv.hoangnam'))
    expect(list.status).toBe(200)
    expect(list.body.unitSize).toBe(8)
    expect(list.body.results).toHaveLength(8)
    for (const r of list.body.results) expect(r.rank).toMatch(/^\d \/ 8$/)
    expect(list.body.results[0].rank).toBe('1 / 8')
    expect(list.body.results.find((r: { staffId: number }) => r.staffId === subjectStaff)).toMatchObject({ fullName: expect.any(String), level: expect.stringMatching(/^(HTXS|HTT|HT|KHT)$/) })
    expect(JSON.stringify(list.body)).not.toMatch(/general|products|comment/)
    expect((await t.api('GET', `/api/cycles/${cycleId}/units/${cchc}/published`, await as('cvp.lethu'))).status).toBe(403)
    expect((await notes('cv.maiphuong')).filter((n) => n.kind === 'RESULT')).toHaveLength(1)
  })

  let first: number
  it('files a petition (201), refuses a second while it is open (409 PETITION_OPEN) and a colleague\'s (403); the authority is told', async () => {
    const staff = await as('cv.maiphuong')
    const short = await t.api('POST', `/api/evaluations/${subject}/petitions`, staff, { reason: 'ngắn' })
    expect(short.status).toBe(400)
    expect(short.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Dữ liệu không hợp lệ (body): reason: Cần ít nhất 10 ký tự / At least 10 characters', details: [{ path: 'reason' }] })
    const filed = await t.api('POST', `/api/evaluations/${subject}/petitions`, staff, { reason: 'Tôi không bị khiển trách trong tháng 8.' })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    first = filed.body.id
    const again = await t.api('POST', `/api/evaluations/${subject}/petitions`, staff, { reason: 'Tôi kiến nghị lần nữa về kết quả.' })
    expect([again.status, again.body.error.code]).toEqual([409, 'PETITION_OPEN'])
    expect((await t.api('POST', `/api/evaluations/${subject}/petitions`, await as('cv.hoangnam'), { reason: 'Kiến nghị thay đồng nghiệp.' })).status).toBe(403)
    expect((await notes(authority)).some((n) => n.kind === 'PETITION_FILED' && n.message.includes('khiển trách'))).toBe(true)
    // Scoped lists: the filer and the authority see it; a colleague does not.
    expect(((await t.api('GET', `/api/petitions?cycleId=${cycleId}`, staff)).body as { id: number }[]).map((p) => p.id)).toEqual([first])
    const addressed = (await t.api('GET', `/api/petitions?cycleId=${cycleId}`, await as(authority))).body as { id: number; mayAnswer: boolean }[]
    expect(addressed).toMatchObject([{ id: first, mayAnswer: true }])
    // The answer is what the OpenAPI document and the web app's typed client say it is.
    expect(z.array(Petition).safeParse(addressed).error?.issues).toBeUndefined()
    expect(filed.body).toEqual({ id: first, answerDueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) })
    expect((await t.api('GET', `/api/petitions?cycleId=${cycleId}`, await as('cv.hoangnam'))).body).toEqual([])
    // One evaluation's petitions, as its page asks for them: the filer's and the authority's, and no other evaluation's.
    const ofEvaluation = async (id: number, token: string) => ((await t.api('GET', `/api/petitions?evaluationId=${id}`, token)).body as { id: number }[]).map((p) => p.id)
    expect(await ofEvaluation(subject, staff)).toEqual([first])
    expect(await ofEvaluation(subject, await as(authority))).toEqual([first])
    expect(await ofEvaluation(subject, await as('cv.hoangnam'))).toEqual([])
    const other = (await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycleId).where('id', '<>', subject).orderBy('id').executeTakeFirstOrThrow()).id
    expect(await ofEvaluation(other, await as(authority))).toEqual([])
    expect((await t.api('GET', '/api/petitions?evaluationId=abc', staff)).status).toBe(400)
  })

  it('reminds the authority, then escalates, when the answer is late; rejected with a reason, the filer is told', async () => {
    await eventually(async () => ((await notes(authority)).some((n) => n.kind === 'PETITION_REMINDER') ? true : undefined), 20_000, 'reminder')
    await eventually(async () => ((await notes('admin')).some((n) => n.kind === 'PETITION_OVERDUE') ? true : undefined), 20_000, 'escalation')
    expect((await t.api('POST', `/api/petitions/${first}/reject`, await as('cv.maiphuong'), { reason: 'Tự trả lời' })).status).toBe(403)
    expect((await t.api('POST', `/api/petitions/${first}/reject`, await as('tp.phamlan'), { reason: 'Không phải thẩm quyền' })).status).toBe(404)
    const rejected = await t.api('POST', `/api/petitions/${first}/reject`, await as(authority), { reason: 'Biên bản khiển trách ngày 12/8 còn hiệu lực.' })
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200)
    expect(rejected.body.status).toBe('REJECTED')
    expect((await t.api('POST', `/api/petitions/${first}/accept`, await as(authority), { reason: 'Đổi ý' })).body.error.code).toBe('PETITION_ANSWERED')
    expect((await notes('cv.maiphuong')).find((n) => n.kind === 'PETITION_ANSWERED')!.message).toContain('Biên bản khiển trách')
  })

  it('accepts a second petition: the evaluation reopens at unit review, version continuing; re-reviewed, signed off again and re-classified', async () => {
    const before = await evaluation()
    const filed = await t.api('POST', `/api/evaluations/${subject}/petitions`, await as('cv.maiphuong'), { reason: 'Biên bản khiển trách đã được hủy ngày 20/8.' })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const accepted = await t.api('POST', `/api/petitions/${filed.body.id}/accept`, await as(authority), { reason: 'Đã xác minh biên bản bị hủy.' })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    const reopened = await eventually(async () => ((await evaluation()).stage === 'UNIT_REVIEW' ? evaluation() : undefined), 30_000, 'reopened')
    expect(reopened.version).toBe(before.version + 1)
    expect(reopened.round).toBe(before.round + 1)
    expect((await t.api('GET', `/api/cycles/${cycleId}/units/${cchc}/published`, await as('cv.hoangnam'))).body.results.find((r: { staffId: number }) => r.staffId === subjectStaff).underReview).toBe(true)
    // Under re-review: no new petition on it.
    expect((await t.api('POST', `/api/evaluations/${subject}/petitions`, await as('cv.maiphuong'), { reason: 'Thêm một kiến nghị nữa.' })).body.error.code).toBe('PETITION_OPEN')

    const approved = await t.api('POST', `/api/evaluations/${subject}/approve`, await as('tp.phamlan'), { adjustments: {}, comment: 'Bỏ hình thức khiển trách' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body.version).toBe(before.version + 2)
    // A colleague's classified data damaged behind the application's back: the re-ranking fails and waits for an admin.
    const colleague = (await t.system.db.selectFrom('evaluations').select(['id', 'data']).where('cycle_id', '=', cycleId).where('id', '<>', subject).orderBy('id').executeTakeFirstOrThrow())
    await sql`update evaluations set data = jsonb_set(data, '{general,ethics,politics}', '99') where id = ${colleague.id}`.execute(t.system.db)
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, await as(authority))).status).toBe(200)
    const failed = await eventually(async () => ((await cycle()).rankingError ? cycle() : undefined), 60_000, 're-ranking failed')
    expect(failed.rankingError).toContain(`#${colleague.id}`)
    expect(failed.status).toBe('CLASSIFIED') // the published results stay published meanwhile
    expect((await t.api('GET', `/api/cycles/${cycleId}/units/${cchc}/published`, await as('cv.hoangnam'))).status).toBe(200)
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, await as('tp.phamlan'))).status).toBe(403)
    await sql`update evaluations set data = ${JSON.stringify(colleague.data)}::jsonb where id = ${colleague.id}`.execute(t.system.db)
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, admin)).status).toBe(200)
    const after = await eventually(async () => ((await evaluation()).stage === 'CLASSIFIED' ? evaluation() : undefined), 60_000, 're-classified')
    expect(after.final_level).not.toBe(before.final_level)
    expect(after.version).toBe(before.version + 4) // reopen, approve, signOff, classify
    const told = await eventually(async () => (await notes('cv.maiphuong')).find((n) => n.kind === 'RESULT_CHANGED'), 30_000, 'result changed notification')
    expect(told.message).toContain(after.final_level!)
    const list = (await t.api('GET', `/api/cycles/${cycleId}/units/${cchc}/published`, await as('cv.hoangnam'))).body
    const mine = list.results.find((r: { staffId: number }) => r.staffId === subjectStaff)
    expect(mine).toMatchObject({ underReview: false, level: after.final_level, rank: `${after.rank_in_unit} / 8` })
    expect((await cycle()).rankingError).toBeNull()
    expect((await t.api('POST', `/api/cycles/${cycleId}/ranking/retry`, admin)).status).toBe(409)
  })

  it('refuses petitions after the window (409 PETITION_WINDOW_CLOSED), then locks the results and tells the admins the national database waits for a decision', async () => {
    const closes = new Date((await cycle()).petitionClosesAt).getTime()
    await new Promise((r) => setTimeout(r, Math.max(0, closes - Date.now() + 500)))
    const late = await t.api('POST', `/api/evaluations/${subject}/petitions`, await as('cv.maiphuong'), { reason: 'Kiến nghị sau khi hết hạn.' })
    expect([late.status, late.body.error.code]).toEqual([409, 'PETITION_WINDOW_CLOSED'])
    expect(await t.system.client.workflow.getHandle(cycleWorkflowId(cycleId)).result()).toBe('LOCKED')
    const c = await cycle()
    expect(c.status).toBe('CLASSIFIED')
    expect(c.resultsLockedAt).not.toBeNull()
    expect((await notes('admin')).some((n) => n.kind === 'NATIONAL_DB_PENDING')).toBe(true)
  })

  it('keeps every step in the audit, and workflow = read model = ledger for every evaluation', async () => {
    const audit = await t.system.db.selectFrom('audit_events').select(['entity', 'action']).where((eb) => eb.or([eb('entity', '=', 'petition'), eb.and([eb('entity', '=', 'cycle'), eb('entity_id', '=', String(cycleId))])])).orderBy('id').execute()
    const steps = audit.map((a) => `${a.entity}:${a.action}`)
    for (const step of ['cycle:publish', 'cycle:openPetitions', 'petition:file', 'petition:remind', 'petition:escalate', 'petition:reject', 'petition:accept', 'cycle:rankingFailed', 'cycle:retryRanking', 'cycle:rerank', 'cycle:republish', 'cycle:lockResults']) expect(steps).toContain(step)
    const evAudit = await t.system.db.selectFrom('audit_events').select(['action', 'reason']).where('entity', '=', 'evaluation').where('entity_id', '=', String(subject)).where('action', '=', 'reopen').execute()
    expect(evAudit[0]!.reason).toContain('mở lại do kiến nghị được chấp nhận'.replace(/^m/, 'M'))
    expect(await inconsistencies(t, cycleId)).toEqual([])
  })
})
