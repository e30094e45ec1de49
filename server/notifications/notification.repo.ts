import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'

const LEVEL_VI: Record<string, string> = {
  HTXS: 'Hoàn thành xuất sắc nhiệm vụ',
  HTT: 'Hoàn thành tốt nhiệm vụ',
  HT: 'Hoàn thành nhiệm vụ',
  KHT: 'Không hoàn thành nhiệm vụ',
}

/** A reminder to the owner/reviewer before a deadline, or an escalation when it passes. Idempotent. */
export async function notifyEvaluation(
  db: Db,
  req: { evaluationId: number; kind: 'REMINDER' | 'OVERDUE'; phase: 'self' | 'review'; stage: string; version: number; parties?: { reviewerIds: number[]; signOffIds: number[] } },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Locked until this commits: a projection of the person's action waits, or has committed and is seen here
    // (read without the lock, the escalation could set "overdue" on an evaluation that had just moved on).
    const row = await trx.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids', 'sign_off_ids', 'version']).where('id', '=', req.evaluationId).forUpdate().executeTakeFirstOrThrow()
    if (row.version > req.version) return // the stage has moved on since the timer fired
    // The workflow's parties when it passes them (release v7: a reassignment may not be shown yet).
    const ev = req.parties ? { ...row, reviewer_ids: req.parties.reviewerIds, sign_off_ids: req.parties.signOffIds } : row
    const inSelf = req.stage === 'SELF_ASSESSMENT'
    const recipients =
      req.kind === 'REMINDER' ? (inSelf ? [ev.staff_id] : (ev.reviewer_ids)) : inSelf ? [ev.staff_id, ...(ev.reviewer_ids)] : (ev.sign_off_ids)
    const [vi, en] =
      req.kind === 'REMINDER'
        ? inSelf
          ? ['Sắp đến hạn nộp bản tự đánh giá.', 'The self-assessment is due soon.']
          : ['Sắp đến hạn nhận xét bản đánh giá.', 'The review is due soon.']
        : inSelf
          ? ['Bản tự đánh giá đã quá hạn nộp.', 'The self-assessment is overdue.']
          : ['Bản đánh giá đã quá hạn nhận xét của trưởng đơn vị.', "The unit head's review is overdue."]
    for (const recipient of recipients) {
      if (recipient === ev.staff_id) {
        await trx
          .insertInto('notifications')
          .values({ recipient_id: recipient, evaluation_id: ev.id, kind: req.kind, message_vi: vi, message_en: en, idempotency_key: `${req.kind}:${req.phase}:${ev.id}:v${req.version}:${recipient}` })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute()
      } else {
        // Reviewers and leaders get one digest per kind and day, however many people it concerns.
        await addToDigest(trx, recipient, ev.id, req.kind, req.phase)
      }
    }
    if (req.kind === 'OVERDUE') await trx.updateTable('evaluations').set({ overdue: true }).where('id', '=', ev.id).execute()
    await appendAudit(trx, {
      actor_id: null,
      entity: 'evaluation',
      entity_id: String(ev.id),
      action: req.kind === 'REMINDER' ? 'remind' : 'escalate',
      from_stage: req.stage,
      to_stage: req.stage,
      reason: null,
      data: { recipients },
      idempotency_key: `evaluation:${ev.id}:${req.kind}:${req.phase}:v${req.version}`,
    })
  })
}

const DIGEST_TEXT = {
  REMINDER: {
    self: (n: number) => [`${n} bản tự đánh giá trong đơn vị của bạn sắp đến hạn nộp.`, `${n} self-assessment(s) in your units are due soon.`],
    review: (n: number) => [`${n} bản đánh giá đang chờ bạn nhận xét sắp đến hạn.`, `${n} evaluation(s) waiting for your review are due soon.`],
  },
  OVERDUE: {
    self: (n: number) => [`${n} bản tự đánh giá trong đơn vị của bạn đã quá hạn nộp.`, `${n} self-assessment(s) in your units are overdue.`],
    review: (n: number) => [`${n} bản đánh giá đã quá hạn nhận xét của trưởng đơn vị.`, `${n} unit-head review(s) are overdue.`],
  },
} as const

/** The day in Vietnam (Asia/Ho_Chi_Minh) a digest belongs to. */
const vietnamDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at)

/**
 * Adds one evaluation to the recipient's digest of the day for this kind and phase: created on the
 * first, then its list grows (an evaluation already in it is not counted again) and its text says
 * how many. Unread again whenever it grows.
 */
async function addToDigest(db: Db, recipient: number, evaluationId: number, kind: 'REMINDER' | 'OVERDUE', phase: 'self' | 'review'): Promise<void> {
  const key = `DIGEST:${kind}:${phase}:${recipient}:${vietnamDay(new Date())}`
  const one = JSON.stringify([evaluationId])
  const row = await db
    .insertInto('notifications')
    .values({ recipient_id: recipient, evaluation_id: null, kind: `${kind}_DIGEST`, message_vi: '', message_en: '', idempotency_key: key, evaluation_ids: one })
    .onConflict((oc) =>
      oc.column('idempotency_key').doUpdateSet({
        evaluation_ids: sql`case when notifications.evaluation_ids @> ${one}::jsonb then notifications.evaluation_ids else notifications.evaluation_ids || ${one}::jsonb end`,
        read_at: sql`case when notifications.evaluation_ids @> ${one}::jsonb then notifications.read_at else null end`,
      }),
    )
    .returning(['id', sql<number>`jsonb_array_length(evaluation_ids)`.as('n')])
    .executeTakeFirstOrThrow()
  const [vi, en] = DIGEST_TEXT[kind][phase](row.n)
  await db.updateTable('notifications').set({ message_vi: vi, message_en: en }).where('id', '=', row.id).execute()
}

