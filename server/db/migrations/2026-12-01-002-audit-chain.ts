import { sql, type Kysely } from 'kysely'

/**
 * Tamper-evident audit: every audit event stores `hash = sha256(previous hash | canonical event)`
 * (hex, UTF-8), chained in id order from 64 zeros. Frozen once merged.
 *
 * Canonical event: the fields below, in this order, joined by `|`; each field as text with `\`
 * written `\\` and `|` written `\|`, NULL written `\N` (so no two events share a text):
 *   id | at (UTC, `YYYY-MM-DDTHH:MI:SS.ffffffZ`) | actor_id | entity | entity_id | action |
 *   from_stage | to_stage | reason | data (jsonb text, which PostgreSQL prints canonically) |
 *   ruleset_id | rule_hash | idempotency_key
 * server/audit/audit-chain.ts computes the same text in JavaScript to verify the chain.
 *
 * Serialised by a BEFORE INSERT trigger: it locks the one-row chain head, takes the event's id
 * from the sequence under that lock (so id order is chain order, whatever order concurrent
 * transactions began in), hashes and moves the head. A row whose idempotency key already exists
 * does not move the head: the unique index then drops it (ON CONFLICT DO NOTHING) or refuses it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_events add column hash text`.execute(db)
  await sql`create table audit_chain_head (
    singleton boolean primary key default true check (singleton),
    last_id integer,
    hash text not null)`.execute(db)

  // chr(92) is a backslash, whatever standard_conforming_strings says.
  await sql`create function audit_chain_field(v text) returns text language sql immutable as $$
    select coalesce(replace(replace(v, chr(92), chr(92) || chr(92)), '|', chr(92) || '|'), chr(92) || 'N') $$`.execute(db)
  await sql`create function audit_event_canonical(e audit_events) returns text language sql stable as $$
    select concat_ws('|',
      audit_chain_field(e.id::text),
      audit_chain_field(to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
      audit_chain_field(e.actor_id::text), audit_chain_field(e.entity), audit_chain_field(e.entity_id),
      audit_chain_field(e.action), audit_chain_field(e.from_stage), audit_chain_field(e.to_stage),
      audit_chain_field(e.reason), audit_chain_field(e.data::text), audit_chain_field(e.ruleset_id::text),
      audit_chain_field(e.rule_hash), audit_chain_field(e.idempotency_key)) $$`.execute(db)
  await sql`create function audit_event_hash(prev text, e audit_events) returns text language sql stable as $$
    select encode(sha256(convert_to(prev || '|' || audit_event_canonical(e), 'UTF8')), 'hex') $$`.execute(db)

  // Existing events: chained in id order. The table is locked (ADD COLUMN above) until commit.
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db)
  await sql`do $$
    declare
      r audit_events;
      prev text := repeat('0', 64);
      last_seen integer;
    begin
      for r in select * from audit_events order by id loop
        prev := audit_event_hash(prev, r);
        last_seen := r.id;
        update audit_events set hash = prev where id = r.id;
      end loop;
      insert into audit_chain_head (last_id, hash) values (last_seen, prev);
    end $$`.execute(db)
  await sql`alter table audit_events enable trigger audit_events_no_change`.execute(db)
  await sql`alter table audit_events alter column hash set not null`.execute(db)
  // Only the trigger assigns ids (under the chain lock); an insert that bypasses it fails.
  await sql`alter table audit_events alter column id drop default`.execute(db)

  // SECURITY DEFINER: the app's role appends through the trigger but needs no right on the head.
  await sql`create function audit_events_chain() returns trigger language plpgsql security definer set search_path from current as $$
    declare
      prev text;
    begin
      select hash into prev from audit_chain_head for update;
      if prev is null then raise exception 'audit_chain_head is missing'; end if;
      new.id := nextval('audit_events_id_seq');
      new.hash := audit_event_hash(prev, new);
      if new.idempotency_key is null or not exists (select 1 from audit_events where idempotency_key = new.idempotency_key) then
        update audit_chain_head set last_id = new.id, hash = new.hash;
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`.execute(db)
  await sql`create trigger audit_events_no_truncate before truncate on audit_events for each statement execute function audit_events_append_only()`.execute(db)
  // Default privileges may have handed the app's role writes on the new head table: take them back.
  await sql`do $$
    declare g text;
    begin
      for g in select distinct r.rolname from pg_class c cross join lateral aclexplode(c.relacl) a join pg_roles r on r.oid = a.grantee
               where c.oid = 'audit_chain_head'::regclass and a.grantee <> c.relowner loop
        execute format('revoke insert, update, delete, truncate on audit_chain_head from %I', g);
      end loop;
    end $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db)
  await sql`drop trigger audit_events_chain on audit_events`.execute(db)
  await sql`drop function audit_events_chain`.execute(db)
  await sql`drop function audit_event_hash`.execute(db)
  await sql`drop function audit_event_canonical`.execute(db)
  await sql`drop function audit_chain_field`.execute(db)
  await sql`alter table audit_events alter column id set default nextval('audit_events_id_seq')`.execute(db)
  await sql`alter table audit_events drop column hash`.execute(db)
  await sql`drop table audit_chain_head`.execute(db)
}
