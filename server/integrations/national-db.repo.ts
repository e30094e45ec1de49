import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { NationalDbRecordStatus } from '../db/schema.integrations.js'
import { ApiError, notFound } from '../errors.js'
import { recordHash, toNationalRecord, type NationalDbRecord } from './national-db.mapping.js'
import type { RecordResult } from './national-db.adapter.js'
import { addWorkingDays, vnDay } from '../calendar/working-days.js'
import { loadCalendar } from '../calendar/holidays.repo.js'

/** Results must reach the national database within this many working days of locking. */
export const DELIVERY_WORKING_DAYS = 3

/** The admin enters the decision that recognises the cycle's results (before the first send). */
export async function setDecision(db: Db, cycleId: number, decision: { number: string; date: string }, actorId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const cycle = await trx.selectFrom('cycles').select('id').where('id', '=', cycleId).executeTakeFirst()
    if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
    const current = await trx.selectFrom('national_db_syncs').select('started_at').where('cycle_id', '=', cycleId).forUpdate().executeTakeFirst()
    if (current?.started_at) throw new ApiError(409, 'ALREADY_STARTED', 'Đã bắt đầu gửi kết quả lên CSDL quốc gia: không đổi số, ngày quyết định được nữa.', 'Results are already being sent to the national database: the decision can no longer change.')
    await trx
      .insertInto('national_db_syncs')
      .values({ cycle_id: cycleId, decision_number: decision.number, decision_date: decision.date, decided_by: actorId })
      .onConflict((oc) => oc.column('cycle_id').doUpdateSet({ decision_number: decision.number, decision_date: decision.date, decided_by: actorId }))
      .execute()
    await appendAudit(trx, { actor_id: actorId, entity: 'integration', entity_id: `national-db:${cycleId}`, action: 'setDecision', reason: null, data: { ...decision } })
  })
}

/** Why a cycle cannot be sent yet (409), checked by the route before it starts the workflow. */
export async function checkSendable(db: Db, cycleId: number): Promise<void> {
  const cycle = await db.selectFrom('cycles').select(['status']).where('id', '=', cycleId).executeTakeFirst()
  if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
  if (cycle.status !== 'CLASSIFIED') throw new ApiError(409, 'CYCLE_NOT_CLASSIFIED', `Kỳ đánh giá chưa có kết quả xếp loại (đang ở ${cycle.status}).`, `The cycle has no classified results (it is ${cycle.status}).`)
  const sync = await db.selectFrom('national_db_syncs').select('cycle_id').where('cycle_id', '=', cycleId).executeTakeFirst()
  if (!sync) throw new ApiError(409, 'DECISION_REQUIRED', 'Hãy nhập số và ngày quyết định công nhận kết quả trước khi gửi.', 'Enter the decision number and date before sending.')
}

/** The classified results of a cycle as the mapping needs them. */
async function resultSources(db: Db, cycleId: number, agencyCode: string | undefined) {
  const sync = await db.selectFrom('national_db_syncs').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst()
  const cycle = await db.selectFrom('cycles').select(['period_start', 'period_end', 'status', 'classified_at']).where('id', '=', cycleId).executeTakeFirst()
  if (!sync || !cycle) return undefined
  const units = await db.selectFrom('units').select(['id', 'code', 'parent_id']).execute()
  const byId = new Map(units.map((u) => [u.id, u]))
  const rootCode = (unitId: number) => {
    let u = byId.get(unitId)
    for (let guard = 0; u?.parent_id && guard < 100; guard++) u = byId.get(u.parent_id)
    return u?.code ?? null
  }
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.staff_id', 'e.unit_id', 'e.total', 'e.final_level', 's.full_name', 's.personal_id'])
    .where('e.cycle_id', '=', cycleId)
    .where('e.stage', '=', 'CLASSIFIED')
    .where('e.subject_unit_id', 'is', null) // a unit's result (its head owns the row) is no person's record
    .orderBy('e.staff_id')
    .execute()
  const sources = rows.map((r) => ({
    staffId: r.staff_id,
    fullName: r.full_name,
    personalId: r.personal_id,
    agencyCode: agencyCode ?? rootCode(r.unit_id),
    periodStart: cycle.period_start,
    periodEnd: cycle.period_end,
    total: r.total,
    finalLevel: r.final_level,
    decisionNumber: sync.decision_number,
    decisionDate: sync.decision_date,
  }))
  return { sync, cycle, sources }
}

/**
 * (Re)builds the cycle's records: a new person is pending (or invalid, with the reason, when no
 * record can be built); a sent record is never touched again; a refused or invalid one becomes
 * pending again only once its content changed (corrected). Starts the delivery clock once.
 */
