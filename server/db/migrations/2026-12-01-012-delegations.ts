import { sql, type Kysely } from 'kysely'

/**
 * Delegations (ủy quyền, issue 14 point 3): a unit head or leader lets a named person act as them
 * for their review or their sign-off over a date range (inclusive, Vietnam's calendar days). It
 * ends by itself (the dates are checked at each action) or early, when the principal ends it
 * (`ended_at`, `ended_by`). Dates are `yyyy-mm-dd` text, as the cycles' periods are. Overlapping live delegations of the same scope by the same principal
 * are refused by the API, which creates them one principal at a time (a lock on the principal's
 * staff row): no extension needed, so PGlite runs the same migration. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delegations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('principal_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('delegate_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('review', 'sign-off')`))
    .addColumn('from_date', 'text', (c) => c.notNull().check(sql`from_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('to_date', 'text', (c) => c.notNull().check(sql`to_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'integer', (c) => c.references('staff.id'))
    .addCheckConstraint('delegations_dates', sql`from_date <= to_date`)
    .addCheckConstraint('delegations_not_self', sql`principal_id <> delegate_id`)
    .execute()
  await sql`create index delegations_delegate on delegations (delegate_id, scope, to_date)`.execute(db)
  await sql`create index delegations_principal on delegations (principal_id, id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delegations').execute()
}
