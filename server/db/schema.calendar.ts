import type { ColumnType } from 'kysely'

/**
 * A day that differs from the week (see migration 2026-12-01-008): a holiday or day off in lieu,
 * or a compensating working day. `date` is a PostgreSQL `date`: the drivers read it as a JS Date at
 * the process's midnight, so select it as text (`to_char(date, 'YYYY-MM-DD')`, see holidays.repo.ts).
 */
export interface CalendarDayTable {
  date: ColumnType<string, string, string>
  kind: 'holiday' | 'working'
  name: string
  updated_by: number | null
  updated_at: ColumnType<Date, string | undefined, string>
}

/** Tables of the calendar feature (see its migration). */
export interface CalendarTables {
  calendar_days: CalendarDayTable
}