/** After a return: the owner (a head's return) or the unit head (a leadership return) learns why. Idempotent per version. */
export async function notifyReturned(db: Db, req: { evaluationId: number; version: number; action: 'return' | 'leaderReturn'; reason: string }): Promise<void> {
  const ev = await db.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids']).where('id', '=', req.evaluationId).executeTakeFirstOrThrow()
  const recipients = req.action === 'return' ? [ev.staff_id] : (ev.reviewer_ids)
  const [vi, en] =
    req.action === 'return'
      ? [`Bản tự đánh giá bị trả lại để hoàn thiện: ${req.reason}`, `Your self-assessment was returned for revision: ${req.reason}`]
      : [`Lãnh đạo trả lại bản đánh giá để xem xét lại: ${req.reason}`, `Leadership returned the evaluation for another review: ${req.reason}`]
  for (const recipient of recipients) {
    await db
      .insertInto('notifications')
      .values({ recipient_id: recipient, evaluation_id: ev.id, kind: 'RETURNED', message_vi: vi, message_en: en, idempotency_key: `RETURNED:${ev.id}:v${req.version}:${recipient}` })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
  }
}

/** Tells every evaluated person their final level and rank; the cycle is CLASSIFIED once they are told. */
export async function publishCycleResults(db: Db, cycleId: number, progress: (done: number) => void = () => {}): Promise<void> {
  const rows = await db.selectFrom('evaluations').select(['id', 'staff_id', 'final_level', 'total', 'rank_in_unit']).where('cycle_id', '=', cycleId).where('stage', '=', 'CLASSIFIED').execute()
  for (const [i, r] of rows.entries()) {
    if (i % 200 === 0) progress(i)
    const level = r.final_level ?? ''
    await db
      .insertInto('notifications')
      .values({
        recipient_id: r.staff_id,
        evaluation_id: r.id,
        kind: 'RESULT',
        message_vi: `Kết quả kỳ đánh giá: ${LEVEL_VI[level] ?? level} (${level}), ${r.total?.toLocaleString('vi-VN')} điểm, xếp thứ ${r.rank_in_unit} trong đơn vị.`,
        message_en: `Cycle result: ${level}, ${r.total} points, rank ${r.rank_in_unit} in the unit.`,
        idempotency_key: `RESULT:${r.id}`,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
  }
  await db.updateTable('cycles').set({ status: 'CLASSIFIED', classified_at: new Date() }).where('id', '=', cycleId).where('status', '=', 'RANKED').execute()
  await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'publish', reason: null, data: { evaluations: rows.length }, idempotency_key: `cycle:${cycleId}:publish` })
}

/**
 * After a re-ranking (accepted petitions): everyone whose final level changed, and everyone whose
 * evaluation was reopened, is told their result again. Idempotent per revision.
 */
export async function notifyRevisedResults(db: Db, req: { cycleId: number; revision: number; changed: { evaluationId: number; from: string | null; to: string }[]; reopenedIds: number[] }): Promise<void> {
  const from = new Map(req.changed.map((c) => [c.evaluationId, c.from]))
  const ids = [...new Set([...req.changed.map((c) => c.evaluationId), ...req.reopenedIds])]
  if (!ids.length) return
  const rows = await db.selectFrom('evaluations').select(['id', 'staff_id', 'final_level', 'total', 'rank_in_unit']).where('cycle_id', '=', req.cycleId).where(sql<boolean>`id = any(${ids}::int[])`).execute()
  for (const r of rows) {
    const level = r.final_level ?? ''
    const before = from.get(r.id)
    const [vi, en] =
      before !== undefined
        ? [`Kết quả của bạn được xếp loại lại: ${LEVEL_VI[before ?? ''] ?? before ?? '—'} → ${LEVEL_VI[level] ?? level} (${level}), ${r.total?.toLocaleString('vi-VN')} điểm, xếp thứ ${r.rank_in_unit} trong đơn vị.`, `Your result was re-classified: ${before ?? '—'} → ${level}, ${r.total} points, rank ${r.rank_in_unit} in the unit.`]
        : [`Kết quả sau khi xem xét lại: ${LEVEL_VI[level] ?? level} (${level}), ${r.total?.toLocaleString('vi-VN')} điểm, xếp thứ ${r.rank_in_unit} trong đơn vị.`, `Result after the review: ${level}, ${r.total} points, rank ${r.rank_in_unit} in the unit.`]
    await db
      .insertInto('notifications')
      .values({ recipient_id: r.staff_id, evaluation_id: r.id, kind: before !== undefined ? 'RESULT_CHANGED' : 'RESULT', message_vi: vi, message_en: en, idempotency_key: `RESULT:${r.id}:r${req.revision}` })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
  }
  await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: String(req.cycleId), action: 'republish', reason: null, data: { revision: req.revision, changed: req.changed.length, reopened: req.reopenedIds.length }, idempotency_key: `cycle:${req.cycleId}:publish:r${req.revision}` })
}

/** Tells every active admin something about a cycle that needs them (once per key). */
export async function notifyAdmins(db: Db, req: { cycleId: number; kind: string; vi: string; en: string; key: string }): Promise<void> {
  const admins = await db.selectFrom('staff').select('id').where('active', '=', true).where(sql<boolean>`roles @> '["admin"]'::jsonb`).execute()
  for (const a of admins) {
    await db
      .insertInto('notifications')
      .values({ recipient_id: a.id, evaluation_id: null, kind: req.kind, message_vi: req.vi, message_en: req.en, idempotency_key: `${req.key}:${a.id}` })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
  }
}
