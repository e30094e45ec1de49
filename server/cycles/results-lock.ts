import type { Client } from '@temporalio/client'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { checkSendable } from '../integrations/national-db.repo.js'
import { startNationalDbSync } from '../integrations/national-db.start.js'
import { notifyAdmins } from '../notifications/notification.repo.js'

/**
 * Locks a cycle's results once its petition window has closed, every petition is answered and every
 * reopened unit is classified again; then starts the delivery to the national database, or, when it
 * cannot start yet (no decision number entered), tells the admins instead. Idempotent.
 */
export async function lockResults(db: Db, client: Client, taskQueue: string, cycleId: number): Promise<{ lockedAt: string; nationalDb: 'started' | 'already' | 'waiting' }> {
  const lockedAt = await db.transaction().execute(async (trx) => {
    await trx.updateTable('cycles').set({ results_locked_at: new Date() }).where('id', '=', cycleId).where('results_locked_at', 'is', null).execute()
    const { results_locked_at } = await trx.selectFrom('cycles').select('results_locked_at').where('id', '=', cycleId).executeTakeFirstOrThrow()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'lockResults', reason: null, data: { lockedAt: results_locked_at!.toISOString() }, idempotency_key: `cycle:${cycleId}:lock` })
    return results_locked_at!
  })
  try {
    await checkSendable(db, cycleId)
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409) throw err
    await notifyAdmins(db, {
      cycleId,
      kind: 'NATIONAL_DB_PENDING',
      vi: `Kết quả kỳ đánh giá #${cycleId} đã khóa nhưng chưa gửi được lên CSDL quốc gia: ${err.vi}`,
      en: `The results of cycle #${cycleId} are locked but cannot be sent to the national database yet: ${err.en}`,
      key: `NATIONAL_DB_PENDING:${cycleId}`,
    })
    return { lockedAt: lockedAt.toISOString(), nationalDb: 'waiting' }
  }
  const { started } = await startNationalDbSync(client, taskQueue, cycleId)
  return { lockedAt: lockedAt.toISOString(), nationalDb: started ? 'started' : 'already' }
}
