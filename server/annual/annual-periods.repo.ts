import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { PeriodResultRow } from './annual-periods.js'

/**
 * The classified results of month and quarter cycles lying within the year, for these people, in
 * whatever unit they were evaluated (a person who moved keeps all their periods). Cancelled cycles
 * and evaluations not classified are not results.
 */
export async function classifiedPeriodsOf(db: Db, staffIds: number[], periodStart: string, periodEnd: string): Promise<PeriodResultRow[]> {
  if (!staffIds.length) return []
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .select(['e.staff_id', 'c.id as cycle_id', 'c.name', 'c.period_kind', 'c.period_start', 'c.period_end', 'e.total', 'e.final_level', 'e.override_code'])
    .where('c.period_kind', 'in', ['month', 'quarter'])
    .where('c.status', '=', 'CLASSIFIED')
    .where('e.stage', '=', 'CLASSIFIED')
    .where('e.subject_unit_id', 'is', null) // a unit's result (its head owns the row) is not the head's own period
    .where('c.period_start', '>=', periodStart)
    .where('c.period_end', '<=', periodEnd)
    .where(sql<boolean>`e.staff_id = any(${staffIds}::integer[])`)
    .orderBy('c.period_start')
    .execute()
  return rows.map((r) => ({
    staffId: r.staff_id,
    cycleId: r.cycle_id,
    cycleName: r.name,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    total: r.total,
    finalLevel: r.final_level,
    overrideCode: r.override_code,
  }))
}