export async function prepareRecords(db: Db, cycleId: number, agencyCode: string | undefined): Promise<{ dueAt: number; pending: number }> {
  const found = await resultSources(db, cycleId, agencyCode)
  if (!found || found.cycle.status !== 'CLASSIFIED') throw new ApiError(409, 'CYCLE_NOT_CLASSIFIED', 'Kỳ chưa xếp loại hoặc chưa có quyết định.', 'The cycle is not classified or has no decision.')
  const { sources, sync, cycle } = found
  const lockedAt = cycle.classified_at ?? sync.started_at ?? new Date()
  // Due at the end (23:59:59 Vietnam time) of the 3rd working day after the results locked, holidays counted.
  const dueAt = sync.due_at ?? addWorkingDays(lockedAt, DELIVERY_WORKING_DAYS, await loadCalendar(db, vnDay(lockedAt)))
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('national_db_records').select(['staff_id', 'status', 'record_hash']).where('cycle_id', '=', cycleId).forUpdate().execute()).map((r) => [r.staff_id, r]))
    for (const src of sources) {
      const built = toNationalRecord(src)
      const hash = recordHash('record' in built ? built.record : built)
      const status: NationalDbRecordStatus = 'record' in built ? 'pending' : 'invalid'
      const values = { record: JSON.stringify('record' in built ? built.record : { problem: built.problem }), record_hash: hash, status, reason: 'problem' in built ? built.problem : null, batch_key: null, updated_at: new Date() }
      const had = existing.get(src.staffId)
      if (!had) await trx.insertInto('national_db_records').values({ cycle_id: cycleId, staff_id: src.staffId, ...values }).execute()
      else if (had.status !== 'sent' && had.status !== 'pending' && had.record_hash !== hash) {
        await trx.updateTable('national_db_records').set(values).where('cycle_id', '=', cycleId).where('staff_id', '=', src.staffId).execute()
      }
    }
    const started = sync.started_at ?? new Date()
    await trx.updateTable('national_db_syncs').set({ started_at: started, due_at: dueAt, finished_at: null }).where('cycle_id', '=', cycleId).execute()
    const pending = await trx.selectFrom('national_db_records').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycleId).where('status', '=', 'pending').executeTakeFirstOrThrow()
    return { dueAt: dueAt.getTime(), pending: Number(pending.n) }
  })
}

/**
 * The records of one batch: those already claimed under this key (a retried send repeats the same
 * batch with the same Idempotency-Key), else up to `size` pending ones, claimed now.
 */
export async function claimBatch(db: Db, cycleId: number, batchKey: string, size: number): Promise<{ staffId: number; record: NationalDbRecord }[]> {
  const claimed = async () =>
    (await db.selectFrom('national_db_records').select(['staff_id', 'record']).where('cycle_id', '=', cycleId).where('batch_key', '=', batchKey).where('status', '=', 'pending').orderBy('staff_id').execute()).map((r) => ({ staffId: r.staff_id, record: r.record as unknown as NationalDbRecord }))
  const again = await claimed()
  if (again.length) return again
  await sql`update national_db_records set batch_key = ${batchKey}, attempts = attempts + 1, updated_at = now()
    where cycle_id = ${cycleId} and staff_id in (
      select staff_id from national_db_records where cycle_id = ${cycleId} and status = 'pending' and batch_key is null order by staff_id limit ${size} for update skip locked)`.execute(db)
  return claimed()
}

/** Writes the receiver's answers: sent, or refused with its reason; a record it did not answer for goes back to pending. Audited once per batch. */
export async function recordResults(db: Db, cycleId: number, batchKey: string, batch: { staffId: number; record: NationalDbRecord }[], results: RecordResult[]): Promise<{ sent: number; refused: number; unanswered: number }> {
  const byId = new Map(results.map((r) => [r.personalId, r]))
  const counts = { sent: 0, refused: 0, unanswered: 0 }
  await db.transaction().execute(async (trx) => {
    for (const { staffId, record } of batch) {
      const r = byId.get(record.personalId)
      const where = trx.updateTable('national_db_records').where('cycle_id', '=', cycleId).where('staff_id', '=', staffId).where('batch_key', '=', batchKey).where('status', '=', 'pending')
      if (!r) {
        counts.unanswered++
        await where.set({ batch_key: null, updated_at: new Date() }).execute()
      } else if (r.ok) {
        counts.sent++
        await where.set({ status: 'sent', reason: null, sent_at: new Date(), updated_at: new Date() }).execute()
      } else {
        counts.refused++
        await where.set({ status: 'refused', reason: r.reason ?? 'Bị từ chối, không nêu lý do / refused without a reason', batch_key: null, updated_at: new Date() }).execute()
      }
    }
    await appendAudit(trx, { actor_id: null, entity: 'integration', entity_id: `national-db:${cycleId}`, action: 'nationalDbBatch', reason: null, data: { batchKey, ...counts, refusedIds: results.filter((r) => !r.ok).map((r) => r.personalId) }, idempotency_key: `national-db-batch:${batchKey}` })
  })
  return counts
}

