import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorker, bundleWorkflows } from '../../workflows/worker.js'
import { inconsistencies } from '../support/consistency.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { doc } from '../support/documents.js'

const historiesDir = resolve(import.meta.dirname, '../histories')

/** Every committed history of every release (test/histories/<release>/*.json), by workflow id and file. */
function recordedHistories(): { workflowId: string; history: unknown }[] {
  const releases = readdirSync(historiesDir, { withFileTypes: true }).filter((d) => d.isDirectory())
  return releases.flatMap((r) =>
    readdirSync(join(historiesDir, r.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ workflowId: `${r.name}/${f}`, history: JSON.parse(readFileSync(join(historiesDir, r.name, f), 'utf8')) })),
  )
}

describe('deploys never break a running cycle', () => {
  let current: WorkflowBundleWithSourceMap

  beforeAll(async () => {
    current = await bundleWorkflows()
  })

  it('replays the recorded history of every path of every release with the current workflow code', async () => {
    const histories = recordedHistories()
    // Every path is in the fixtures: the cycle's continue-as-new, timers (reminder, escalation), Updates of each kind, completion.
    const text = histories.map((h) => JSON.stringify(h.history)).join('\n')
    const missing = [
      ...['EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW', 'EVENT_TYPE_TIMER_FIRED', 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED', '"name":"notifyReturned"'],
      ...['save', 'submit', 'return', 'approve', 'leaderReturn', 'holdForSignOff', 'signOff', 'classify', 'cancel', 'returnUnit', 'signOffUnit', 'cancelCycle'].map((u) => `"name":"${u}"`),
    ].filter((marker) => !text.includes(marker))
    expect(missing).toEqual([])
    const failures: string[] = []
    let replayed = 0
    for await (const result of Worker.runReplayHistories({ workflowBundle: current }, histories)) {
      replayed++
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`)
    }
    expect(failures).toEqual([])
    expect(replayed).toBe(histories.length)
  })

  it('catches an unsafe change: the histories that took the new path do not replay on the v1 code', async () => {
    const v1Bundle = await bundleWorkflows(resolve(import.meta.dirname, '../fixtures/workflows-v1/workflows.ts'))
    const v2 = recordedHistories().filter((h) => h.workflowId.startsWith('v2/'))
    const withNewPath = v2.filter((h) => JSON.stringify(h.history).includes('"name":"notifyReturned"')).map((h) => h.workflowId)
    expect(withNewPath.length).toBeGreaterThan(0)
    const failed: string[] = []
    for await (const result of Worker.runReplayHistories({ workflowBundle: v1Bundle }, v2)) if (result.error) failed.push(result.workflowId)
    expect(failed.sort()).toEqual(withNewPath.sort())
    // Release v3 projects through a local activity (patched 'local-projection'): none of its evaluation histories is v1's.
    const v3 = recordedHistories().filter((h) => h.workflowId.startsWith('v3/evaluation-'))
    expect(v3.length).toBeGreaterThan(0)
    const v3Failed: string[] = []
    for await (const result of Worker.runReplayHistories({ workflowBundle: v1Bundle }, v3)) if (result.error) v3Failed.push(result.workflowId)
    expect(v3Failed.sort()).toEqual(v3.map((h) => h.workflowId).sort())
  })

  describe('a cycle started on release v1 finishes on the current worker (patched change: notify on return)', () => {
    let t: TestSystem
    let v1: Worker
    let v1Run: Promise<void>

    beforeAll(async () => {
      t = await startTestSystem({ label: 'replay', worker: false })
      const v1Bundle = await bundleWorkflows(resolve(import.meta.dirname, '../fixtures/workflows-v1/workflows.ts'))
      v1 = await createWorker({ connection: t.system.connection, namespace: t.config.temporalNamespace, taskQueue: t.config.taskQueue, db: t.system.db, client: t.system.client, bundle: v1Bundle })
      v1Run = v1.run()
    })
    afterAll(async () => {
      if (v1.getState() === 'RUNNING') v1.shutdown()
      await v1Run
      await t?.stop()
    })

    it('runs the old code up to a return, then the new worker takes over the same workflows to classified results', async () => {
      const admin = await t.login('admin')
      const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
      const launched = await t.api('POST', '/api/cycles', admin, { name: 'Nâng cấp giữa kỳ', periodKind: 'month', periodStart: '2026-10-01', periodEnd: '2026-10-31', ruleSetId: 1, unitIds: [cchc] })
      expect(launched.status).toBe(201)
      const cycleId = launched.body.id
      await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 30_000, 'open')
      const people = ['tp.phamlan', 'cvc.luongtuan', 'cv.maiphuong', 'cv.hoangnam', 'ptp.ngocha', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson']
      const ids = new Map<string, number>()
      for (const [i, who] of people.entries()) {
        const token = await t.login(who)
        const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, token)).body[0]
        ids.set(who, own.id)
        expect((await t.api('PUT', `/api/evaluations/${own.id}/self-assessment`, token, { data: doc(9 - (i % 3), 10 - i) })).status).toBe(200)
        expect((await t.api('POST', `/api/evaluations/${own.id}/submit`, token)).status).toBe(200)
      }
      const head = await t.login('tp.phamlan')
      const staff = await t.login('cv.maiphuong')
      expect((await t.api('POST', `/api/evaluations/${ids.get('cv.maiphuong')}/return`, head, { reason: 'Trả lại trên bản cũ' })).status).toBe(200)
      const returnedOnV1 = (await t.api('GET', '/api/notifications', staff)).body.filter((n: { kind: string }) => n.kind === 'RETURNED')
      expect(returnedOnV1).toEqual([])

      // The deploy: the old worker stops, a worker with the current code polls the same task queue.
      v1.shutdown()
      await v1Run
      const next = await createWorker({ connection: t.system.connection, namespace: t.config.temporalNamespace, taskQueue: t.config.taskQueue, db: t.system.db, client: t.system.client, bundle: current })
      const nextRun = next.run()
      try {
        expect((await t.api('PUT', `/api/evaluations/${ids.get('cv.maiphuong')}/self-assessment`, staff, { data: doc(9, 10) })).status).toBe(200)
        expect((await t.api('POST', `/api/evaluations/${ids.get('cv.maiphuong')}/submit`, staff)).status).toBe(200)
        expect((await t.api('POST', `/api/evaluations/${ids.get('cv.maiphuong')}/return`, head, { reason: 'Trả lại trên bản mới' })).status).toBe(200)
        const notified = await eventually(async () => {
          const list = (await t.api('GET', '/api/notifications', staff)).body.filter((n: { kind: string }) => n.kind === 'RETURNED')
          return list.length ? list : undefined
        }, 20_000, 'return notification from the new code')
        expect(notified).toHaveLength(1)
        expect(notified[0].message).toContain('Trả lại trên bản mới')
        expect((await t.api('PUT', `/api/evaluations/${ids.get('cv.maiphuong')}/self-assessment`, staff, { data: doc(9, 10) })).status).toBe(200)
        expect((await t.api('POST', `/api/evaluations/${ids.get('cv.maiphuong')}/submit`, staff)).status).toBe(200)
        for (const who of people.slice(1)) expect((await t.api('POST', `/api/evaluations/${ids.get(who)}/approve`, head, {})).status).toBe(200)
        const director = await t.login('gd.tranminh')
        expect((await t.api('POST', `/api/evaluations/${ids.get('tp.phamlan')}/approve`, director, { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)
        expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, director)).status).toBe(200)
        await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 30_000, 'classified on the new worker')
        expect(await inconsistencies(t, cycleId)).toEqual([])
      } finally {
        next.shutdown()
        await nextRun
      }
    })
  })
})
