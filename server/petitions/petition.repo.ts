import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import { loadCalendar } from '../calendar/holidays.repo.js'
import { vnDay } from '../calendar/working-days.js'
import type { Db } from '../db/database.js'
import { answerSchedule, petitionWindowCloses } from './petition-schedule.js'

/**
 * The petitions' business records, written by the cycle workflow's activities (the workflow decides
 * whether a petition may be filed or answered; these functions store what it decided). Each is
 * idempotent, so a retried activity writes nothing twice.
 */

/** Active admins: the competent authority for a leader's own evaluation, and who hears of escalations. */
export async function adminIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('staff').select('id').where('active', '=', true).where(sql<boolean>`roles @> '["admin"]'::jsonb`).orderBy('id').execute()
  return rows.map((r) => r.id)
}

/** Publication opens the petition window: stores when the results went out and when the window closes (once). */
export async function openPetitionWindow(db: Db, cycleId: number, now = new Date()): Promise<{ publishedAt: number; closesAt: number }> {
  return db.transaction().execute(async (trx) => {
    const cycle = await trx.selectFrom('cycles').select(['durations', 'published_at', 'petition_closes_at']).where('id', '=', cycleId).forUpdate().executeTakeFirstOrThrow()
    if (cycle.published_at && cycle.petition_closes_at) return { publishedAt: cycle.published_at.getTime(), closesAt: cycle.petition_closes_at.getTime() }
    const closesAt = petitionWindowCloses(now, cycle.durations, await loadCalendar(trx, vnDay(now)))
    await trx.updateTable('cycles').set({ published_at: now, petition_closes_at: closesAt }).where('id', '=', cycleId).execute()
    await appendAudit(trx, { actor_id: null, entity: 'cycle', entity_id: String(cycleId), action: 'openPetitions', reason: null, data: { publishedAt: now.toISOString(), petitionClosesAt: closesAt.toISOString() }, idempotency_key: `cycle:${cycleId}:openPetitions` })
    return { publishedAt: now.getTime(), closesAt: closesAt.getTime() }
  })
}

export interface RecordedPetition {
  id: number
  evaluationId: number
  unitId: number
  filedBy: number
  /** Who may answer; empty = the admins. */
  authorityIds: number[]
  answerDueAt: number
  remindAt: number
}

/**
 * Stores a petition the cycle workflow accepted for filing: the competent authority (the
 * evaluation's sign-off leaders; the admins for a leader's own evaluation), its answer deadline in
 * working days, the audit, and a notification to the authority.
 */
export async function recordPetition(db: Db, req: { cycleId: number; evaluationId: number; filedBy: number; reason: string; key: string }): Promise<RecordedPetition> {
  return db.transaction().execute(async (trx) => {
    const known = await trx.selectFrom('petitions').selectAll().where('idempotency_key', '=', req.key).executeTakeFirst()
    const ev = await trx
      .selectFrom('evaluations as e')
      .innerJoin('staff as s', 's.id', 'e.staff_id')
      .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
      .select(['e.id', 'e.unit_id', 'e.sign_off_ids', 's.roles', 's.full_name', 'c.durations'])
      .where('e.id', '=', req.evaluationId)
      .executeTakeFirstOrThrow()
    if (known) return toRecorded(known, ev.unit_id)
    const authorityIds = ev.roles.includes('leader') ? [] : ev.sign_off_ids
    const now = new Date()
    const { dueAt, remindAt } = answerSchedule(now, ev.durations, await loadCalendar(trx, vnDay(now)))
    const row = await trx
      .insertInto('petitions')
      .values({ cycle_id: req.cycleId, evaluation_id: ev.id, filed_by: req.filedBy, reason: req.reason, status: 'OPEN', authority_ids: JSON.stringify(authorityIds), answer_due_at: dueAt, remind_at: remindAt, idempotency_key: req.key })
      .returningAll()
      .executeTakeFirstOrThrow()
    const recipients = authorityIds.length ? authorityIds : await adminIds(trx)
    const due = formatVn(dueAt)
    for (const recipient of recipients) {
      await notify(trx, recipient, ev.id, 'PETITION_FILED', `${ev.full_name} kiến nghị về kết quả đánh giá: ${req.reason} — cần trả lời trước ${due}.`, `${ev.full_name} petitions about their result: ${req.reason} — answer due ${dueAt.toISOString()}.`, `PETITION_FILED:${row.id}:${recipient}`)
    }
    await appendAudit(trx, { actor_id: req.filedBy, entity: 'petition', entity_id: String(row.id), action: 'file', reason: req.reason, data: { evaluationId: ev.id, cycleId: req.cycleId, authorityIds, answerDueAt: dueAt.toISOString() }, idempotency_key: `petition:${row.id}:file` })
    return toRecorded(row, ev.unit_id)
  })
}

