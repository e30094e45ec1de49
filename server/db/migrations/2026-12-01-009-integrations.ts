import type { Kysely } from 'kysely'

/** The integrations tables (filled by the integrations feature). Frozen once merged. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
