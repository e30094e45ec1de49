import { sql, type Kysely } from 'kysely'

/**
 * Annual classification (issue 14, point 1). Frozen once merged.
 *
 * `annual_exclusions`: the people of an annual cycle who are "không xếp loại" — fewer months worked
 * in the year than the rule set's minimum — with the periods that were found and the reason. They
 * get no evaluation in the cycle; the cycle's results list them with the reason.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('annual_exclusions')
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id').onDelete('cascade'))
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('months_worked', 'real', (c) => c.notNull())
    .addColumn('periods', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('annual_exclusions_pk', ['cycle_id', 'staff_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('annual_exclusions').execute()
}