const toRecorded = (r: { id: number; evaluation_id: number; filed_by: number; authority_ids: number[]; answer_due_at: Date; remind_at: Date }, unitId: number): RecordedPetition => ({
  id: r.id,
  evaluationId: r.evaluation_id,
  unitId,
  filedBy: r.filed_by,
  authorityIds: r.authority_ids,
  answerDueAt: r.answer_due_at.getTime(),
  remindAt: r.remind_at.getTime(),
})

/** Stores the authority's answer (accept or reject, with the reason), audits it and tells the filer. Idempotent. */
export async function recordAnswer(db: Db, req: { petitionId: number; decision: 'accept' | 'reject'; actorId: number; reason: string }): Promise<void> {
  const status = req.decision === 'accept' ? 'ACCEPTED' : 'REJECTED'
  await db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('petitions').selectAll().where('id', '=', req.petitionId).forUpdate().executeTakeFirstOrThrow()
    if (p.status !== 'OPEN') return // a retried activity: already stored
    await trx.updateTable('petitions').set({ status, answered_by: req.actorId, answered_at: new Date(), answer_reason: req.reason }).where('id', '=', p.id).execute()
    const [vi, en] =
      req.decision === 'accept'
        ? [`Kiến nghị của bạn được chấp nhận: ${req.reason}. Bản đánh giá được mở lại để trưởng đơn vị xem xét lại.`, `Your petition was accepted: ${req.reason}. The evaluation is reopened for another review.`]
        : [`Kiến nghị của bạn không được chấp nhận: ${req.reason}`, `Your petition was rejected: ${req.reason}`]
    await notify(trx, p.filed_by, p.evaluation_id, 'PETITION_ANSWERED', vi, en, `PETITION_ANSWERED:${p.id}`)
    await appendAudit(trx, { actor_id: req.actorId, entity: 'petition', entity_id: String(p.id), action: req.decision, reason: req.reason, data: { evaluationId: p.evaluation_id, status }, idempotency_key: `petition:${p.id}:${req.decision}` })
  })
}

/**
 * A petition still unanswered: a reminder to its authority before the due date, an escalation to
 * the authority and the admins once it has passed. Nothing when it was answered meanwhile.
 */
export async function notifyPetitionDue(db: Db, req: { petitionId: number; kind: 'REMINDER' | 'OVERDUE' }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('petitions').selectAll().where('id', '=', req.petitionId).executeTakeFirstOrThrow()
    if (p.status !== 'OPEN') return
    const admins = await adminIds(trx)
    const recipients = [...new Set(req.kind === 'REMINDER' ? (p.authority_ids.length ? p.authority_ids : admins) : [...p.authority_ids, ...admins])]
    const due = formatVn(p.answer_due_at)
    const [vi, en] =
      req.kind === 'REMINDER'
        ? [`Sắp đến hạn trả lời kiến nghị #${p.id} (hạn ${due}).`, `Petition #${p.id} must be answered soon (due ${p.answer_due_at.toISOString()}).`]
        : [`Kiến nghị #${p.id} đã quá hạn trả lời (hạn ${due}).`, `Petition #${p.id} is past its answer date (due ${p.answer_due_at.toISOString()}).`]
    for (const recipient of recipients) await notify(trx, recipient, p.evaluation_id, `PETITION_${req.kind}`, vi, en, `PETITION_${req.kind}:${p.id}:${recipient}`)
    await appendAudit(trx, { actor_id: null, entity: 'petition', entity_id: String(p.id), action: req.kind === 'REMINDER' ? 'remind' : 'escalate', reason: null, data: { recipients }, idempotency_key: `petition:${p.id}:${req.kind}` })
  })
}

/** An accepted petition takes the unit out of the signed-off set: its sign-off record goes (the audit keeps it) until it is signed off again. */
export async function reopenUnit(db: Db, req: { cycleId: number; unitId: number; petitionId: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('unit_sign_offs').where('cycle_id', '=', req.cycleId).where('unit_id', '=', req.unitId).execute()
    await appendAudit(trx, { actor_id: null, entity: 'unit', entity_id: `${req.cycleId}:${req.unitId}`, action: 'reopen', reason: 'Mở lại do kiến nghị được chấp nhận', data: { petitionId: req.petitionId }, idempotency_key: `unit:${req.cycleId}:${req.unitId}:reopen:${req.petitionId}` })
  })
}

async function notify(db: Db, recipient: number, evaluationId: number | null, kind: string, vi: string, en: string, key: string): Promise<void> {
  await db
    .insertInto('notifications')
    .values({ recipient_id: recipient, evaluation_id: evaluationId, kind, message_vi: vi, message_en: en, idempotency_key: key })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}

/** dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh. */
export function formatVn(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at)
  return parts.replace(',', '')
}
