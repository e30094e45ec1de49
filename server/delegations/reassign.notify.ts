import type { Reassignment } from '../../workflows/stages.js'
import type { Db } from '../db/database.js'

/**
 * After a reassignment the person named learns which evaluation now awaits them and why.
 * Idempotent per version (a retried activity writes nothing twice).
 */
export async function notifyReassigned(db: Db, req: { evaluationId: number; version: number; reassign: Reassignment; reason: string }): Promise<void> {
  const ev = await db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 's.full_name'])
    .where('e.id', '=', req.evaluationId)
    .executeTakeFirstOrThrow()
  const [vi, en] =
    req.reassign.role === 'reviewer'
      ? [`Bạn được giao nhận xét bản đánh giá của ${ev.full_name}: ${req.reason}`, `You now review the evaluation of ${ev.full_name}: ${req.reason}`]
      : [`Bạn được giao ký duyệt bản đánh giá của ${ev.full_name}: ${req.reason}`, `You now sign off the evaluation of ${ev.full_name}: ${req.reason}`]
  await db
    .insertInto('notifications')
    .values({ recipient_id: req.reassign.staffId, evaluation_id: ev.id, kind: 'REASSIGNED', message_vi: vi, message_en: en, idempotency_key: `REASSIGNED:${ev.id}:v${req.version}` })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}
