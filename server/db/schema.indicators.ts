import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, string | Date | undefined, Date>

/** A value a connected system sent: one indicator, one subject (staff member or unit), one period. */
export interface IndicatorValueTable {
  id: Generated<number>
  system_id: number
  /** The indicator's code in that system (TTHC_DUNG_HAN). */
  code: string
  /** `staff:<id>` or `unit:<id>`: the upsert key's subject. */
  subject: string
  staff_id: number | null
  unit_id: number | null
  /** yyyy-MM-dd */
  period_start: string
  period_end: string
  value: number
  note: string | null
  received_at: CreatedAt
  updated_at: CreatedAt
  version: Generated<number>
}

/** A value refused because it came after the period's closing date. */
export interface IndicatorLateRowTable {
  id: Generated<number>
  system_id: number
  code: string
  subject: string
  period_start: string
  period_end: string
  value: number
  closed_at: Date
  at: CreatedAt
}

/** Tables of the indicators feature; see migration 2026-12-01-011-indicators. */
export interface IndicatorsTables {
  indicator_values: IndicatorValueTable
  indicator_late_rows: IndicatorLateRowTable
}
