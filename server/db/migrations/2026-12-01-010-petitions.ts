import { sql, type Kysely } from 'kysely'

/**
 * Publication and petitions (issue 13, point 4). Frozen once merged.
 *
 * * `cycles.published_at`, `petition_closes_at`, `results_locked_at`: when the results went out to the
 *   units, when the petition window closes, when the results were locked (window closed, every
 *   petition answered, every reopened unit classified again).
 * * `petitions`: one kiến nghị of an evaluated person on their result — the reason, the competent
 *   authority (`authority_ids`; empty = the admins, for a leader's own evaluation), when the answer
 *   is due, the answer. At most one OPEN petition per evaluation (the cycle workflow decides; the
 *   partial unique index is the database's own guard).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cycles')
    .addColumn('published_at', 'timestamptz')
    .addColumn('petition_closes_at', 'timestamptz')
    .addColumn('results_locked_at', 'timestamptz')
    .execute()
  await db.schema
    .createTable('petitions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id'))
    .addColumn('filed_by', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('OPEN', 'ACCEPTED', 'REJECTED')`))
    .addColumn('authority_ids', 'jsonb', (c) => c.notNull())
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('answer_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('remind_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_by', 'integer', (c) => c.references('staff.id'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answer_reason', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .execute()
  await sql`create unique index petitions_one_open on petitions (evaluation_id) where status = 'OPEN'`.execute(db)
  await sql`create index petitions_cycle on petitions (cycle_id, id)`.execute(db)
  await sql`create index petitions_filer on petitions (filed_by, id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('petitions').execute()
  await db.schema.alterTable('cycles').dropColumn('published_at').dropColumn('petition_closes_at').dropColumn('results_locked_at').execute()
}
