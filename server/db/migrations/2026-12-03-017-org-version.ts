import { sql, type Kysely } from 'kysely'

/**
 * The organisation's version: one number that every change to `units` (a unit created, moved,
 * given a head, removed) moves, in the same transaction, by a statement trigger. An API process
 * keeps the organisation it last read with the version it read first (server/org/visibility.ts)
 * and reads the units again only when the number has moved: who may see which unit's figures is
 * computed from 400 units on every results page, progress and export otherwise. Any instance's
 * change moves the one number, so no instance answers from an organisation older than the change.
 * Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table org_version (id int primary key default 1 check (id = 1), version bigint not null)`.execute(db)
  await sql`insert into org_version (id, version) values (1, 0)`.execute(db)
  await sql`create function org_version_bump() returns trigger language plpgsql as $$
    begin
      update org_version set version = version + 1 where id = 1;
      return null;
    end $$`.execute(db)
  await sql`create trigger units_org_version after insert or update or delete or truncate on units for each statement execute function org_version_bump()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger units_org_version on units`.execute(db)
  await sql`drop function org_version_bump()`.execute(db)
  await sql`drop table org_version`.execute(db)
}
