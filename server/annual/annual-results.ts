import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { exclusionReason, type AnnualPeriod } from './annual-periods.js'

/** What an annual result adds, per person: the periods behind the score, the months, the mean. */
export function annualFields(periods: unknown, values: Record<string, unknown> | null | undefined): { periods: { cycleId: number; cycleName: string; periodStart: string; periodEnd: string; months: number; total: number; level: string | null }[]; monthsWorked: number | null; annualScore: number | null } {
  const list = Array.isArray(periods) ? (periods as AnnualPeriod[]) : []
  const number = (v: unknown) => (typeof v === 'number' ? v : null)
  return {
    periods: list.map((p) => ({ cycleId: p.cycleId, cycleName: p.cycleName, periodStart: p.periodStart, periodEnd: p.periodEnd, months: p.months, total: p.total, level: p.level })),
    monthsWorked: number(values?.['monthsWorked']),
    annualScore: number(values?.['annualScore']),
  }
}

/** The people of an annual cycle who are "không xếp loại", as far as the caller sees (own row, visible units). */
export async function notClassified(db: Db, cycleId: number, minMonths: number, visible: 'all' | Set<number>, userId: number) {
  let q = db
    .selectFrom('annual_exclusions as x')
    .innerJoin('staff as s', 's.id', 'x.staff_id')
    .innerJoin('units as u', 'u.id', 'x.unit_id')
    .select(['x.staff_id', 's.full_name', 'x.unit_id', 'u.name as unit_name', 'x.months_worked', 'x.periods', 'x.reason_code'])
    .where('x.cycle_id', '=', cycleId)
    .orderBy('u.name')
    .orderBy('s.full_name')
  if (visible !== 'all') q = q.where((eb) => eb.or([eb('x.staff_id', '=', userId), eb(sql<boolean>`x.unit_id = any(${[...visible]}::int[])`, '=', true)]))
  const rows = await q.execute()
  return rows.map((r) => ({
    staffId: r.staff_id,
    fullName: r.full_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    finalLevel: null,
    ...annualFields(r.periods, { monthsWorked: r.months_worked }),
    reason: { code: r.reason_code, ...exclusionReason(r.months_worked, minMonths) },
  }))
}
