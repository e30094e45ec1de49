import { sql, type Kysely } from 'kysely'

/**
 * Read model for a province: who is party to which evaluation as rows (owner, reviewer, sign-off)
 * with the index the inboxes need, instead of `jsonb @>` over arrays no index serves; the index
 * for "my notifications" and their read state; the cycle's evaluations in id order. Existing
 * evaluations get their parties from the arrays. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluation_parties')
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'reviewer', 'signoff')`))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('evaluation_parties_pk', ['person_id', 'role', 'evaluation_id'])
    .execute()
  await db.schema.createIndex('evaluation_parties_evaluation').on('evaluation_parties').column('evaluation_id').execute()
  await sql`
    insert into evaluation_parties (person_id, role, evaluation_id)
    select staff_id, 'owner', id from evaluations
    union select r::int, 'reviewer', id from evaluations, jsonb_array_elements_text(reviewer_ids) r
    union select s::int, 'signoff', id from evaluations, jsonb_array_elements_text(sign_off_ids) s
    on conflict do nothing`.execute(db)
  await db.schema.createIndex('evaluations_cycle_id').on('evaluations').columns(['cycle_id', 'id']).execute()
  await db.schema.createIndex('evaluations_stage_id').on('evaluations').columns(['stage', 'id']).execute()
  await db.schema.alterTable('notifications').addColumn('read_at', 'timestamptz').execute()
  await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_recipient').execute()
  await db.schema.alterTable('notifications').dropColumn('read_at').execute()
  await db.schema.dropIndex('evaluations_stage_id').execute()
  await db.schema.dropIndex('evaluations_cycle_id').execute()
  await db.schema.dropTable('evaluation_parties').execute()
}
