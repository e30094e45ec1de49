import type { ColumnType } from 'kysely'
import type { AnnualPeriod } from '../annual/annual-periods.js'

/** A person of an annual cycle who is not classified (too few months worked); see migration 2026-12-01-013. */
export interface AnnualExclusionTable {
  cycle_id: number
  staff_id: number
  unit_id: number
  months_worked: number
  periods: ColumnType<AnnualPeriod[], string, string>
  reason_code: 'TOO_FEW_MONTHS'
}

export interface AnnualTables {
  annual_exclusions: AnnualExclusionTable
}
