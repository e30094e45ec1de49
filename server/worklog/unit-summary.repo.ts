import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { ProductColumns } from './worklog.figures.js'

/** One staff member's month as the database sums it: product lines (unsorted, by version) and hours. */
export interface StaffMonthRow {
  id: number
  full_name: string
  unit_id: number
  /** Sums per catalogue version (by id), column by column; null when nothing is due. */
  products: ProductColumns | null
  hours: number | null
}

/** The month's rows all at once (the route reads the same statement in batches, `eachStaffMonths`; tests hold the two equal). */
export async function staffMonths(db: Db, unitIds: number[], from: string, to: string, asOf: string): Promise<StaffMonthRow[]> {
  return (await monthStatement(unitIds, from, to, asOf).execute(db)).rows
}

/**
 * The same rows in batches of `size`, in the same order, as the database produces them: a cursor
 * over the one statement, the next batch asked for before `take` works on the current one — so the
 * database sums the next people while the process turns these into lines, a, b, c and JSON, on two
 * cores instead of one after the other (each side took about half of the unit month's time).
 * `take` gets the transaction holding the cursor for any read it needs (PGlite has one connection).
 */
export async function eachStaffMonths(db: Db, unitIds: number[], from: string, to: string, asOf: string, size: number, take: (rows: StaffMonthRow[], trx: Db) => void | Promise<void>): Promise<void> {
  const batch = Math.max(1, Math.trunc(size))
  await db.transaction().execute(async (trx) => {
    await sql`declare staff_months no scroll cursor for ${monthStatement(unitIds, from, to, asOf)}`.execute(trx)
    const fetch = () => {
      const rows = sql<StaffMonthRow>`fetch forward ${sql.raw(String(batch))} from staff_months`.execute(trx)
      // Awaited below, unless `take` throws first: then the transaction's rollback reports the failure.
      void rows.catch(() => undefined)
      return rows
    }
    let next = fetch()
    for (;;) {
      const { rows } = await next
      const more = rows.length === batch
      if (more) next = fetch()
      await take(rows, trx)
      if (!more) return
    }
  })
}

/**
 * The month of some units in one statement: every active staff member with, for items due in the
 * period, per product version: assigned = accepted items; done and quality failures = what the unit
 * head confirmed; delays = items completed after their (extended) due date, or still open once it
 * has passed `asOf` — and the hours logged in the period. Days are compared as days: `asOf` takes
 * the type of the column beside it (a `date`, or the ISO text of databases before migration 015).
 *
 * Shaped for the planner (migration 2026-12-01-005): the lines are grouped by (staff, product
 * version) straight from the `work_items_summary` index order, so nothing is sorted or hashed on
 * the way, and per person in the same order. Each person's lines travel as one JSON array of
 * columns — PostgreSQL then formats arrays of one type, not 100,000 small arrays of mixed types —
 * naming catalogue versions by id: their code, name and k come from catalogue-versions.ts, not
 * from a join and 100,000 repeated names (together a third of the statement's time for 5,000 staff).
 */
function monthStatement(unitIds: number[], from: string, to: string, asOf: string) {
  const units = unitIds.length ? unitIds : [-1]
  const due = sql`coalesce(w.extended_to, w.due_on)`
  return sql<StaffMonthRow>`
    with lines as (
      select w.staff_id, w.product_id,
        sum(w.quantity) as assigned,
        coalesce(sum(w.done_quantity) filter (where w.status = 'CONFIRMED'), 0) as done,
        coalesce(sum(w.quality_failures) filter (where w.status = 'CONFIRMED'), 0) as quality_failures,
        count(*) filter (where coalesce(w.completed_on, ${asOf}) > ${due}) as delays
      from work_items w
      where w.unit_id = any(${units}::integer[]) and w.due_on >= ${from} and w.due_on <= ${to} and w.status in ('OPEN', 'DONE', 'CONFIRMED')
      group by w.staff_id, w.product_id
    ), figures as (
      select staff_id, json_build_array(array_agg(product_id), array_agg(assigned), array_agg(done), array_agg(quality_failures), array_agg(delays)) as products
      from lines
      group by staff_id
    ), hours as (
      select w.staff_id, sum(u.hours)::float8 as hours
      from work_item_updates u
      join work_items w on w.id = u.work_item_id
      where w.unit_id = any(${units}::integer[]) and u.on_date >= ${from} and u.on_date <= ${to}
      group by w.staff_id
    )
    select s.id, s.full_name, s.unit_id, f.products, h.hours
    from staff s
    left join figures f on f.staff_id = s.id
    left join hours h on h.staff_id = s.id
    where s.unit_id = any(${units}::integer[]) and s.active
    order by s.id`
}