/** Marks the delivery done (no record pending) and audits its outcome. */
export async function finishSync(db: Db, cycleId: number): Promise<{ sent: number; refused: number; invalid: number; pending: number }> {
  const counts = await statusCounts(db, cycleId)
  if (counts.pending === 0) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('national_db_syncs').set({ finished_at: new Date() }).where('cycle_id', '=', cycleId).execute()
      await appendAudit(trx, { actor_id: null, entity: 'integration', entity_id: `national-db:${cycleId}`, action: 'nationalDbFinished', reason: null, data: counts })
    })
  }
  return counts
}

/** Records that the delivery missed its due date (health shows it while it lasts). */
export async function markOverdue(db: Db, cycleId: number): Promise<void> {
  await db.updateTable('national_db_syncs').set({ alerted_at: new Date() }).where('cycle_id', '=', cycleId).where('finished_at', 'is', null).execute()
}

async function statusCounts(db: Db, cycleId: number) {
  const rows = await db.selectFrom('national_db_records').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('cycle_id', '=', cycleId).groupBy('status').execute()
  const counts = { sent: 0, refused: 0, invalid: 0, pending: 0 }
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

/** The delivery of a cycle as the admin sees it: the decision, the clock, counts and every record's state. */
export async function syncStatus(db: Db, cycleId: number, records: RecordsPage = {}) {
  const cycle = await db.selectFrom('cycles').select(['id', 'name', 'status', 'classified_at']).where('id', '=', cycleId).executeTakeFirst()
  if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
  const sync = await db.selectFrom('national_db_syncs').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst()
  let q = db
    .selectFrom('national_db_records as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select(['r.staff_id', 's.full_name', 's.username', 'r.record', 'r.status', 'r.reason', 'r.attempts', 'r.sent_at', 'r.updated_at'])
    .where('r.cycle_id', '=', cycleId)
    .orderBy('s.full_name')
    .orderBy('r.staff_id')
  if (records.status) q = q.where('r.status', '=', records.status)
  // Keyset by name, then staff id: the page after the person `after` names, at the name the previous page read
  // (else their name now: renamed since, the rest of the list would shift past or back to their new name).
  const after = records.after
  if (after?.fullName !== undefined) q = q.where(sql<boolean>`(s.full_name, r.staff_id) > (${after.fullName}::text, ${after.staffId}::int)`)
  else if (after) q = q.where(sql<boolean>`(s.full_name, r.staff_id) > (select full_name, id from staff where id = ${after.staffId})`)
  if (records.limit !== undefined) q = q.limit(records.limit)
  const overdue = Boolean(sync?.due_at && !sync.finished_at && sync.due_at.getTime() < Date.now())
  return {
    cycleId,
    cycleName: cycle.name,
    cycleStatus: cycle.status,
    decision: sync ? { number: sync.decision_number, date: sync.decision_date } : null,
    startedAt: sync?.started_at ?? null,
    dueAt: sync?.due_at ?? null,
    finishedAt: sync?.finished_at ?? null,
    overdue,
    counts: await statusCounts(db, cycleId),
    records: (await q.execute()).map((r) => ({ staffId: r.staff_id, fullName: r.full_name, username: r.username, record: r.record, status: r.status, reason: r.reason, attempts: r.attempts, sentAt: r.sent_at, updatedAt: r.updated_at })),
  }
}

/** Which records a delivery's status lists: of one state, after this person (by name, then id), at most `limit` (all when absent: the export). */
export interface RecordsPage {
  status?: NationalDbRecordStatus | undefined
  after?: { staffId: number; fullName?: string | undefined } | undefined
  limit?: number | undefined
}

/** Deliveries past their due date and not finished (for /api/health). */
export async function overdueSyncs(db: Db): Promise<number> {
  const row = await db.selectFrom('national_db_syncs').select((eb) => eb.fn.countAll<number>().as('n')).where('finished_at', 'is', null).where('due_at', '<', new Date()).executeTakeFirstOrThrow()
  return Number(row.n)
}
