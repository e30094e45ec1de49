import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client'
import type { NationalDbSyncInput } from '../../workflows/national-db.workflow.js'

/** Workflow id of a cycle's delivery: one at a time per cycle, so a repeated start is a no-op. */
export const nationalDbWorkflowId = (cycleId: number) => `national-db:${cycleId}`

/**
 * Starts a cycle's delivery to the national database, idempotently: while one runs, another start
 * is a no-op (`started: false`); after it ended, a new run sends what is pending again (corrected
 * records) and nothing already sent.
 */
export async function startNationalDbSync(client: Client, taskQueue: string, cycleId: number): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = nationalDbWorkflowId(cycleId)
  try {
    const args: [NationalDbSyncInput] = [{ cycleId }]
    await client.workflow.start('nationalDbSyncWorkflow', { taskQueue, workflowId, args })
    return { workflowId, started: true }
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false }
    throw err
  }
}
