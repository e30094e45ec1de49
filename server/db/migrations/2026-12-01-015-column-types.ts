import { sql, type Kysely } from 'kysely'

/**
 * Real column types (issue 12, point 1): evaluation totals become `numeric(6,2)` (was
 * `double precision`) and calendar days become `date` (were `yyyy-mm-dd` text). The data is kept:
 * a total is rounded half-up to its two decimals (the default rule sets' precision: it is already),
 * a day is read as the date it spells. The drivers still hand the code a number and a 'yyyy-mm-dd'
 * string (server/db/database.ts). Frozen once merged.
 *
 * A text that is no real day ('2026-02-30' passed an older check) or a total outside ±9999.99 would
 * make the change fail half-way through an unclear error: they are looked for first, and the
 * migration stops naming each table, column and value, changing nothing, for an admin to correct.
 *
 * PostgreSQL rebuilds the indexes on these columns (work_items_summary, indicator_values_key…) and
 * re-checks `delegations_dates` as dates; the tables are analysed again (the columns' statistics
 * are dropped with their old type); the delegations' text-format checks (a regex) have no
 * meaning on a date and are dropped. The audit chain hashes events' own columns (`data` jsonb among
 * them), none of these: every stored hash still verifies.
 */
export const DATE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  cycles: ['period_start', 'period_end'],
  catalogue_products: ['valid_from', 'valid_to'],
  work_items: ['assigned_on', 'due_on', 'extended_to', 'completed_on'],
  work_item_updates: ['on_date'],
  indicator_values: ['period_start', 'period_end'],
  indicator_late_rows: ['period_start', 'period_end'],
  delegations: ['from_date', 'to_date'],
  national_db_syncs: ['decision_date'],
}

/** The largest magnitude numeric(6,2) holds, once rounded. */
const TOTAL_LIMIT = 9999.995
/** How many offending values a failure names per column. */
const SHOWN = 10

export async function up(db: Kysely<any>): Promise<void> {
  await refuseUnconvertible(db)
  await sql`alter table evaluations alter column total type numeric(6,2) using round(total::numeric, 2)`.execute(db)
  for (const [table, columns] of Object.entries(DATE_COLUMNS)) {
    const drops = table === 'delegations' ? [sql`drop constraint delegations_from_date_check`, sql`drop constraint delegations_to_date_check`] : []
    const alters = columns.map((c) => sql`alter column ${sql.ref(c)} type date using ${sql.ref(c)}::date`)
    // One statement per table: a check over two columns (delegations_dates) never sees a date beside a text.
    await sql`alter table ${sql.table(table)} ${sql.join([...drops, ...alters])}`.execute(db)
  }
  // A column's statistics go with its old type: without them the planner guesses at every range
  // over due days or periods (the month summary's plan, migration 005) until autovacuum analyses.
  for (const table of ['evaluations', ...Object.keys(DATE_COLUMNS)]) await sql`analyze ${sql.table(table)}`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(DATE_COLUMNS)) {
    const alters = columns.map((c) => sql`alter column ${sql.ref(c)} type text using to_char(${sql.ref(c)}, 'YYYY-MM-DD')`)
    await sql`alter table ${sql.table(table)} ${sql.join(alters)}`.execute(db)
  }
  await sql`alter table delegations
    add constraint delegations_from_date_check check (from_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    add constraint delegations_to_date_check check (to_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')`.execute(db)
  await sql`alter table evaluations alter column total type double precision using total::double precision`.execute(db)
}

/** Throws, before anything is changed, when a stored day or total would not convert; lists them. */
async function refuseUnconvertible(db: Kysely<any>): Promise<void> {
  // Strictly yyyy-mm-dd, and a day PostgreSQL knows (no 30/02, no year 0). Checked per distinct value.
  await sql`create function kpi_015_is_day(v text) returns boolean language plpgsql immutable as $$
    begin
      if v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then return false; end if;
      perform v::date;
      return true;
    exception when others then
      return false;
    end $$`.execute(db)
  const problems: string[] = []
  for (const [table, columns] of Object.entries(DATE_COLUMNS)) {
    for (const column of columns) {
      const { rows } = await sql<{ v: string }>`
        select v from (select distinct ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} is not null) d
        where not kpi_015_is_day(v) order by v limit ${SHOWN + 1}`.execute(db)
      if (rows.length) problems.push(`${table}.${column}: ${shown(rows.map((r) => JSON.stringify(r.v)))}`)
    }
  }
  await sql`drop function kpi_015_is_day(text)`.execute(db)
  const { rows: totals } = await sql<{ id: number; total: number }>`
    select id, total from evaluations where abs(total) >= ${TOTAL_LIMIT} order by id limit ${SHOWN + 1}`.execute(db)
  if (totals.length) problems.push(`evaluations.total: ${shown(totals.map((r) => `id ${r.id} = ${r.total}`))}`)
  if (problems.length) {
    throw new Error(
      `Dữ liệu không chuyển được sang kiểu ngày / numeric(6,2) — sửa các giá trị sau rồi khởi động lại / ` +
        `values that do not convert to date / numeric(6,2) — correct them, then start again: ${problems.join('; ')}`,
    )
  }
}

const shown = (values: string[]): string => (values.length > SHOWN ? `${values.slice(0, SHOWN).join(', ')}, …` : values.join(', '))
