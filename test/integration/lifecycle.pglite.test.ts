import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchCycle } from '../../server/cycles/cycle.service.js'
import { toApiError } from '../../server/http/temporal-errors.js'
import { findRuleSet } from '../../server/rulesets/ruleset.repo.js'
import { simulateCycle } from '../../server/rulesets/simulate.service.js'
import { cycleStateQuery, cycleWorkflowId, evaluationWorkflowId, returnUnitUpdate, submitUpdate } from '../../workflows/definitions.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { doc } from '../support/documents.js'


/** The embedded path (PGlite) with the same migrations and queries, plus deadlines and cancellation. */
describe('on PGlite: deadlines, reminders, escalation, cancellation and a full cycle', () => {
  let t: TestSystem
  let admin: string
  let cchc: number

  beforeAll(async () => {
    t = await startTestSystem({ label: 'pglite', pglite: true })
    admin = await t.login('admin')
    cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
  })
  afterAll(async () => t?.stop())

  it('reminds before the deadline and escalates to the unit head when it passes', async () => {
    const res = await t.api('POST', '/api/cycles', admin, {
      name: 'Quý IV/2026 (thử hạn)',
      periodKind: 'quarter',
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
      ruleSetId: 1,
      unitIds: [cchc],
      durations: { selfAssessmentSeconds: 4, reviewSeconds: 600, reminderBeforeSeconds: 2 },
    })
    expect(res.status).toBe(201)
    const cycleId = res.body.id
    const staff = await t.login('cv.maiphuong')
    const mine = await eventually(async () => (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, staff)).body.find((e: { stage: string }) => e.stage === 'SELF_ASSESSMENT'), 30_000, 'evaluation')
    const overdue = await eventually(async () => {
      const e = (await t.api('GET', `/api/evaluations/${mine.id}`, staff)).body
      return e.overdue ? e : undefined
    }, 30_000, 'overdue flag')
    expect(overdue.stage).toBe('SELF_ASSESSMENT')
    const kinds = (await t.api('GET', '/api/notifications', staff)).body.map((n: { kind: string }) => n.kind)
    expect(kinds).toEqual(['OVERDUE', 'REMINDER'])
    const head = (await t.api('GET', '/api/notifications', await t.login('tp.phamlan'))).body
    // The head hears of it in the day's escalation digest, not one notification per person.
    expect(head.some((n: { kind: string; evaluationIds: number[] | null; message: string }) => n.kind === 'OVERDUE_DIGEST' && n.evaluationIds?.includes(mine.id) && /quá hạn/.test(n.message))).toBe(true)
    const audit = (await t.api('GET', `/api/evaluations/${mine.id}/audit`, staff)).body.map((a: { action: string }) => a.action)
    expect(audit).toEqual(['remind', 'escalate'])

    // Late submission is still accepted, and clears the overdue flag.
    await t.api('PUT', `/api/evaluations/${mine.id}/self-assessment`, staff, { data: doc(9, 10) })
    const late = await t.api('POST', `/api/evaluations/${mine.id}/submit`, staff)
    expect(late.status).toBe(200)
    expect(late.body).toMatchObject({ stage: 'UNIT_REVIEW', overdue: false })

    // Cancelling: admins only; every open evaluation and its workflow ends.
    expect((await t.api('POST', `/api/cycles/${cycleId}/cancel`, await t.login('gd.tranminh'), { reason: 'thử' })).status).toBe(403)
    const cancelled = await t.api('POST', `/api/cycles/${cycleId}/cancel`, admin, { reason: 'Khai báo nhầm kỳ đánh giá' })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.status).toBe('CANCELLED')
    const list = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, admin)).body
    expect(new Set(list.map((e: { stage: string }) => e.stage))).toEqual(new Set(['CANCELLED']))
    const staffId = list.find((e: { id: number }) => e.id === mine.id).staffId
    await eventually(async () => (await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, staffId)).describe()).status.name === 'COMPLETED', 30_000, 'workflow completed')
    expect((await t.api('POST', `/api/evaluations/${mine.id}/approve`, await t.login('tp.phamlan'), {})).status).toBe(409)
    expect((await t.api('POST', `/api/cycles/${cycleId}/cancel`, admin, { reason: 'lần hai' })).status).toBe(409)
  })

  it('launches page by page, and continues the cycle workflow as new once a run has taken its share of Updates', async () => {
    const cycleId = await launchCycle(t.system.db, t.system.client, t.config.taskQueue, { name: 'Quý II/2026 (thử lô nhỏ)', periodKind: 'quarter', periodStart: '2026-04-01', periodEnd: '2026-06-30', ruleSetId: 1, unitIds: [cchc] }, 1, {
      launchPageSize: 3,
      updatesPerRun: 1,
    })
    const handle = t.system.client.workflow.getHandle(cycleWorkflowId(cycleId))
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 30_000, 'open')
    const evaluations = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, admin)).body
    expect(evaluations).toHaveLength(8)
    for (const e of evaluations) {
      expect((await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, e.staffId)).describe()).status.name).toBe('RUNNING')
    }

    // One leadership Update (refused: nothing awaits sign-off yet) fills this run's share: the next run takes over.
    const director = (await t.api('GET', '/api/me', await t.login('gd.tranminh'))).body
    const refused = await handle.executeUpdate(returnUnitUpdate, { args: [{ actor: { id: director.id, roles: director.roles }, unitId: cchc, reason: 'Chưa đủ hồ sơ' }] }).catch(toApiError)
    expect(refused).toMatchObject({ status: 409, code: 'UNIT_NOT_READY' })
    const continued = await eventually(async () => {
      const runs: string[] = []
      for await (const w of t.system.client.workflow.list({ query: `WorkflowId = '${cycleWorkflowId(cycleId)}'` })) runs.push(w.status.name)
      return runs.includes('CONTINUED_AS_NEW') ? runs : undefined
    }, 10_000, 'visibility of the continued run')
    expect(continued.filter((s) => s === 'CONTINUED_AS_NEW')).toHaveLength(1)
    expect((await handle.describe()).status.name).toBe('RUNNING')
    expect(await handle.query(cycleStateQuery)).toMatchObject({ launched: true, status: 'OPEN', signedOffUnitIds: [] })
    // The new run still acts: cancelling ends every evaluation.
    expect((await t.api('POST', `/api/cycles/${cycleId}/cancel`, admin, { reason: 'Dọn dẹp sau kiểm thử' })).status).toBe(200)
    const stages = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}`, admin)).body.map((e: { stage: string }) => e.stage)
    expect(new Set(stages)).toEqual(new Set(['CANCELLED']))
  })

  it('runs a unit through to classified results', async () => {
    const res = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 12/2026', periodKind: 'month', periodStart: '2026-12-01', periodEnd: '2026-12-31', ruleSetId: 1, unitIds: [cchc] })
    expect(res.status).toBe(201)
    const cycleId = res.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 30_000, 'open')
    const usernames = ['tp.phamlan', 'cvc.luongtuan', 'cv.maiphuong', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson']
    for (const [i, u] of usernames.entries()) {
      const token = await t.login(u)
      const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, token)).body.find((x: { stage: string }) => x.stage === 'SELF_ASSESSMENT')
      expect((await t.api('PUT', `/api/evaluations/${own.id}/self-assessment`, token, { data: doc(9 - (i % 3), 10 - i) })).status).toBe(200)
      if (u !== 'cv.lyson') {
        expect((await t.api('POST', `/api/evaluations/${own.id}/submit`, token)).status).toBe(200)
        continue
      }
      // An Update straight to the workflow (no API in between): when it answers, the read model already shows it.
      const me = (await t.api('GET', '/api/me', token)).body
      const recorded = await t.system.client.workflow
        .getHandle(evaluationWorkflowId(cycleId, me.id))
        .executeUpdate(submitUpdate, { args: [{ actor: { id: me.id, roles: me.roles }, data: doc(9 - (i % 3), 10 - i) }] })
      expect(recorded).toMatchObject({ action: 'submit', from: 'SELF_ASSESSMENT', to: 'UNIT_REVIEW', version: 2, round: 1 })
      const stored = (await t.api('GET', `/api/evaluations/${own.id}`, token)).body
      expect(stored).toMatchObject({ stage: 'UNIT_REVIEW', version: 2, rounds: [{ round: 1, outcome: null }] })
      expect(stored.total).toBeGreaterThan(0)
      const audit = (await t.api('GET', `/api/evaluations/${own.id}/audit`, token)).body
      expect(audit.map((a: { action: string; toStage: string }) => `${a.action}:${a.toStage}`)).toEqual(['save:SELF_ASSESSMENT', 'submit:UNIT_REVIEW'])
    }
    const head = await t.login('tp.phamlan')
    const inbox = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, head)).body
    expect(inbox).toHaveLength(7)
    for (const e of inbox) expect((await t.api('POST', `/api/evaluations/${e.id}/approve`, head, {})).status).toBe(200)
    const director = await t.login('gd.tranminh')
    const [headEval] = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, director)).body
    expect((await t.api('POST', `/api/evaluations/${headEval.id}/approve`, director, { adjustments: { leader: { unitPlanScore: 95 } } })).status).toBe(200)
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, director)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 30_000, 'classified')
    const { results } = (await t.api('GET', `/api/cycles/${cycleId}/results`, admin)).body
    expect(results).toHaveLength(8)
    expect(results.map((r: { rankInUnit: number }) => r.rankInUnit)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(results.filter((r: { finalLevel: string }) => r.finalLevel === 'HTXS').length).toBeLessThanOrEqual(1)
    const notes = (await t.api('GET', '/api/notifications', await t.login('cv.lyson'))).body
    expect(notes[0]).toMatchObject({ kind: 'RESULT' })
    expect(notes[0].message).toMatch(/xếp thứ 8 trong đơn vị/)
    // A simulation on the embedded database (one connection, a repeatable-read snapshot, pages of 3): the cycle's own rule set changes no one.
    const same = await t.api('POST', '/api/rulesets/1/simulate', admin, { cycleId })
    expect(same.status, JSON.stringify(same.body).slice(0, 300)).toBe(200)
    expect(same.body.summary).toEqual({ evaluations: 8, scored: 8, skipped: 0, up: 0, down: 0 })
    const cycle = await t.system.db.selectFrom('cycles').select('ruleset_id').where('id', '=', cycleId).executeTakeFirstOrThrow()
    const ruleSet = (await findRuleSet(t.system.db, cycle.ruleset_id))!
    const paged = await simulateCycle(t.system.db, ruleSet, ruleSet, cycleId, { pageSize: 3 })
    expect(paged.evaluations.every((e) => e.change === 'same' && e.before !== null && e.before.finalLevel === e.after?.finalLevel)).toBe(true)
    expect(new Map(paged.evaluations.map((e) => [e.evaluationId, e.before?.finalLevel]))).toEqual(new Map(results.map((r: { evaluationId: number; finalLevel: string }) => [r.evaluationId, r.finalLevel])))
  })
})
