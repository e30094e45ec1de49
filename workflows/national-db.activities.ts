import { ApplicationFailure } from '@temporalio/common'
import { Context } from '@temporalio/activity'
import type { NationalDbConfig } from '../server/config.js'
import type { Db } from '../server/db/database.js'
import { ApiError } from '../server/errors.js'
import { sendRecords } from '../server/integrations/national-db.adapter.js'
import { claimBatch, finishSync, markOverdue, prepareRecords, recordResults } from '../server/integrations/national-db.repo.js'

/** The national-database delivery's activities (merged into the worker's). */
export function createNationalDbActivities({ db, config }: { db: Db; config: NationalDbConfig }) {
  return {
    /** Builds the cycle's records (idempotent) and answers when delivery is due. */
    async prepareNationalDbRecords(cycleId: number): Promise<{ dueAt: number; pending: number }> {
      try {
        return await prepareRecords(db, cycleId, config.agencyCode)
      } catch (err) {
        if (err instanceof ApiError) throw ApplicationFailure.create({ type: err.code, message: err.en, nonRetryable: true })
        throw err
      }
    },

    /**
     * Sends one batch (claimed under `batchKey`; a retry resends the same records with the same key)
     * and records each answer. An unreachable or failing receiver throws: Temporal retries with back-off.
     */
    async sendNationalDbBatch(input: { cycleId: number; batchKey: string }): Promise<{ claimed: number; sent: number; refused: number; unanswered: number }> {
      const batch = await claimBatch(db, input.cycleId, input.batchKey, config.batchSize)
      if (!batch.length) return { claimed: 0, sent: 0, refused: 0, unanswered: 0 }
      const attempt = Context.current().info.attempt
      try {
        const results = await sendRecords(config, batch.map((b) => b.record), input.batchKey)
        return { claimed: batch.length, ...(await recordResults(db, input.cycleId, input.batchKey, batch, results)) }
      } catch (err) {
        if (attempt >= 5) Context.current().log.warn('national database still failing', { cycleId: input.cycleId, attempt, error: String(err) })
        throw err
      }
    },

    /** Closes the delivery when nothing is pending; answers the counts. */
    async finishNationalDbSync(cycleId: number): Promise<{ sent: number; refused: number; invalid: number; pending: number }> {
      return finishSync(db, cycleId)
    },

    /** The delivery missed its due date (3 working days): an ALERT log line; /api/health is degraded until it finishes. */
    async alertNationalDbOverdue(cycleId: number): Promise<void> {
      Context.current().log.error('ALERT: results not delivered to the national database within 3 working days', { cycleId })
      console.error(`ALERT: cycle ${cycleId}: results not delivered to the national database within 3 working days`)
      await markOverdue(db, cycleId)
    },
  }
}
