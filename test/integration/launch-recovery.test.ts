import { WorkflowFailedError, type Client } from '@temporalio/client'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { launchCycle, launchInput, startCycleWorkflow } from '../../server/cycles/cycle.service.js'
import { LAUNCH_GRACE_MS, reconcile, reconcileInBackground } from '../../server/evaluations/reconcile.js'
import { ApiError } from '../../server/errors.js'
import { cycleWorkflowId, evaluationWorkflowId } from '../../workflows/definitions.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * A launch is written in one transaction, then its cycle workflow is started. The two can come
 * apart: the start's answer lost after Temporal started it, or the API stopped between the two.
 * Neither may leave a cycle stuck (LAUNCHING for ever, or a workflow retrying on rows removed).
 */
describe('a launch whose workflow start comes apart from its rows', () => {
  let t: TestSystem
  let units: number[]

  /** The system's client, its `workflow.start` replaced by `start` (a fault between the API and Temporal). */
  const withStart = (start: (real: Client['workflow']['start'], ...args: Parameters<Client['workflow']['start']>) => ReturnType<Client['workflow']['start']>): Client => {
    const real = t.system.client.workflow
    const workflow = new Proxy(real, { get: (target, key) => (key === 'start' ? (...args: Parameters<Client['workflow']['start']>) => start(real.start.bind(real), ...args) : Reflect.get(target, key, target) as unknown) })
    return new Proxy(t.system.client, { get: (target, key) => (key === 'workflow' ? workflow : (Reflect.get(target, key, target) as unknown)) })
  }
  const input = (name: string, unitId: number, month = '09') => launchInput.parse({ name, periodKind: 'month', periodStart: `2026-${month}-01`, periodEnd: `2026-${month}-28`, ruleSetId: 1, unitIds: [unitId] })
  const cycleOf = (id: number) => t.system.db.selectFrom('cycles').select(['id', 'status']).where('id', '=', id).executeTakeFirst()
  const auditOf = (id: number) => t.system.db.selectFrom('audit_events').select('action').where('entity', '=', 'cycle').where('entity_id', '=', String(id)).orderBy('id').execute()

  let started = 0

  beforeAll(async () => {
    t = await startTestSystem({ label: 'launch' })
    started = Date.now()
    const admin = await t.login('admin')
    units = ((await t.api('GET', '/api/units?limit=500', admin)).body as { id: number; parentId: number | null }[]).filter((u) => u.parentId !== null).map((u) => u.id)
  })
  afterAll(async () => t?.stop())

  it('keeps the launch when the start reached Temporal but its answer was lost', async () => {
    const lost = withStart(async (start, ...args) => {
      await start(...args)
      throw new Error('14 UNAVAILABLE: the answer was lost')
    })
    const cycleId = await launchCycle(t.system.db, lost, t.config.taskQueue, input('Mất trả lời', units[0]!), 1)
    await eventually(async () => ((await cycleOf(cycleId))?.status === 'OPEN' ? true : undefined), 60_000, 'cycle open')
    const evaluations = await t.system.db.selectFrom('evaluations').select(['staff_id']).where('cycle_id', '=', cycleId).execute()
    expect(evaluations.length).toBeGreaterThan(0)
    await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, evaluations[0]!.staff_id)).describe()
    expect((await auditOf(cycleId)).map((a) => a.action)).not.toContain('launchFailed')
  })

  it('starts, from the reconciler, the workflow of a launch written by an API that stopped before starting it', async () => {
    // The API writes the launch, then never gets to start the workflow (it stopped).
    const stopped = withStart(() => new Promise(() => {}))
    void launchCycle(t.system.db, stopped, t.config.taskQueue, input('API dừng', units[1]!), 1)
    const cycleId = await eventually(async () => (await t.system.db.selectFrom('cycles').select('id').where('name', '=', 'API dừng').executeTakeFirst())?.id, 30_000, 'launch written')
    expect((await cycleOf(cycleId))?.status).toBe('LAUNCHING')
    // Within the grace a launch may still be on its way: left alone.
    expect((await reconcile(t.system.db, t.system.client, { taskQueue: t.config.taskQueue, cycleId })).launchesResumed).toEqual([])
    // (created_at is never updated by the product: the test moves it back past the grace.)
    await sql`update cycles set created_at = ${new Date(Date.now() - LAUNCH_GRACE_MS - 60_000)} where id = ${cycleId}`.execute(t.system.db)
    expect((await reconcile(t.system.db, t.system.client, { taskQueue: t.config.taskQueue, cycleId })).launchesResumed).toEqual([cycleId])
    await eventually(async () => ((await cycleOf(cycleId))?.status === 'OPEN' ? true : undefined), 60_000, 'cycle open')
    // Once running, nothing more to resume; the audit says what the reconciler did, once.
    expect((await reconcile(t.system.db, t.system.client, { taskQueue: t.config.taskQueue, cycleId })).launchesResumed).toEqual([])
    expect((await auditOf(cycleId)).filter((a) => a.action === 'launchResumed')).toHaveLength(1)
    const evaluations = await t.system.db.selectFrom('evaluations').select(['staff_id']).where('cycle_id', '=', cycleId).execute()
    expect(evaluations.length).toBeGreaterThan(0)
    for (const e of evaluations) await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, e.staff_id)).describe()
  })

  it("starts a stuck launch's workflow from a worker's periodic sweep, with no restart", async () => {
    // The test system's own reconciler ran once, 2 s after its start: this launch is left to the sweep alone.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 5000 - Date.now())))
    void launchCycle(t.system.db, withStart(() => new Promise(() => {})), t.config.taskQueue, input('Quét định kỳ', units[2]!), 1)
    const cycleId = await eventually(async () => (await t.system.db.selectFrom('cycles').select('id').where('name', '=', 'Quét định kỳ').executeTakeFirst())?.id, 30_000, 'launch written')
    await sql`update cycles set created_at = ${new Date(Date.now() - LAUNCH_GRACE_MS - 60_000)} where id = ${cycleId}`.execute(t.system.db)
    // The sweep's clock only: the first full reconcile (an hour away here) never runs in this test.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const stop = reconcileInBackground(t.system.db, t.system.client, t.config.taskQueue, 3_600_000)
      vi.advanceTimersByTime(LAUNCH_GRACE_MS / 2)
      await eventually(async () => ((await cycleOf(cycleId))?.status === 'OPEN' ? true : undefined), 60_000, 'cycle open after the sweep')
      stop()
    } finally {
      vi.useRealTimers()
    }
    expect((await auditOf(cycleId)).filter((a) => a.action === 'launchResumed')).toHaveLength(1)
  })

  it('keeps a launch pending (503 LAUNCH_PENDING, rows kept) when Temporal can say neither way, and the reconciler completes it', async () => {
    // The start fails and the lookup too: Temporal may or may not have started it.
    const unreachable = withStart(() => Promise.reject(new Error('14 UNAVAILABLE: connection lost')))
    const real = unreachable.workflow
    const lookups = new Proxy(real, { get: (target, key) => (key === 'getHandle' ? () => ({ describe: () => Promise.reject(new Error('14 UNAVAILABLE: no connection')) }) : (Reflect.get(target, key, target) as unknown)) })
    const blind = new Proxy(unreachable, { get: (target, key) => (key === 'workflow' ? lookups : (Reflect.get(target, key, target) as unknown)) })
    const refused = await launchCycle(t.system.db, blind, t.config.taskQueue, input('Chờ Temporal', units[0]!, '10'), 1).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ status: 503, code: 'LAUNCH_PENDING' })
    const cycleId = ((refused as ApiError).details as { cycleId: number }).cycleId
    expect((await cycleOf(cycleId))?.status).toBe('LAUNCHING')
    expect((await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycleId).execute()).length).toBeGreaterThan(0)
    // Temporal answers again: the reconciler starts it past the grace.
    await sql`update cycles set created_at = ${new Date(Date.now() - LAUNCH_GRACE_MS - 60_000)} where id = ${cycleId}`.execute(t.system.db)
    expect((await reconcile(t.system.db, t.system.client, { taskQueue: t.config.taskQueue, cycleId })).launchesResumed).toEqual([cycleId])
    await eventually(async () => ((await cycleOf(cycleId))?.status === 'OPEN' ? true : undefined), 60_000, 'cycle open')
  })

  it('ends a cycle workflow whose launch was withdrawn (no cycle rows) with CYCLE_WITHDRAWN instead of retrying for ever', async () => {
    await startCycleWorkflow(t.system.client, t.config.taskQueue, { cycleId: 987_654, unitIds: [units[0]!] })
    const outcome = await t.system.client.workflow.getHandle(cycleWorkflowId(987_654)).result().catch((err: unknown) => err)
    expect(outcome).toBeInstanceOf(WorkflowFailedError)
    expect(JSON.stringify((outcome as WorkflowFailedError).cause?.cause ?? (outcome as WorkflowFailedError).cause)).toContain('CYCLE_WITHDRAWN')
  })
})
