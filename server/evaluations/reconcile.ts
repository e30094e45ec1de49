import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client'
import { evaluationStateQuery, evaluationWorkflowId } from '../../workflows/definitions.js'
import { appendAudit } from '../audit/audit.repo.js'
import { cycleWorkflowExists, startCycleWorkflow } from '../cycles/cycle.service.js'
import type { Db } from '../db/database.js'
import { isLedgerOf, projectTransition, raiseAlert } from './transition.projection.js'

export interface ReconcileReport {
  checked: number
  /** Transitions the workflow recorded that the read model lacked, now written. */
  repaired: { evaluationId: number; fromVersion: number; toVersion: number }[]
  /** Differences the reconciler cannot repair; each is also an open projection alert. */
  reported: { evaluationId: number; problem: string }[]
  /** Cycles whose launch was written but whose workflow never started (the API stopped in between), started now. */
  launchesResumed: number[]
}

/** How long a cycle may stay LAUNCHING without its workflow before the reconciler starts it (a province's rows take a minute to write). */
export const LAUNCH_GRACE_MS = 10 * 60_000

const PAGE = 500
const CONCURRENCY = 16

/**
 * Compares each open evaluation's workflow (stage, version, recorded transitions) with the read
 * model and its ledger: writes what the read model lacks, in order, and reports what it cannot
 * repair (a different transition at a version, a read model ahead of its workflow, no workflow).
 * Given the task queue, it first starts the workflow of a launch left without one. Run at worker
 * start and by `npm run reconcile`; safe beside live traffic (projection is exactly-once).
 */
export async function reconcile(db: Db, client: Client, options: { cycleId?: number; taskQueue?: string } = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, repaired: [], reported: [], launchesResumed: [] }
  if (options.taskQueue) report.launchesResumed = await resumeLaunches(db, client, options.taskQueue, options.cycleId)
  let after = 0
  for (;;) {
    let q = db
      .selectFrom('evaluations as e')
      .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
      .select(['e.id', 'e.cycle_id', 'e.staff_id', 'e.stage', 'e.version'])
      .where('c.status', '!=', 'LAUNCHING')
      .where('e.stage', 'not in', ['CLASSIFIED', 'CANCELLED'])
      .where('e.id', '>', after)
      .orderBy('e.id')
      .limit(PAGE)
    if (options.cycleId) q = q.where('e.cycle_id', '=', options.cycleId)
    const rows = await q.execute()
    if (!rows.length) return report
    after = rows.at(-1)!.id
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
        while (next < rows.length) await check(rows[next++]!)
      }),
    )
  }

  async function check(row: { id: number; cycle_id: number; staff_id: number; stage: string; version: number }): Promise<void> {
    report.checked++
    const problem = async (text: string, version: number) => {
      report.reported.push({ evaluationId: row.id, problem: text })
      await raiseAlert(db, { evaluationId: row.id, version }, 'RECONCILE', text)
    }
    let wf
    try {
      wf = await client.workflow.getHandle(evaluationWorkflowId(row.cycle_id, row.staff_id)).query(evaluationStateQuery)
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return problem('no workflow for this evaluation', row.version)
      throw err
    }
    if (wf.version < row.version) return problem(`read model at v${row.version} is ahead of its workflow (v${wf.version})`, row.version)
    if (wf.version === row.version) {
      const last = wf.transitions[row.version - 1]
      if (!last) return
      const ledger = await db.selectFrom('evaluation_transitions').select('hash').where('evaluation_id', '=', row.id).where('version', '=', row.version).executeTakeFirst()
      if (!isLedgerOf(ledger?.hash, last)) return problem(`v${row.version} in the read model is not the transition the workflow recorded`, row.version)
      if (wf.stage !== row.stage) return problem(`stage ${row.stage} in the read model, ${wf.stage} in the workflow`, row.version)
      return
    }
    for (const t of wf.transitions.slice(row.version)) {
      if ((await projectTransition(db, t)) === 'conflict') return problem(`v${t.version} conflicts with the read model`, t.version)
    }
    report.repaired.push({ evaluationId: row.id, fromVersion: row.version, toVersion: wf.version })
  }
}

/**
 * Cycles written LAUNCHING longer than the grace ago whose workflow does not exist: the API wrote
 * the launch and stopped before starting it. Their rows are whole (one transaction), so starting
 * the workflow now completes the launch; a cycle whose workflow Temporal cannot look up is left
 * to the next run.
 */
async function resumeLaunches(db: Db, client: Client, taskQueue: string, cycleId?: number): Promise<number[]> {
  let q = db.selectFrom('cycles').select(['id', 'unit_ids']).where('status', '=', 'LAUNCHING').where('created_at', '<', new Date(Date.now() - LAUNCH_GRACE_MS)).orderBy('id')
  if (cycleId) q = q.where('id', '=', cycleId)
  const resumed: number[] = []
  for (const cycle of await q.execute()) {
    if ((await cycleWorkflowExists(client, cycle.id)) !== false) continue
    try {
      await startCycleWorkflow(client, taskQueue, { cycleId: cycle.id, unitIds: cycle.unit_ids })
    } catch (err) {
      // One cycle's failed start leaves the others (and the rest of the reconciliation) to go on; the next sweep tries again.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        console.warn(`Reconciler: could not start the workflow of cycle ${cycle.id} (${String(err)}); the next sweep tries again`)
        continue
      }
    }
    await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: String(cycle.id), action: 'launchResumed', reason: 'Quy trình của kỳ chưa được khởi động; bộ đối soát khởi động lại. / The launch was written but its workflow never started; the reconciler started it.', idempotency_key: `cycle:${cycle.id}:launchResumed` })
    resumed.push(cycle.id)
  }
  return resumed
}

const logResumed = (cycles: number[]) => {
  if (cycles.length) console.warn(`Reconciler: started the workflow of launch(es) left without one: cycle ${cycles.join(', ')}`)
}

/**
 * The reconciler as a worker runs it when it starts: in the background, its findings logged, its
 * failure never fatal. Then, every half grace, the launch sweep alone (one query while nothing is
 * stuck): a launch an API left without its workflow starts within 15 minutes, no restart needed.
 */
export function reconcileInBackground(db: Db, client: Client, taskQueue: string, delayMs = 2000): () => void {
  const first = setTimeout(() => {
    reconcile(db, client, { taskQueue }).then(
      (r) => {
        logResumed(r.launchesResumed)
        if (r.repaired.length || r.reported.length) console.warn(`Reconciler: ${r.checked} checked, ${r.repaired.length} repaired, ${r.reported.length} reported`, r.reported.slice(0, 20))
      },
      (err: unknown) => console.warn(`Reconciler: not run (${String(err)}); run \`npm run reconcile\` once the system is up`),
    )
  }, delayMs).unref()
  const sweep = setInterval(() => {
    resumeLaunches(db, client, taskQueue).then(logResumed, (err: unknown) => console.warn(`Reconciler: launch sweep not run (${String(err)}); it runs again in ${LAUNCH_GRACE_MS / 120_000} minutes`))
  }, LAUNCH_GRACE_MS / 2).unref()
  return () => {
    clearTimeout(first)
    clearInterval(sweep)
  }
}
