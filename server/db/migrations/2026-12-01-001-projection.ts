import { sql, type Kysely } from 'kysely'

/**
 * The projection ledger: every transition an evaluation workflow recorded, once, keyed by
 * (evaluation, version) with its hash — so a different transition at a version already written
 * is detected — and the alerts a projection raised. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluation_transitions')
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('projected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('evaluation_transitions_pk', ['evaluation_id', 'version'])
    .execute()
  await db.schema
    .createTable('projection_alerts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('projection_alerts_once', ['evaluation_id', 'version', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('projection_alerts').execute()
  await db.schema.dropTable('evaluation_transitions').execute()
}
