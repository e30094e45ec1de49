import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

interface Notice {
  id: number
  kind: string
  evaluationId: number | null
  evaluationIds: number[] | null
  message: string
  readAt: string | null
}

/** Reminders and escalations at one deadline: each person hears about their own; a head or leader gets one digest a day, not one per person. */
describe('notification digests', () => {
  let t: TestSystem
  let admin: string
  let staffCount: number

  beforeAll(async () => {
    t = await startTestSystem({ label: 'digest' })
    admin = await t.login('admin')
    const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    // The self-assessment is due 3 s after the launch; reminders 2 s before.
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Nhắc hạn', periodKind: 'month', periodStart: '2026-08-01', periodEnd: '2026-08-31', ruleSetId: 1, unitIds: [cchc], durations: { selfAssessmentSeconds: 3, reviewSeconds: 3600, reminderBeforeSeconds: 2 } })
    expect(launched.status).toBe(201)
    const rows = await t.system.db.selectFrom('evaluations').select(['id', 'overdue']).where('cycle_id', '=', launched.body.id).execute()
    staffCount = rows.length
    await eventually(async () => (await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', launched.body.id).where('overdue', '=', true).execute()).length === staffCount, 60_000, 'everyone overdue')
  })
  afterAll(async () => t?.stop())

  it('tells each staff member about their own evaluation, one notification each', async () => {
    const mine = (await t.api('GET', '/api/notifications', await t.login('cv.maiphuong'))).body as Notice[]
    expect(mine.filter((n) => n.kind === 'REMINDER')).toHaveLength(1)
    expect(mine.filter((n) => n.kind === 'OVERDUE')).toHaveLength(1)
    expect(mine.every((n) => n.evaluationId !== null)).toBe(true)
  })

  it("gives the unit head one escalation digest for the day, counting everyone overdue once", async () => {
    const head = (await t.api('GET', '/api/notifications', await t.login('tp.phamlan'))).body as Notice[]
    const digests = head.filter((n) => n.kind === 'OVERDUE_DIGEST')
    expect(digests).toHaveLength(1)
    // The head is overdue too (reviewed by leadership): everyone else in the unit is in the digest.
    expect(digests[0]!.evaluationIds).toHaveLength(staffCount - 1)
    expect(new Set(digests[0]!.evaluationIds).size).toBe(staffCount - 1)
    expect(digests[0]!.message).toBe(`${staffCount - 1} bản tự đánh giá trong đơn vị của bạn đã quá hạn nộp.`)
    // Far fewer notifications than people concerned.
    expect(head.filter((n) => n.kind.startsWith('OVERDUE')).length).toBeLessThanOrEqual(2)
  })
})
