import { sql, type Kysely } from 'kysely'

/**
 * The index a cycle's results list reads in its order (server/routes/cycles.routes.ts,
 * `GET /api/cycles/:id/results`: classified evaluations by `coalesce(rank_in_cycle, 2147483647)`,
 * then id, keyset pages compared on the same pair). The expression is the query's, character for
 * character, so the planner matches it. Without it, a page of 50 out of 50,000 results scanned and
 * sorted the whole cycle (~0,5 s; with it under 1 ms, measured with EXPLAIN ANALYZE at 50,000).
 * Partial on CLASSIFIED: rows of an open cycle neither enter it nor pay for it. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index evaluations_results_order on evaluations (cycle_id, (coalesce(rank_in_cycle, 2147483647)), id) where stage = 'CLASSIFIED'`.execute(db)
  // Statistics on the index's expression come with the next ANALYZE: take it now.
  await sql`analyze evaluations`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index evaluations_results_order`.execute(db)
}
