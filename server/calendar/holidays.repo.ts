import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import { addDays, calendarOf, type DayKind, type WorkingCalendar } from './working-days.js'

/** A day the calendar marks, as the API shows it. */
export interface CalendarDay {
  date: string
  kind: DayKind
  name: string
  updatedAt: Date
}

const dayText = sql<string>`to_char(date, 'YYYY-MM-DD')`

/** The marked days of a year, in date order. */
export async function listDays(db: Db, year: number): Promise<CalendarDay[]> {
  const rows = await db
    .selectFrom('calendar_days')
    .select([dayText.as('date'), 'kind', 'name', 'updated_at'])
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute()
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, updatedAt: r.updated_at }))
}

/**
 * The working calendar from a day on (the days before it do not matter to a count forward). Without
 * `from`, every marked day. Reads a few dozen rows a year.
 */
export async function loadCalendar(db: Db, from?: string): Promise<WorkingCalendar> {
  let q = db.selectFrom('calendar_days').select([dayText.as('date'), 'kind'])
  // A day before `from` can matter to a count backward from it (a reminder): keep a margin.
  if (from) q = q.where('date', '>=', addDays(from, -62))
  return calendarOf(await q.execute())
}

/** Marks a day (holiday or compensating working day), replacing what it was; audited with the old value. */
export async function putDay(db: Db, day: { date: string; kind: DayKind; name: string }, actorId: number): Promise<{ created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('calendar_days').select(['kind', 'name']).where('date', '=', day.date).forUpdate().executeTakeFirst()
    await trx
      .insertInto('calendar_days')
      .values({ date: day.date, kind: day.kind, name: day.name, updated_by: actorId })
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: day.kind, name: day.name, updated_by: actorId, updated_at: sql`now()` }))
      .execute()
    await appendAudit(trx, { actor_id: actorId, entity: 'calendar', entity_id: day.date, action: before ? 'updateDay' : 'addDay', reason: null, data: { ...day, ...(before ? { before } : {}) } })
    return { created: !before }
  })
}

/** Removes a day's mark (it follows the week again); false when it had none. Audited with what it was. */
export async function deleteDay(db: Db, date: string, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('calendar_days').where('date', '=', date).returning(['kind', 'name']).executeTakeFirst()
    if (!removed) return false
    await appendAudit(trx, { actor_id: actorId, entity: 'calendar', entity_id: date, action: 'removeDay', reason: null, data: { date, before: removed } })
    return true
  })
}
