import { sql } from 'kysely'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { ruleSetHash } from '../../rules/ruleset.hash.js'
import type { Db } from '../db/database.js'
import type { RuleSetRow } from '../db/schema.js'

export interface RuleSet {
  id: number
  code: string
  version: number
  status: RuleSetRow['status']
  hash: string
  definition: RuleSetDefinition
  createdAt: Date
  publishedAt: Date | null
}

export const toRuleSet = (r: RuleSetRow): RuleSet => ({
  id: r.id,
  code: r.code,
  version: r.version,
  status: r.status,
  hash: r.hash,
  definition: r.definition as RuleSetDefinition,
  createdAt: r.created_at,
  publishedAt: r.published_at,
})

const published = new Map<number, RuleSet>()

/** A rule set by id; published versions are immutable, so they are cached. */
export async function findRuleSet(db: Db, id: number): Promise<RuleSet | undefined> {
  const cached = published.get(id)
  if (cached) return cached
  const row = await db.selectFrom('rulesets').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) return undefined
  const ruleSet = toRuleSet(row)
  if (ruleSet.status !== 'draft') published.set(id, ruleSet)
  return ruleSet
}

/** Rule sets by code, then version: all, or a keyset page after the rule set with id `after` (at most `limit`). */
export async function listRuleSets(db: Db, pageOf: { after?: number | undefined; limit?: number } = {}): Promise<RuleSet[]> {
  let q = db.selectFrom('rulesets as r').selectAll().orderBy('r.code').orderBy('r.version')
  if (pageOf.after !== undefined) q = q.where(sql<boolean>`(r.code, r.version) > (select code, version from rulesets where id = ${pageOf.after})`)
  if (pageOf.limit !== undefined) q = q.limit(pageOf.limit)
  return (await q.execute()).map(toRuleSet)
}

/** Creates a draft as the next version of its code. */
export async function createDraft(db: Db, definition: RuleSetDefinition, createdBy: number | null): Promise<RuleSet> {
  const last = await db
    .selectFrom('rulesets')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('code', '=', definition.code)
    .executeTakeFirst()
  const row = await db
    .insertInto('rulesets')
    .values({
      code: definition.code,
      version: Number(last?.v ?? 0) + 1,
      status: 'draft',
      definition: JSON.stringify(definition),
      hash: ruleSetHash(definition),
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRuleSet(row)
}

export async function updateDraft(db: Db, id: number, definition: RuleSetDefinition): Promise<RuleSet | undefined> {
  const row = await db
    .updateTable('rulesets')
    .set({ definition: JSON.stringify(definition), hash: ruleSetHash(definition) })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst()
  return row && toRuleSet(row)
}

export async function publishRuleSet(db: Db, id: number): Promise<RuleSet | undefined> {
  const row = await db
    .updateTable('rulesets')
    .set({ status: 'published', published_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst()
  return row && toRuleSet(row)
}

/** Archives a published version: no new cycle may pin it; cycles that pinned it keep it. */
export async function archiveRuleSet(db: Db, id: number): Promise<RuleSet | undefined> {
  const row = await db.updateTable('rulesets').set({ status: 'archived' }).where('id', '=', id).where('status', '=', 'published').returningAll().executeTakeFirst()
  if (row) published.delete(id)
  return row && toRuleSet(row)
}
