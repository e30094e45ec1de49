import { sql, type Kysely } from 'kysely'

/**
 * Connections to the agency's systems (issue 15). Frozen once merged.
 *
 * * `staff.personal_id`: the 12-digit personal identification number (số định danh cá nhân), the key
 *   of the national cán bộ, công chức, viên chức database; unique where set.
 * * `integration_systems`, `integration_keys`: each connected system (e-Office, one-stop service…)
 *   and its API keys, stored as sha256 of the key; a key has its own HMAC signing secret. A rotated
 *   key keeps working until `expires_at` (the grace period), a revoked one stops at once.
 * * `integration_calls`: every call of a system (endpoint, answer, counts, the rows refused).
 * * `work_items.source_system_id` + `external_id`: a task that came from a system, upserted by that
 *   pair (read-only for staff).
 * * `national_db_syncs` (per cycle: decision number and date, due date, progress) and
 *   `national_db_records` (per evaluated person: the record, its state and the receiver's reason).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('personal_id', 'text').execute()
  await sql`create unique index staff_personal_id on staff (personal_id) where personal_id is not null`.execute(db)

  await db.schema
    .createTable('integration_systems')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('require_signature', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('integration_keys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('system_id', 'integer', (c) => c.notNull().references('integration_systems.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('signing_secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('integration_keys_system').on('integration_keys').column('system_id').execute()
  await db.schema
    .createTable('integration_calls')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('system_id', 'integer', (c) => c.references('integration_systems.id'))
    .addColumn('key_id', 'integer', (c) => c.references('integration_keys.id'))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('integration_calls_system_at').on('integration_calls').columns(['system_id', 'at']).execute()

  await db.schema
    .alterTable('work_items')
    .addColumn('source_system_id', 'integer', (c) => c.references('integration_systems.id'))
    .addColumn('external_id', 'text')
    .execute()
  await sql`create unique index work_items_external on work_items (source_system_id, external_id) where source_system_id is not null`.execute(db)

  await db.schema
    .createTable('national_db_syncs')
    .addColumn('cycle_id', 'integer', (c) => c.primaryKey().references('cycles.id'))
    .addColumn('decision_number', 'text', (c) => c.notNull())
    .addColumn('decision_date', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('started_at', 'timestamptz')
    .addColumn('due_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('alerted_at', 'timestamptz')
    .execute()
  await db.schema
    .createTable('national_db_records')
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .addColumn('record_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('batch_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('national_db_records_pk', ['cycle_id', 'staff_id'])
    .execute()
  await db.schema.createIndex('national_db_records_batch').on('national_db_records').columns(['cycle_id', 'batch_key']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['national_db_records', 'national_db_syncs']) await db.schema.dropTable(t).execute()
  await db.schema.dropIndex('work_items_external').execute()
  await db.schema.alterTable('work_items').dropColumn('external_id').dropColumn('source_system_id').execute()
  for (const t of ['integration_calls', 'integration_keys', 'integration_systems']) await db.schema.dropTable(t).execute()
  await db.schema.dropIndex('staff_personal_id').execute()
  await db.schema.alterTable('staff').dropColumn('personal_id').execute()
}
