import { sql, type Kysely } from 'kysely'

/**
 * Indicators in (issue 15 point 2). Frozen once merged.
 *
 * * `indicator_values`: the value a connected system sent for one indicator (its code in that
 *   system), one subject (a staff member or a unit) and one period; upserted by
 *   (system, code, subject, period). `subject` is `staff:<id>` or `unit:<id>` so one unique index
 *   covers both scopes; `staff_id` / `unit_id` say the same for joins.
 * * `indicator_late_rows`: values refused because they came after the period's closing date (the
 *   admin's list shows them as late; a replay of the same value is one row); the value in use, if
 *   any, stays the one sent in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('indicator_values')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('system_id', 'integer', (c) => c.notNull().references('integration_systems.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await sql`create unique index indicator_values_key on indicator_values (system_id, code, subject, period_start, period_end)`.execute(db)
  await db.schema.createIndex('indicator_values_period').on('indicator_values').columns(['period_start', 'period_end']).execute()
  await db.schema
    .createTable('indicator_late_rows')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('system_id', 'integer', (c) => c.notNull().references('integration_systems.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The same late value sent again is one row (its first arrival).
  await sql`create unique index indicator_late_rows_key on indicator_late_rows (system_id, code, subject, period_start, period_end, value)`.execute(db)
  await db.schema.createIndex('indicator_late_rows_period').on('indicator_late_rows').columns(['period_start', 'period_end']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indicator_late_rows').execute()
  await db.schema.dropTable('indicator_values').execute()
}
