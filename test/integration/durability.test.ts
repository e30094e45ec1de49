import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createSession } from '../../server/auth/session.js'
import { cycleWorkflowId } from '../../workflows/definitions.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { assessment, general } from '../support/documents.js'
import { kill9, startWorker, type ProductProcess } from '../support/topology.js'

const STAFF = 300
const CONCURRENCY = 20

/** Runs `task` over items with bounded concurrency; calls `onDone` after each. */
async function pool<T>(items: T[], task: (item: T) => Promise<void>, onDone: (done: number) => Promise<void> | void): Promise<void> {
  let next = 0
  let done = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++]!
        await task(item)
        await onDone(++done)
      }
    }),
  )
}

describe('durability: the worker is SIGKILLed in the middle of a cycle of a few hundred evaluations', () => {
  let t: TestSystem
  let worker: ProductProcess
  let admin: string
  let cycleId: number
  let unitId: number
  const tokens = new Map<number, string>()
  let evaluations: { id: number; staffId: number }[] = []

  /**
   * An action as a careful client sends it: with an Idempotency-Key, repeated while the answer is
   * 503 (an Update caught on the killed worker waits for its task to time out and run elsewhere, or
   * is aborted before it was accepted — nothing changed — and the repeat goes through).
   * Returns the final status and the codes of the 503s met on the way.
   */
  const action = async (path: string, token: string, body?: unknown): Promise<{ status: number; waited: string[] }> => {
    const key = `durability-${path}`
    const waited: string[] = []
    for (;;) {
      const res = await t.system.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, ...(body ? { body: JSON.stringify(body) } : {}) })
      if (res.status !== 503 || waited.length >= 5) return { status: res.status, waited }
      waited.push(((await res.json()) as { error: { code: string } }).error.code)
    }
  }

  /** Kills the worker once `done` reaches `at`, and starts a fresh one a moment later. */
  const killAt = (at: number) => {
    let restarted: Promise<void> | undefined
    return {
      onDone: (done: number) => {
        if (done === at) {
          restarted = (async () => {
            await kill9(worker)
            await new Promise((r) => setTimeout(r, 1000))
            worker = await startWorker(t, 'worker')
          })()
        }
      },
      wait: () => restarted,
    }
  }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'durability', worker: false })
    admin = await t.login('admin')
    expect((await t.api('POST', '/api/units', admin, { code: 'KT', name: 'Phòng Kiểm tra', parentCode: 'SNV' })).status).toBe(201)
    const rows = ['username,fullName,unitCode,positionCode,roles,email', 'tp.kiemtra,Trưởng phòng Kiểm tra,KT,TP,unit_head;staff,']
    for (let i = 1; i < STAFF; i++) rows.push(`cv.kt${i},Chuyên viên Kiểm tra ${i},KT,CV,staff,`)
    const imported = await t.api('POST', '/api/staff/import', admin, rows.join('\n'))
    expect(imported.status).toBe(201)
    expect(imported.body.created).toBe(STAFF)
    unitId = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'KT').id
    worker = await startWorker(t, 'worker')
  })
  afterAll(async () => {
    if (worker) await kill9(worker)
    await t?.stop()
  })

  it('launches the cycle and every evaluation workflow', async () => {
    const res = await t.api('POST', '/api/cycles', admin, { name: 'Kiểm tra độ bền', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId: 1, unitIds: [unitId], durations: { petitionSeconds: 2 } })
    expect(res.status).toBe(201)
    cycleId = res.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 120_000, 'cycle open')
    evaluations = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&limit=500`, admin)).body
    expect(evaluations).toHaveLength(STAFF)
    for (const e of evaluations) {
      tokens.set(e.staffId, (await createSession(t.system.db, e.staffId)).token)
      const data = { general: general(8), assessment, products: [{ code: 'B01', k: 1, assigned: 10, done: 8 + (e.staffId % 3), qualityFailures: 0, delays: 0, reason: 'Theo kế hoạch công tác' }] }
      expect((await t.api('PUT', `/api/evaluations/${e.id}/self-assessment`, tokens.get(e.staffId), { data })).status).toBe(200)
    }
  })

  it('loses no submission and applies none twice across a worker SIGKILL', async () => {
    const kill = killAt(100)
    const statuses: number[] = []
    const waits: string[] = []
    await pool(
      evaluations,
      async (e) => {
        const res = await action(`/api/evaluations/${e.id}/submit`, tokens.get(e.staffId)!)
        statuses.push(res.status)
        waits.push(...res.waited)
      },
      kill.onDone,
    )
    await kill.wait()
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(waits.filter((code) => code !== 'WORKFLOW_TIMEOUT' && code !== 'WORKFLOW_FAILED')).toEqual([])
    const stages = await t.system.db.selectFrom('evaluations').select(['stage', sql<number>`count(*)::int`.as('n')]).where('cycle_id', '=', cycleId).groupBy('stage').execute()
    expect(stages).toEqual([{ stage: 'UNIT_REVIEW', n: STAFF }])
    const perEvaluation = await t.system.db
      .selectFrom('audit_events')
      .select(['entity_id', sql<number>`count(*)::int`.as('n')])
      .where('entity', '=', 'evaluation')
      .where('action', '=', 'submit')
      .where('entity_id', 'in', evaluations.map((e) => String(e.id)))
      .groupBy('entity_id')
      .execute()
    expect(perEvaluation).toHaveLength(STAFF)
    expect(perEvaluation.every((r) => r.n === 1)).toBe(true)
  })

  it('completes review, sign-off and classification across a second SIGKILL', async () => {
    const head = evaluations.find((e) => e.staffId === Math.min(...evaluations.map((x) => x.staffId)))!
    const headToken = tokens.get(head.staffId)!
    const staff = evaluations.filter((e) => e !== head)
    const kill = killAt(120)
    const statuses: number[] = []
    const waits: string[] = []
    await pool(
      staff,
      async (e) => {
        const res = await action(`/api/evaluations/${e.id}/approve`, headToken, {})
        statuses.push(res.status)
        waits.push(...res.waited)
      },
      kill.onDone,
    )
    await kill.wait()
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(waits.filter((code) => code !== 'WORKFLOW_TIMEOUT' && code !== 'WORKFLOW_FAILED')).toEqual([])
    const director = await t.login('gd.tranminh')
    expect((await t.api('POST', `/api/evaluations/${head.id}/approve`, director, { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${unitId}/sign-off`, director)).status).toBe(200)
    await kill9(worker)
    worker = await startWorker(t, 'worker')
    // Published, the petition window (2 s here) passes with no petition, and the results lock.
    expect(await t.system.client.workflow.getHandle(cycleWorkflowId(cycleId)).result()).toBe('LOCKED')
    expect((await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status).toBe('CLASSIFIED')

    const actions = await t.system.db
      .selectFrom('audit_events')
      .select(['action', sql<number>`count(*)::int`.as('n')])
      .where('entity', '=', 'evaluation')
      .where('entity_id', 'in', evaluations.map((e) => String(e.id)))
      .groupBy('action')
      .orderBy('action')
      .execute()
    expect(actions).toEqual([
      { action: 'approve', n: STAFF },
      { action: 'classify', n: STAFF },
      { action: 'save', n: STAFF },
      { action: 'signOff', n: STAFF },
      { action: 'submit', n: STAFF },
    ])
    const { results } = (await t.api('GET', `/api/cycles/${cycleId}/results?limit=500`, admin)).body
    expect(results).toHaveLength(STAFF)
    expect(new Set(results.map((r: { rankInCycle: number }) => r.rankInCycle)).has(1)).toBe(true)
  })
})
