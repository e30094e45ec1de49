import { sql, type Kysely } from 'kysely'

/**
 * Indexes for the work log's month summary (server/worklog/unit-summary.repo.ts). Frozen once merged.
 *
 * * `work_items_summary`: items in (staff, product) order with every column the aggregation reads,
 *   so the summary of every unit streams from an index-only scan into its groups (no sort, no hash
 *   table spilling to disk) once vacuum has set the visibility map, as autovacuum does on a live
 *   table. One unit's month still comes from `work_items_unit_due`.
 * * Statistics on (staff_id, product_id): without them the planner multiplies the two columns'
 *   distinct counts, expects a few thousand groups where there are 100,000, and picks a hash
 *   aggregate that spills.
 * * `work_item_updates_on_date`: the hours logged in a period, without reading every update ever made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index work_items_summary on work_items (staff_id, product_id, due_on)
    include (unit_id, status, quantity, done_quantity, quality_failures, extended_to, completed_on)`.execute(db)
  await sql`create statistics work_items_staff_product (ndistinct) on staff_id, product_id from work_items`.execute(db)
  await sql`create index work_item_updates_on_date on work_item_updates (on_date) include (work_item_id, hours)`.execute(db)
  // The planner uses the new statistics from the next ANALYZE: take it now rather than at autovacuum's leisure.
  await sql`analyze work_items`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_item_updates_on_date').execute()
  await sql`drop statistics work_items_staff_product`.execute(db)
  await db.schema.dropIndex('work_items_summary').execute()
}
