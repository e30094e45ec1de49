import type { Kysely } from 'kysely'

/** The calendar tables (filled by the calendar feature). Frozen once merged. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
