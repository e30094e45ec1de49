import { sql, type Kysely } from 'kysely'

/**
 * `evaluations.current_scores`: the stored scores without their trace, while they are the scores
 * of the document as it stands by the pinned version — null from the moment the document, its
 * adjustments, the rule role or the pinned version is written without them, and for scores of
 * another version or capped by a ranking (its output, not the document's). Two row triggers keep
 * it, whatever path writes: `evaluations_1_document_written` (before an update naming data,
 * adjustments, rule_role, ruleset_id or rule_hash) clears it; `evaluations_2_scored` (before an
 * insert, or an update naming scores; it fires after the first, triggers firing by name) takes it
 * from the scores written. Whoever writes `scores` writes the document's (the projection scores the
 * document it writes beside them; ranking scores the document it read): that is the invariant this
 * column carries.
 *
 * A simulation of a band change reads seven fields of it instead of the document wherever it can
 * (nothing to parse and score but a small JSON array; proving the stored scores current by comparing each
 * document with its round's cost more than reading the documents — bench/HISTORY.md, 03–04/12/2026).
 * Rows already scored keep theirs where ranking's proof holds (the round's document unchanged, no
 * adjustments); the others start null and are scored from their document. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table evaluations add column current_scores jsonb`.execute(db)
  // Kept uncompressed (~0,5 KB, inline beside the row): a simulation reads seven fields of it per row, and each `->` on a
  // compressed value decompressed it again (a page of 5,000 evaluations: 60 → 21–32 ms in PostgreSQL).
  await sql`alter table evaluations alter column current_scores set storage external`.execute(db)
  await sql`create function evaluations_document_written() returns trigger language plpgsql as $$
    begin
      new.current_scores := null;
      return new;
    end $$`.execute(db)
  await sql`create function evaluations_scored() returns trigger language plpgsql as $$
    begin
      new.current_scores := case
        when jsonb_typeof(new.scores) = 'object' and not new.scores ? 'cap'
          and new.scores ->> 'ruleSetId' = new.ruleset_id::text and new.scores ->> 'ruleHash' = new.rule_hash
        then new.scores - 'trace' end;
      return new;
    end $$`.execute(db)
  await sql`create trigger evaluations_1_document_written before update of data, adjustments, rule_role, ruleset_id, rule_hash on evaluations
    for each row execute function evaluations_document_written()`.execute(db)
  await sql`create trigger evaluations_2_scored before insert or update of scores on evaluations
    for each row execute function evaluations_scored()`.execute(db)
  await sql`update evaluations e set current_scores = e.scores - 'trace'
    from evaluation_rounds r
    where r.evaluation_id = e.id and r.round = e.round and e.adjustments is null and r.data = e.data
      and jsonb_typeof(r.scores) = 'object' and jsonb_typeof(e.scores) = 'object' and not e.scores ? 'cap'
      and e.scores ->> 'ruleSetId' = e.ruleset_id::text and e.scores ->> 'ruleHash' = e.rule_hash`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger evaluations_2_scored on evaluations`.execute(db)
  await sql`drop trigger evaluations_1_document_written on evaluations`.execute(db)
  await sql`drop function evaluations_scored()`.execute(db)
  await sql`drop function evaluations_document_written()`.execute(db)
  await sql`alter table evaluations drop column current_scores`.execute(db)
}
