import type { Kysely } from 'kysely'

/**
 * Digests: a reminder or escalation to a reviewer or a leader is one notification per person, kind
 * and day, listing the evaluations it covers (their ids, without repeats, so a retried activity
 * never counts one twice). Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('evaluation_ids', 'jsonb').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('evaluation_ids').execute()
}
