import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

interface Day {
  date: string
  kind: 'holiday' | 'working'
  name: string
}

/**
 * The working-day calendar: admins keep the holidays and compensating working days (audited), anyone
 * signed in reads them and previews a deadline, and a cycle launched in working days is due at
 * 23:59:59 Asia/Ho_Chi_Minh of the right working day — through the workflows' own arithmetic.
 */
describe('working-day calendar', () => {
  let t: TestSystem
  let admin: string
  let staff: string
  let units: { id: number; code: string }[]

  beforeAll(async () => {
    t = await startTestSystem({ label: 'calendar' })
    admin = await t.login('admin')
    staff = await t.login('cv.maiphuong')
    units = (await t.api('GET', '/api/units', admin)).body
  })
  afterAll(async () => t?.stop())

  const auditOf = (date: string) => t.system.db.selectFrom('audit_events').select(['action', 'actor_id', 'data']).where('entity', '=', 'calendar').where('entity_id', '=', date).orderBy('id').execute()

  it('ships Tết and 2/9 of 2026–2027 with the compensating Saturdays, readable by everyone signed in', async () => {
    const res = await t.api('GET', '/api/calendar/days?year=2026', staff)
    expect(res.status).toBe(200)
    const days = res.body.days as Day[]
    expect(res.body.year).toBe(2026)
    const byDate = new Map(days.map((d) => [d.date, d]))
    for (const d of ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01', '2026-08-31', '2026-09-01', '2026-09-02']) expect(byDate.get(d)?.kind, d).toBe('holiday')
    expect(byDate.get('2026-08-22')).toMatchObject({ kind: 'working' })
    expect(byDate.get('2026-01-10')).toMatchObject({ kind: 'working' })
    expect(days.every((d) => d.date.startsWith('2026-'))).toBe(true)
    expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort())
    const next = (await t.api('GET', '/api/calendar/days?year=2027', staff)).body.days as Day[]
    expect(next.filter((d) => d.date.startsWith('2027-02')).map((d) => d.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'])
    expect((await t.api('GET', '/api/calendar/days?year=2026')).status).toBe(401)
  })

  it('lets the admin add, rename and remove a day, each audited; refuses everyone else and changes nothing', async () => {
    const date = '2026-12-24'
    expect((await t.api('PUT', `/api/calendar/days/${date}`, staff, { kind: 'holiday', name: 'Không được phép' })).status).toBe(403)
    expect((await t.api('PUT', `/api/calendar/days/${date}`, await t.login('tp.phamlan'), { kind: 'holiday', name: 'Không được phép' })).status).toBe(403)
    expect((await t.api('PUT', `/api/calendar/days/${date}`, undefined, { kind: 'holiday', name: 'Không được phép' })).status).toBe(401)
    expect((await t.api('DELETE', '/api/calendar/days/2026-09-02', staff)).status).toBe(403)
    expect(await auditOf(date)).toEqual([])
    expect(((await t.api('GET', '/api/calendar/days?year=2026', staff)).body.days as Day[]).some((d) => d.date === date)).toBe(false)
    expect(((await t.api('GET', '/api/calendar/days?year=2026', staff)).body.days as Day[]).some((d) => d.date === '2026-09-02')).toBe(true)

    const added = await t.api('PUT', `/api/calendar/days/${date}`, admin, { kind: 'holiday', name: '  Nghỉ theo quyết định của tỉnh  ' })
    expect(added.status).toBe(200)
    expect(added.body).toEqual({ date, kind: 'holiday', name: 'Nghỉ theo quyết định của tỉnh', created: true })
    expect((await t.api('PUT', `/api/calendar/days/${date}`, admin, { kind: 'holiday', name: 'Nghỉ Giáng sinh (thử)' })).body.created).toBe(false)
    const listed = ((await t.api('GET', '/api/calendar/days?year=2026', staff)).body.days as Day[]).find((d) => d.date === date)
    expect(listed).toMatchObject({ kind: 'holiday', name: 'Nghỉ Giáng sinh (thử)' })
    // The preview follows at once: Wednesday 23/12 + 1 working day skips Thursday 24/12.
    expect((await t.api('GET', '/api/calendar/working-days?from=2026-12-23&days=1', staff)).body.date).toBe('2026-12-25')
    expect((await t.api('DELETE', `/api/calendar/days/${date}`, admin)).body).toEqual({ date, deleted: true })
    expect((await t.api('DELETE', `/api/calendar/days/${date}`, admin)).status).toBe(404)
    expect((await t.api('GET', '/api/calendar/working-days?from=2026-12-23&days=1', staff)).body.date).toBe('2026-12-24')

    const adminId = (await t.api('GET', '/api/me', admin)).body.id
    const audit = await auditOf(date)
    expect(audit.map((a) => a.action)).toEqual(['addDay', 'updateDay', 'removeDay'])
    expect(audit.every((a) => a.actor_id === adminId)).toBe(true)
    expect(audit[1]!.data).toMatchObject({ name: 'Nghỉ Giáng sinh (thử)', before: { kind: 'holiday', name: 'Nghỉ theo quyết định của tỉnh' } })
  })

  it('answers malformed or out-of-range input with 4xx and a code', async () => {
    const bad = [
      await t.api('PUT', '/api/calendar/days/2026-02-30', admin, { kind: 'holiday', name: 'Ngày không có' }),
      await t.api('PUT', '/api/calendar/days/26-12-24', admin, { kind: 'holiday', name: 'Sai dạng' }),
      await t.api('PUT', '/api/calendar/days/1999-12-31', admin, { kind: 'holiday', name: 'Ngoài phạm vi' }),
      await t.api('PUT', '/api/calendar/days/2026-12-26', admin, { kind: 'holiday', name: 'x'.repeat(201) }),
      await t.api('PUT', '/api/calendar/days/2026-12-26', admin, { kind: 'holiday', name: '   ' }),
      await t.api('PUT', '/api/calendar/days/2026-12-26', admin, { kind: 'weekend', name: 'Sai loại' }),
      await t.api('DELETE', '/api/calendar/days/2026-02-30', admin),
      await t.api('GET', '/api/calendar/days?year=1800', staff),
      await t.api('GET', '/api/calendar/days?year=abc', staff),
      await t.api('GET', '/api/calendar/working-days?from=2026-13-01&days=1', staff),
      await t.api('GET', '/api/calendar/working-days?from=2026-12-01&days=-1', staff),
      await t.api('GET', '/api/calendar/working-days?from=2026-12-01&days=1.5', staff),
      await t.api('GET', '/api/calendar/working-days?from=2026-12-01', staff),
    ]
    expect(bad.map((r) => r.status)).toEqual(Array(bad.length).fill(400))
    expect(bad.every((r) => r.body.error.code === 'VALIDATION_FAILED' && r.body.error.message && r.body.error.messageEn)).toBe(true)
    // A Monday is a working day already: it cannot be a compensating working day.
    const monday = await t.api('PUT', '/api/calendar/days/2026-12-07', admin, { kind: 'working', name: 'Làm bù' })
    expect(monday.status).toBe(400)
    expect(monday.body.error.code).toBe('NOT_A_WEEKEND')
    expect(monday.body.error.message).toContain('Thứ Hai')
    expect(await auditOf('2026-12-07')).toEqual([])
    expect(await auditOf('2026-12-26')).toEqual([])
  })

  it('previews the due date N working days give, at 23:59:59 Vietnam time', async () => {
    const res = await t.api('GET', '/api/calendar/working-days?from=2026-02-13&days=1', staff)
    expect(res.body).toEqual({ from: '2026-02-13', days: 1, date: '2026-02-23', dueAt: '2026-02-23T16:59:59.000Z', label: { vi: '23:59 Thứ Hai 23/02/2026', en: '23:59 Monday 23/02/2026' } })
    // A compensating Saturday counts.
    expect((await t.api('GET', '/api/calendar/working-days?from=2026-08-21&days=1', staff)).body.label.vi).toBe('23:59 Thứ Bảy 22/08/2026')
  })

  it('launches a cycle without seconds with its deadlines at 23:59:59 of the right working days, and a holiday added before launch moves them', async () => {
    const cchc = units.find((u) => u.code === 'CCHC')!.id
    const vp = units.find((u) => u.code === 'VP')!.id
    // August 2027 ends on Tuesday 31/08 (a period that ends after the launch: counted from its end).
    // 5 working days: Wed 01/09, (02–03/09 Quốc khánh, weekend), Mon 06, Tue 07, Wed 08, Thu 09/09.
    const period = { periodKind: 'month', periodStart: '2027-08-01', periodEnd: '2027-08-31', ruleSetId: 1 }
    const launched = await t.api('POST', '/api/cycles', admin, { ...period, name: 'Tháng 8/2027', unitIds: [cchc] })
    expect(launched.status).toBe(201)
    const cycle = (await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body
    expect(cycle.durations).toMatchObject({ selfAssessmentWorkingDays: 5, reviewWorkingDays: 5, reminderWorkingDays: 1, workingDaysFrom: '2027-08-31', selfAssessmentDueAt: '2027-09-09T16:59:59.000Z', reviewDueAt: '2027-09-16T16:59:59.000Z', reminderBeforeSeconds: 86_399 })
    await eventually(async () => (await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const mine = ((await t.api('GET', `/api/evaluations?cycleId=${launched.body.id}`, staff)).body as { id: number }[])[0]!.id
    const evaluation = (await t.api('GET', `/api/evaluations/${mine}`, staff)).body
    expect(new Date(evaluation.deadlineAt).toISOString()).toBe('2027-09-09T16:59:59.000Z')
    // The workflow's own calendar: submitting records the review deadline it computes from opensAt and the seconds.
    const data = { ...doc(8, 9), products: [...evaluation.prefilledProducts, ...doc(8, 9).products] }
    expect((await t.api('PUT', `/api/evaluations/${mine}/self-assessment`, staff, { data })).status).toBe(200)
    expect((await t.api('POST', `/api/evaluations/${mine}/submit`, staff, {})).status).toBe(200)
    expect(new Date((await t.api('GET', `/api/evaluations/${mine}`, staff)).body.deadlineAt).toISOString()).toBe('2027-09-16T16:59:59.000Z') // Thu 16/09, 23:59:59

    // Monday 06/09/2027 made a holiday before the next launch: that cycle is due a day later.
    expect((await t.api('PUT', '/api/calendar/days/2027-09-06', admin, { kind: 'holiday', name: 'Nghỉ thử nghiệm' })).status).toBe(200)
    const second = await t.api('POST', '/api/cycles', admin, { ...period, name: 'Tháng 8/2027 — Văn phòng', unitIds: [vp], durations: { reviewWorkingDays: 2 } })
    expect(second.status).toBe(201)
    expect((await t.api('GET', `/api/cycles/${second.body.id}`, admin)).body.durations).toMatchObject({ selfAssessmentDueAt: '2027-09-10T16:59:59.000Z', reviewDueAt: '2027-09-14T16:59:59.000Z', reviewWorkingDays: 2 })
    const theirs = ((await t.api('GET', `/api/evaluations?cycleId=${second.body.id}`, admin)).body as { id: number; deadlineAt: string }[])
    expect(theirs.length).toBeGreaterThan(0)
    expect(theirs.every((e) => new Date(e.deadlineAt).toISOString() === '2027-09-10T16:59:59.000Z')).toBe(true)
    // The first cycle keeps the calendar of its launch.
    expect(new Date((await t.api('GET', `/api/evaluations/${mine}`, staff)).body.deadlineAt).toISOString()).toBe('2027-09-16T16:59:59.000Z')
    expect((await t.api('DELETE', '/api/calendar/days/2027-09-06', admin)).status).toBe(200)
  })

  it('still takes deadlines in seconds when given, and refuses working days out of range', async () => {
    const unit = units.find((u) => u.code !== 'CCHC' && u.code !== 'VP')!.id
    const base = { name: 'Giây', periodKind: 'month', periodStart: '2027-07-01', periodEnd: '2027-07-31', ruleSetId: 1, unitIds: [unit] }
    for (const durations of [{ selfAssessmentWorkingDays: 0 }, { reviewWorkingDays: 61 }, { reminderWorkingDays: 11 }, { selfAssessmentWorkingDays: 2.5 }]) {
      expect((await t.api('POST', '/api/cycles', admin, { ...base, durations })).status, JSON.stringify(durations)).toBe(400)
    }
    const res = await t.api('POST', '/api/cycles', admin, { ...base, durations: { selfAssessmentSeconds: 600, reviewSeconds: 600, reminderBeforeSeconds: 60 } })
    expect(res.status).toBe(201)
    const cycle = (await t.api('GET', `/api/cycles/${res.body.id}`, admin)).body
    expect(cycle.durations).toMatchObject({ selfAssessmentSeconds: 600, reviewSeconds: 600, reminderBeforeSeconds: 60 })
    expect(cycle.durations.selfAssessmentWorkingDays).toBeUndefined()
    expect(Date.parse(cycle.durations.selfAssessmentDueAt) - Date.parse(cycle.createdAt)).toBe(600_000)
  })
})
