import { sql, type Kysely } from 'kysely'

/**
 * The product lines pre-filled from the confirmed work log at launch, kept apart from the draft:
 * a saved line is "from the work log" only if it is one of these, whatever the request says.
 * Rows launched before this migration take the lines their draft marks as such. Frozen once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluations').addColumn('prefilled_products', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`)).execute()
  await sql`
    update evaluations e set prefilled_products = coalesce((
      select jsonb_agg(l order by n) from jsonb_array_elements(case when jsonb_typeof(e.data->'products') = 'array' then e.data->'products' else '[]'::jsonb end) with ordinality as t(l, n)
      where l->>'source' = 'worklog'), '[]'::jsonb)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluations').dropColumn('prefilled_products').execute()
}
