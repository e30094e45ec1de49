import type { AnnualPolicy, RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { rollUpYear, yearPeriod, type AnnualRollUp } from './annual-periods.js'
import { classifiedPeriodsOf } from './annual-periods.repo.js'

type Kysely = Pick<Db, 'insertInto'>

/** The period a launch asks for: its dates, or the whole `year` of an annual cycle. */
export function launchPeriod(input: { periodKind: string; periodStart?: string | undefined; periodEnd?: string | undefined; year?: number | undefined }): { periodStart: string; periodEnd: string } {
  if (input.year !== undefined) return yearPeriod(input.year)
  return { periodStart: input.periodStart!, periodEnd: input.periodEnd! }
}

/**
 * The annual policy of a year cycle's rule set. A year is classified with an annual rule set and
 * an annual rule set classifies only years: anything else is a clear 400.
 */
export function annualPolicyFor(periodKind: string, definition: RuleSetDefinition): AnnualPolicy | null {
  if (periodKind === 'year' && !definition.annual) {
    throw new ApiError(400, 'ANNUAL_RULE_SET_REQUIRED', 'Kỳ xếp loại năm cần bộ quy tắc xếp loại năm (có mục "annual"), ví dụ "NĐ 335/2025 – xếp loại cuối năm".', 'A year is classified with an annual rule set (one with "annual"), e.g. "Decree 335/2025 – annual classification".')
  }
  if (periodKind !== 'year' && definition.annual) {
    throw new ApiError(400, 'ANNUAL_RULE_SET_REQUIRED', 'Bộ quy tắc xếp loại năm chỉ dùng cho kỳ năm.', 'An annual rule set classifies years only (periodKind "year").')
  }
  return periodKind === 'year' ? definition.annual! : null
}

/** Each person's periods of the year (in any unit they were in), and whether they are classified. */
export async function rollUpPeople(db: Db, people: { id: number }[], policy: AnnualPolicy, periodStart: string, periodEnd: string): Promise<Map<number, AnnualRollUp>> {
  const ids = people.map((p) => p.id)
  return rollUpYear(ids, await classifiedPeriodsOf(db, ids, periodStart, periodEnd), policy)
}

/** The people "không xếp loại" of an annual cycle, with what was found, in the launch's transaction. */
export async function recordExclusions(trx: Kysely, cycleId: number, people: { id: number; unit_id: number | null }[], year: Map<number, AnnualRollUp>): Promise<void> {
  const rows = people.flatMap((p) => {
    const r = year.get(p.id)!
    return r.classified ? [] : [{ cycle_id: cycleId, staff_id: p.id, unit_id: p.unit_id!, months_worked: r.monthsWorked, periods: JSON.stringify(r.periods), reason_code: r.reasonCode }]
  })
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('annual_exclusions').values(rows.slice(i, i + 1000)).execute()
}
