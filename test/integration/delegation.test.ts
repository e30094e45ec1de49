import { WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Delegation } from '../../server/delegations/delegations.routes.js'
import { approveUpdate, cycleWorkflowId, evaluationWorkflowId, signOffUnitUpdate } from '../../workflows/definitions.js'
import { vietnamDate, type Actor } from '../../workflows/stages.js'
import { inconsistencies } from '../support/consistency.js'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/** A day `n` days from today in Vietnam (yyyy-mm-dd). */
const day = (n: number) => vietnamDate(Date.now() + n * 86400_000)

/**
 * Delegation and reassignment on real Temporal + PostgreSQL. Cycle A (CCHC, default deadlines): the
 * head tp.phamlan's review delegated before / during / after its window (403 / 200 / 403), the
 * audit naming both, a delegate who is the evaluated person refused (by the API and by the workflow
 * itself), the delegation ended early; the director's sign-off delegated to another unit's head,
 * who returns one evaluation and signs the unit off. Cycle B (VP, deadlines in seconds): an
 * evaluation under review reassigned to another reviewer, whose reminder reaches them, not the old
 * head; the new reviewer approves, the old one is refused.
 */
describe('delegation and reassignment', () => {
  let t: TestSystem
  let admin: string
  const id = new Map<string, number>()
  const tokens = new Map<string, string>()
  const as = async (who: string) => tokens.get(who) ?? (tokens.set(who, await t.login(who)), tokens.get(who)!)
  const evaluations = async (cycleId: number) => {
    const rows = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id', 'e.staff_id', 's.username', 'e.version', 'e.stage']).where('e.cycle_id', '=', cycleId).orderBy('e.id').execute()
    return new Map(rows.map((r) => [r.username, r]))
  }
  const row = async (evaluationId: number) => t.system.db.selectFrom('evaluations').selectAll().where('id', '=', evaluationId).executeTakeFirstOrThrow()
  const launch = async (name: string, unitCode: string, periodStart: string, durations?: Record<string, number>) => {
    const unit = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === unitCode).id as number
    const res = await t.api('POST', '/api/cycles', admin, { name, periodKind: 'month', periodStart, periodEnd: `${periodStart.slice(0, 8)}28`, ruleSetId: 1, unitIds: [unit], ...(durations ? { durations } : {}) })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await eventually(async () => (await t.api('GET', `/api/cycles/${res.body.id}`, admin)).body.status === 'OPEN', 60_000, `${name} open`)
    return { cycleId: res.body.id as number, unitId: unit }
  }
  const submitAll = async (cycleId: number, who?: string[]) => {
    for (const [username, r] of await evaluations(cycleId)) {
      if (who && !who.includes(username)) continue
      const own = await as(username)
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data: doc(8, 9) })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
    }
  }
  /** The workflow's own refusal of an Update sent straight to it (the API bypassed). */
  const refusal = async (call: () => Promise<unknown>) => {
    try {
      await call()
      return 'accepted'
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type
      throw err
    }
  }

  let a: { cycleId: number; unitId: number }
  beforeAll(async () => {
    t = await startTestSystem({ label: 'delegation' })
    admin = await t.login('admin')
    for (const s of (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string }[]) id.set(s.username, s.id)
    a = await launch('Tháng 9/2026 — ủy quyền', 'CCHC', '2026-09-01')
    await submitAll(a.cycleId)
  }, 180_000)
  afterAll(async () => t?.stop())

  let during: number
  it('creates delegations with their rules: 201, then overlap of the same scope 409, self 400, a non-head 403, sign-off by a head 403; lists are scoped', async () => {
    const head = await as('tp.phamlan')
    const before = await t.api('POST', '/api/delegations', head, { delegateId: id.get('cvc.luongtuan'), scope: 'review', from: day(1), to: day(3), reason: 'Nghỉ phép từ ngày mai' })
    expect(before.status, JSON.stringify(before.body)).toBe(201)
    const now = await t.api('POST', '/api/delegations', head, { delegateId: id.get('ptp.ngocha'), scope: 'review', from: day(0), to: day(0), reason: 'Đi công tác hôm nay' })
    expect(now.status, JSON.stringify(now.body)).toBe(201)
    during = now.body.id
    const overlap = await t.api('POST', '/api/delegations', head, { delegateId: id.get('cv.hoangnam'), scope: 'review', from: day(0), to: day(5), reason: 'Trùng thời gian' })
    expect([overlap.status, overlap.body.error.code]).toEqual([409, 'DELEGATION_OVERLAP'])
    expect((await t.api('POST', '/api/delegations', head, { delegateId: id.get('tp.phamlan'), scope: 'review', from: day(10), to: day(11), reason: 'Cho chính mình' })).status).toBe(400)
    expect((await t.api('POST', '/api/delegations', head, { delegateId: id.get('cv.hoangnam'), scope: 'review', from: day(-3), to: day(-1), reason: 'Đã qua' })).status).toBe(400)
    expect((await t.api('POST', '/api/delegations', head, { delegateId: id.get('cv.hoangnam'), scope: 'sign-off', from: day(10), to: day(11), reason: 'Ký thay' })).status).toBe(403)
    expect((await t.api('POST', '/api/delegations', await as('cv.lyson'), { delegateId: id.get('cv.hoangnam'), scope: 'review', from: day(10), to: day(11), reason: 'Không phải trưởng đơn vị' })).status).toBe(403)
    const short = await t.api('POST', '/api/delegations', head, { delegateId: id.get('cv.hoangnam'), scope: 'review', from: day(10), to: day(11), reason: 'ab' })
    expect([short.status, short.body.error]).toEqual([400, { code: 'VALIDATION_FAILED', message: 'Dữ liệu không hợp lệ (body): reason: Cần ít nhất 3 ký tự / At least 3 characters', messageEn: 'Invalid body: reason: Cần ít nhất 3 ký tự / At least 3 characters', details: [{ path: 'reason', message: 'Cần ít nhất 3 ký tự / At least 3 characters' }] }])
    expect((await t.api('GET', '/api/delegations?scope=all', head)).body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Dữ liệu không hợp lệ (query): scope: Phải là một trong: review, sign-off / Must be one of: review, sign-off' })
    expect((await t.api('DELETE', '/api/delegations/abc', head)).body.error).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy ủy quyền #abc.' })
    // A delegation that ended yesterday, as it stands after its course (creating one in the past is refused).
    await t.system.db.insertInto('delegations').values({ principal_id: id.get('tp.phamlan')!, delegate_id: id.get('cv.hoangnam')!, scope: 'review', from_date: day(-3), to_date: day(-1), reason: 'Tuần trước' }).execute()

    const mine = (await t.api('GET', '/api/delegations', head)).body as { id: number; status: string; delegate: { name: string }; mayEnd: boolean }[]
    expect(mine.map((d) => d.status)).toEqual(['upcoming', 'active', 'expired'])
    expect(mine.map((d) => d.mayEnd)).toEqual([true, true, false])
    // The answer is what the OpenAPI document and the web app's typed client say it is.
    expect(z.array(Delegation).safeParse(mine).error?.issues).toBeUndefined()
    const received = (await t.api('GET', '/api/delegations?direction=received', await as('ptp.ngocha'))).body as { id: number; principal: { name: string } }[]
    expect(received).toMatchObject([{ id: during, principal: { name: 'Phạm Thị Lan' } }])
    expect((await t.api('GET', '/api/delegations', await as('cv.lyson'))).body).toEqual([])
    expect(((await t.api('GET', `/api/delegations?staffId=${id.get('tp.phamlan')}&direction=given`, admin)).body as unknown[]).length).toBe(3)
  })

  it('lets the delegate act only within the window: before 403, during 200 (audit: delegate and principal), after 403', async () => {
    const evs = await evaluations(a.cycleId)
    const maiphuong = evs.get('cv.maiphuong')!
    const notYet = await t.api('POST', `/api/evaluations/${maiphuong.id}/approve`, await as('cvc.luongtuan'), {})
    expect(notYet.status).toBe(403)
    const over = await t.api('POST', `/api/evaluations/${maiphuong.id}/approve`, await as('cv.hoangnam'), {})
    expect(over.status).toBe(403)
    expect((await row(maiphuong.id)).version).toBe(maiphuong.version)

    // The delegate's inbox: the head's reviews, marked, never her own evaluation.
    const inbox = (await t.api('GET', `/api/evaluations?cycleId=${a.cycleId}&assignedToMe=true`, await as('ptp.ngocha'))).body as { id: number; staffId: number; delegatedBy: { id: number; name: string } | null }[]
    expect(inbox.map((e) => e.staffId).sort()).toEqual([...evs.values()].filter((e) => !['tp.phamlan', 'ptp.ngocha'].includes(e.username)).map((e) => e.staff_id).sort())
    expect(inbox.every((e) => e.delegatedBy?.id === id.get('tp.phamlan') && e.delegatedBy?.name === 'Phạm Thị Lan')).toBe(true)
    const page = (await t.api('GET', `/api/evaluations/${maiphuong.id}`, await as('ptp.ngocha'))).body
    expect(page.allowedActions).toEqual(['approve', 'return'])
    expect(page.delegatedBy).toEqual({ id: id.get('tp.phamlan'), name: 'Phạm Thị Lan' })
    // …and prints its form, as the head could (a colleague without the delegation cannot).
    const pdf = (who: string) => as(who).then((tk) => t.system.app.request(`/api/evaluations/${maiphuong.id}/form.pdf`, { headers: { authorization: `Bearer ${tk}` } }))
    expect([(await pdf('ptp.ngocha')).status, (await pdf('cvc.luongtuan')).status]).toEqual([200, 403])

    const approved = await t.api('POST', `/api/evaluations/${maiphuong.id}/approve`, await as('ptp.ngocha'), { comment: 'Duyệt thay trưởng phòng' })
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body).toMatchObject({ stage: 'AWAITING_SIGN_OFF', onBehalfOf: id.get('tp.phamlan') })
    const audit = (await t.api('GET', `/api/evaluations/${maiphuong.id}/audit`, admin)).body as { action: string; actorId: number; data: Record<string, unknown> }[]
    expect(audit.find((e) => e.action === 'approve')).toMatchObject({ actorId: id.get('ptp.ngocha'), data: { onBehalfOf: id.get('tp.phamlan'), delegationId: during } })
    const returned = await t.api('POST', `/api/evaluations/${evs.get('cv.hoangnam')!.id}/return`, await as('ptp.ngocha'), { reason: 'Bổ sung minh chứng (thay trưởng phòng)' })
    expect([returned.status, returned.body.stage]).toEqual([200, 'SELF_ASSESSMENT'])
  })

  it('never lets anyone act on their own evaluation through a delegation: the API answers 403 and the workflow refuses it too; nothing moves', async () => {
    const own = (await evaluations(a.cycleId)).get('ptp.ngocha')!
    const res = await t.api('POST', `/api/evaluations/${own.id}/approve`, await as('ptp.ngocha'), {})
    expect(res.status).toBe(403)
    const d = await t.system.db.selectFrom('delegations').selectAll().where('id', '=', during).executeTakeFirstOrThrow()
    const onBehalfOf = { id: d.principal_id, roles: ['unit_head', 'staff'], delegationId: d.id, scope: 'review' as const, from: d.from_date, to: d.to_date }
    const handle = (staffId: number) => t.system.client.workflow.getHandle(evaluationWorkflowId(a.cycleId, staffId))
    const self: Actor = { id: own.staff_id, roles: ['staff'], onBehalfOf }
    expect(await refusal(() => handle(own.staff_id).executeUpdate(approveUpdate, { args: [{ actor: self }] }))).toBe('FORBIDDEN')
    // The workflow dates the delegation itself, and wants its principal to be a party.
    const other = (await evaluations(a.cycleId)).get('cv.lyson')!
    const lapsed: Actor = { id: own.staff_id, roles: ['staff'], onBehalfOf: { ...onBehalfOf, from: day(-3), to: day(-1) } }
    expect(await refusal(() => handle(other.staff_id).executeUpdate(approveUpdate, { args: [{ actor: lapsed }] }))).toBe('FORBIDDEN')
    const stranger: Actor = { id: own.staff_id, roles: ['staff'], onBehalfOf: { ...onBehalfOf, id: id.get('cvp.lethu')! } }
    expect(await refusal(() => handle(other.staff_id).executeUpdate(approveUpdate, { args: [{ actor: stranger }] }))).toBe('FORBIDDEN')
    expect((await row(own.id)).version).toBe(own.version)
    expect((await row(other.id)).version).toBe(other.version)
  })

  it('ends a delegation early (its principal alone; audited): the delegate is refused at once; ending it again is 409', async () => {
    const lyson = (await evaluations(a.cycleId)).get('cv.lyson')!
    expect((await t.api('DELETE', `/api/delegations/${during}`, await as('ptp.ngocha'))).status).toBe(403)
    const ended = await t.api('DELETE', `/api/delegations/${during}`, await as('tp.phamlan'))
    expect([ended.status, ended.body.status]).toEqual([200, 'ended'])
    expect((await t.api('POST', `/api/evaluations/${lyson.id}/approve`, await as('ptp.ngocha'), {})).status).toBe(403)
    expect((await t.api('GET', `/api/evaluations/${lyson.id}`, await as('ptp.ngocha'))).status).toBe(403)
    expect((await t.api('DELETE', `/api/delegations/${during}`, await as('tp.phamlan'))).body.error.code).toBe('DELEGATION_ENDED')
    const audit = await t.system.db.selectFrom('audit_events').select(['action', 'actor_id']).where('entity', '=', 'delegation').where('entity_id', '=', String(during)).orderBy('id').execute()
    expect(audit).toEqual([{ action: 'create', actor_id: id.get('tp.phamlan') }, { action: 'end', actor_id: id.get('tp.phamlan') }])
  })

  it("delegates the director's sign-off to another unit's head: a leadership return and the unit's sign-off (through the API) go through as the director, audited with both", async () => {
    const evs = await evaluations(a.cycleId)
    const head = await as('tp.phamlan')
    await submitAll(a.cycleId, ['cv.hoangnam'])
    for (const [username, r] of evs) {
      if (username === 'tp.phamlan') expect((await t.api('POST', `/api/evaluations/${r.id}/approve`, await as('gd.tranminh'), {})).status).toBe(200)
      else if ((await row(r.id)).stage === 'UNIT_REVIEW') expect((await t.api('POST', `/api/evaluations/${r.id}/approve`, head, {})).status).toBe(200)
    }
    const created = await t.api('POST', '/api/delegations', await as('gd.tranminh'), { delegateId: id.get('tp.nguyenhai'), scope: 'sign-off', from: day(0), to: day(2), reason: 'Giám đốc đi công tác' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const delegate = await as('tp.nguyenhai')
    const tongmai = evs.get('cv.tongmai')!
    const back = await t.api('POST', `/api/evaluations/${tongmai.id}/return`, delegate, { reason: 'Xem lại điểm (ký thay giám đốc)' })
    expect([back.status, back.body.action, back.body.onBehalfOf]).toEqual([200, 'leaderReturn', id.get('gd.tranminh')])
    expect((await t.api('POST', `/api/evaluations/${tongmai.id}/approve`, head, {})).status).toBe(200)

    // The cycle workflow decides too: a delegation of the wrong scope sent straight to it is refused.
    const onBehalfOf = { id: id.get('gd.tranminh')!, roles: ['leader'], delegationId: created.body.id, scope: 'sign-off' as const, from: day(0), to: day(2) }
    const cycle = t.system.client.workflow.getHandle(cycleWorkflowId(a.cycleId))
    expect(await refusal(() => cycle.executeUpdate(signOffUnitUpdate, { args: [{ actor: { id: id.get('tp.nguyenhai')!, roles: ['unit_head', 'staff'], onBehalfOf: { ...onBehalfOf, scope: 'review' } }, unitId: a.unitId }] }))).toBe('FORBIDDEN')
    // The unit sign-off through the API: a head without the delegation is refused, the delegate signs as the director.
    expect((await t.api('POST', `/api/cycles/${a.cycleId}/units/${a.unitId}/sign-off`, await as('ptp.ngocha'))).status).toBe(403)
    const signed = await t.api('POST', `/api/cycles/${a.cycleId}/units/${a.unitId}/sign-off`, delegate)
    expect(signed.status, JSON.stringify(signed.body)).toBe(200)
    // A quota exception is not delegated.
    expect((await t.api('POST', `/api/cycles/${a.cycleId}/units/${a.unitId}/quota-exception`, delegate, { cap: 0.3, reason: 'Ngoại lệ ký thay' })).status).toBe(403)
    await eventually(async () => (await t.api('GET', `/api/cycles/${a.cycleId}`, admin)).body.status === 'CLASSIFIED', 60_000, 'classified')
    const signOff = await t.system.db.selectFrom('audit_events').select(['actor_id', 'data']).where('entity', '=', 'evaluation').where('entity_id', '=', String(tongmai.id)).where('action', '=', 'signOff').executeTakeFirstOrThrow()
    expect(signOff).toMatchObject({ actor_id: id.get('tp.nguyenhai'), data: { onBehalfOf: id.get('gd.tranminh'), delegationId: created.body.id } })
    const unit = await t.system.db.selectFrom('audit_events').select(['actor_id', 'data']).where('entity', '=', 'unit').where('action', '=', 'signOff').executeTakeFirstOrThrow()
    expect(unit).toMatchObject({ actor_id: id.get('tp.nguyenhai'), data: { onBehalfOf: id.get('gd.tranminh') } })
    // Classified: no reassignment any more.
    const late = await t.api('POST', `/api/evaluations/${tongmai.id}/reassign`, admin, { role: 'reviewer', staffId: id.get('ptp.ngocha'), reason: 'Quá muộn' })
    expect([late.status, late.body.error.code]).toEqual([409, 'WRONG_STAGE'])
    expect(await inconsistencies(t, a.cycleId)).toEqual([])
  })

  it('reassigns a running evaluation: the workflow takes the new reviewer (no restart), its reminder goes to them, the old head is refused and the new one approves', async () => {
    // Self-assessment due after 12 s, review 20 s later, reminders 8 s ahead: the review reminder fires 24 s after opening.
    const b = await launch('Tháng 10/2026 — giao lại', 'VP', '2026-10-01', { selfAssessmentSeconds: 12, reviewSeconds: 20, reminderBeforeSeconds: 8 })
    await submitAll(b.cycleId, ['cv.dangkhoa', 'cv.buingoc'])
    const evs = await evaluations(b.cycleId)
    const dangkhoa = evs.get('cv.dangkhoa')!
    const { runId } = await t.system.client.workflow.getHandle(evaluationWorkflowId(b.cycleId, dangkhoa.staff_id)).describe()

    const own = await t.api('POST', `/api/evaluations/${dangkhoa.id}/reassign`, admin, { role: 'reviewer', staffId: dangkhoa.staff_id, reason: 'Tự nhận xét' })
    expect([own.status, own.body.error.code]).toEqual([409, 'OWN_EVALUATION'])
    expect((await t.api('POST', `/api/evaluations/${dangkhoa.id}/reassign`, await as('cvp.lethu'), { role: 'reviewer', staffId: id.get('ptp.nguyenanh'), reason: 'Không phải quản trị' })).status).toBe(403)
    const moved = await t.api('POST', `/api/evaluations/${dangkhoa.id}/reassign`, admin, { role: 'reviewer', staffId: id.get('ptp.nguyenanh'), reason: 'Chánh văn phòng nghỉ phép dài ngày' })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body).toMatchObject({ action: 'reassign', stage: 'UNIT_REVIEW', version: dangkhoa.version + 1, reviewerIds: [id.get('ptp.nguyenanh')] })
    const after = await row(dangkhoa.id)
    expect(after.reviewer_ids).toEqual([id.get('ptp.nguyenanh')])
    expect(after.deadline_at).toEqual((await t.system.db.selectFrom('evaluations').select('deadline_at').where('id', '=', evs.get('cv.buingoc')!.id).executeTakeFirstOrThrow()).deadline_at)
    const partyRows = await t.system.db.selectFrom('evaluation_parties').select('person_id').where('evaluation_id', '=', dangkhoa.id).where('role', '=', 'reviewer').execute()
    expect(partyRows.map((p) => p.person_id)).toEqual([id.get('ptp.nguyenanh')])
    expect((await t.system.client.workflow.getHandle(evaluationWorkflowId(b.cycleId, dangkhoa.staff_id)).describe()).runId).toBe(runId)

    // The review reminder reaches the new reviewer with this evaluation; the old head's is about the other one only.
    const digest = async (who: string) => {
      const notes = (await t.api('GET', '/api/notifications?limit=200', await as(who))).body as { kind: string; evaluationIds: number[] | null }[]
      return notes.find((n) => n.kind === 'REMINDER_DIGEST' && n.evaluationIds?.some((e) => [dangkhoa.id, evs.get('cv.buingoc')!.id].includes(e)))
    }
    const newOne = await eventually(() => digest('ptp.nguyenanh'), 60_000, 'reminder to the new reviewer')
    expect(newOne.evaluationIds).toEqual([dangkhoa.id])
    const oldOne = await eventually(() => digest('cvp.lethu'), 20_000, 'reminder to the old head about her other review')
    expect(oldOne.evaluationIds).toEqual([evs.get('cv.buingoc')!.id])
    expect((await t.api('GET', '/api/notifications?limit=200', await as('ptp.nguyenanh'))).body.some((n: { kind: string }) => n.kind === 'REASSIGNED')).toBe(true)

    expect((await t.api('POST', `/api/evaluations/${dangkhoa.id}/approve`, await as('cvp.lethu'), {})).status).toBe(403)
    const inbox = (await t.api('GET', `/api/evaluations?cycleId=${b.cycleId}&assignedToMe=true&stage=UNIT_REVIEW`, await as('ptp.nguyenanh'))).body as { id: number; delegatedBy: unknown }[]
    expect(inbox).toMatchObject([{ id: dangkhoa.id, delegatedBy: null }])
    const approved = await t.api('POST', `/api/evaluations/${dangkhoa.id}/approve`, await as('ptp.nguyenanh'), {})
    expect([approved.status, approved.body.stage]).toEqual([200, 'AWAITING_SIGN_OFF'])
    const audit = (await t.api('GET', `/api/evaluations/${dangkhoa.id}/audit`, admin)).body as { action: string; actorId: number; reason: string; data: Record<string, unknown> }[]
    expect(audit.find((e) => e.action === 'reassign')).toMatchObject({ actorId: id.get('admin'), reason: 'Chánh văn phòng nghỉ phép dài ngày', data: { reassign: { role: 'reviewer', from: [id.get('cvp.lethu')], to: [id.get('ptp.nguyenanh')] } } })
    expect(await inconsistencies(t, b.cycleId)).toEqual([])

    // Cancelled: no reassignment any more.
    expect((await t.api('POST', `/api/cycles/${b.cycleId}/cancel`, admin, { reason: 'Kết thúc kiểm thử' })).status).toBe(200)
    await eventually(async () => (await row(dangkhoa.id)).stage === 'CANCELLED', 30_000, 'cancelled')
    expect((await t.api('POST', `/api/evaluations/${dangkhoa.id}/reassign`, admin, { role: 'reviewer', staffId: id.get('cvp.lethu'), reason: 'Sau khi hủy' })).status).toBe(409)
  })
})
