import { sql, type Kysely } from 'kysely'

/**
 * Sessions learn when they began and were last used (idle and absolute lifetimes; sign out
 * everywhere by staff id), and sign-in failures are counted per account and per client address
 * in the database, so every API process sees the same back-off. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('sessions_staff').on('sessions').column('staff_id').execute()
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('blocked_until', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_throttles').execute()
  await db.schema.dropIndex('sessions_staff').execute()
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').dropColumn('created_at').execute()
}
