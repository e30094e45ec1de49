import { condition, proxyActivities, workflowInfo } from '@temporalio/workflow'
import type { createNationalDbActivities } from './national-db.activities.js'

type Activities = ReturnType<typeof createNationalDbActivities>

export interface NationalDbSyncInput {
  cycleId: number
}

/** Database steps: retried briefly. */
const local = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } })
/** A batch to the receiver: HTTP errors and timeouts retried with back-off (1 s doubling, at most 5 min apart), without limit. */
const remote = proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } })

/**
 * Delivers a classified cycle's results to the national database: builds the records, sends the
 * pending ones batch by batch until none is left (a refused record waits for its correction and a
 * new run), and raises an alert if that is not done by the due date (3 working days after the
 * results locked). A new run after a correction sends only what is pending again: never a record
 * twice.
 */
export async function nationalDbSyncWorkflow(input: NationalDbSyncInput): Promise<{ sent: number; refused: number; invalid: number; pending: number }> {
  const { dueAt } = await local.prepareNationalDbRecords(input.cycleId)
  let done = false
  const watch = (async () => {
    const left = dueAt - Date.now()
    if (left > 0 && (await condition(() => done, left))) return
    if (!done) await local.alertNationalDbOverdue(input.cycleId)
  })()
  const run = workflowInfo().runId
  for (let seq = 1; ; seq++) {
    const batch = await remote.sendNationalDbBatch({ cycleId: input.cycleId, batchKey: `${run}:${seq}` })
    if (batch.claimed === 0) break
  }
  done = true
  const counts = await local.finishNationalDbSync(input.cycleId)
  await watch
  return counts
}
