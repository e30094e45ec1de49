import type { ColumnType } from 'kysely'

/**
 * A day that differs from the week (see migration 2026-12-01-008): a holiday or day off in lieu,
 * or a compensating working day. `date` is a PostgreSQL `date`, which both drivers read as its
 * 'yyyy-mm-dd' text (server/db/database.ts), like every day column.
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
