import type { Kysely } from 'kysely'

/** The petitions tables (filled by the petitions feature). Frozen once merged. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
