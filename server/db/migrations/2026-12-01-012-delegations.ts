import type { Kysely } from 'kysely'

/** Slot for the delegations feature (filled by its branch of work). Frozen once merged. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
