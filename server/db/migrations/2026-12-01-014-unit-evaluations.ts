import { sql, type Kysely } from 'kysely'

/**
 * Unit evaluation (issue 14, point 2). Frozen once merged.
 *
 * A unit cycle is a cycle (`cycles.subject = 'unit'`) whose evaluations are units: each row is
 * owned by the unit's head (`staff_id`, who self-assesses for the unit), lies in the unit it
 * evaluates (`unit_id`) and names it (`subject_unit_id`), so the evaluation workflow, the
 * projection, rounds, audit and ranking run as they are. Personal rows keep `subject_unit_id` null.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cycles add column subject text not null default 'staff' check (subject in ('staff', 'unit'))`.execute(db)
  await sql`alter table evaluations add column subject_unit_id integer references units(id)`.execute(db)
  // One evaluation per unit and cycle; the leader cap finds a unit's result by its head and period.
  await sql`create unique index evaluations_cycle_subject_unit on evaluations (cycle_id, subject_unit_id) where subject_unit_id is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index evaluations_cycle_subject_unit`.execute(db)
  await sql`alter table evaluations drop column subject_unit_id`.execute(db)
  await sql`alter table cycles drop column subject`.execute(db)
}
