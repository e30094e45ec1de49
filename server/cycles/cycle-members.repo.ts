import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { findRuleSet, type RuleSet } from '../rulesets/ruleset.repo.js'
import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import type { StoredScores } from '../evaluations/scoring.js'
import type { CycleMember, RankingMember, StoredSummary } from './cycle-scoring.js'

export interface MemberRow extends CycleMember {
  stage: string
  fullName: string
  unitName: string
}

/**
 * The evaluations of a cycle in the given stages, with their documents and what scoring and
 * reports need, by id, in one statement. Simulation reads a province's 50,000 a page at a time
 * instead, parsing each document as it scores it (`documentPage`).
 */
export async function loadMembers(db: Db, cycleId: number, stages: string[]): Promise<MemberRow[]> {
  const members = await documentPage(db, await unitNamesOf(db), cycleId, stages, 0)
  for (const m of members) Object.assign(m, { data: JSON.parse(m.data) as unknown, adjustments: m.adjustments === null ? null : (JSON.parse(m.adjustments) as unknown) })
  return members as unknown as MemberRow[]
}

/** Every unit's name by id (hundreds at a province): read once, never joined into each member's row. */
export async function unitNamesOf(db: Db): Promise<Map<number, string>> {
  const units = await db.selectFrom('units').select(['id', 'name']).execute()
  return new Map(units.map((u) => [u.id, u.name]))
}

/** A member as `documentPage` reads it: its document and adjustments still the JSON text PostgreSQL sent. */
export interface MemberText extends Omit<MemberRow, 'data' | 'adjustments'> {
  data: string
  adjustments: string | null
  /** The scores it carries, read instead of its document (then the empty text) where the caller may take them as they are (`documentPage`'s `reuse`). */
  current: CurrentScores | null
}

/** What a simulation takes of an evaluation's stored scores while they are its document's (`evaluations.current_scores`). */
export type CurrentScores = Pick<StoredScores, 'values' | 'total' | 'baseLevel' | 'level' | 'override'>

const LEVEL = Object.fromEntries(LEVELS.map((l) => [l, l])) as Record<Level, Level>

/** `documentPage`'s stored scores: pinned version id → its content hash, and the values a comparison ranks by (its quotas' tie-break keys). */
export interface Reuse {
  versions: Readonly<Record<number, string>>
  values: readonly string[]
}

/**
 * A page of a cycle's evaluations in the given stages, by id after `after` (every one without a
 * `limit`), the columns named as the rows are used (no copy of each row), each document and its
 * adjustments left as JSON text for the reader to parse one at a time: simulation parses one just
 * before scoring it and lets it go just after — a page of 5,000 parsed at once outlived
 * young-generation collections and was copied and promoted with every page.
 *
 * `reuse.versions` (pinned version id → its content hash): the versions whose stored scores the
 * caller takes as they are. A member pinned to one of them, not a leader (whose scores depend on
 * others), whose `current_scores` are its document's as it stands (the triggers of migration 018:
 * by that very version, not capped by a ranking), comes with `current` — its total, levels,
 * override and the `reuse.values` — and without its document or adjustments.
 */
export async function documentPage(db: Db, unitNames: ReadonlyMap<number, string>, cycleId: number, stages: string[], after: number, limit?: number, reuse: Reuse = { versions: {}, values: [] }): Promise<MemberText[]> {
  const versions = Object.entries(reuse.versions).map(([id, hash]) => sql`(${Number(id)}::int, ${hash}::text)`)
  // The triggers keep current_scores only for scores by the pinned version (rule_hash) and not capped: a plain test per row.
  const reusable = versions.length ? sql<boolean>`((e.ruleset_id, e.rule_hash) in (${sql.join(versions)}) and e.rule_role <> 'leader' and e.current_scores is not null)` : sql<boolean>`false`
  // Of them only what the comparison reads, as one small JSON array: total, base level, level, override, then the values
  // (the driver turns each column of each row into a string; 50,000 rows of seven columns cost more than one).
  const values = reuse.values.map((k) => sql`e.current_scores -> 'values' -> ${k}::text`)
  const current = sql<string | null>`case when ${reusable} then json_build_array(e.current_scores -> 'total', e.current_scores -> 'baseLevel', e.current_scores -> 'level',
    e.current_scores -> 'override'${values.length ? sql`, ${sql.join(values)}` : sql``})::text end`
  let query = db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select([
      'e.id',
      'e.staff_id as staffId',
      'e.unit_id as unitId',
      'e.position_code as positionCode',
      'e.rule_role as ruleRole',
      sql<string>`case when ${reusable} then '' else e.data::text end`.as('data'),
      sql<string | null>`case when ${reusable} then null else e.adjustments::text end`.as('adjustments'),
      'e.reviewer_ids as reviewerIds',
      'e.ruleset_id as ruleSetId',
      'e.stage',
      's.full_name as fullName',
      current.as('currentScores'),
    ])
    .where('e.cycle_id', '=', cycleId)
    .where('e.stage', 'in', stages)
    .where('e.id', '>', after)
    .orderBy('e.id')
  if (limit !== undefined) query = query.limit(limit)
  const rows = await query.execute()
  const members = rows as (typeof rows[number] & { unitName: string; current: CurrentScores | null })[]
  for (const m of members) {
    m.unitName = unitNames.get(m.unitId)!
    m.current = null
    if (m.currentScores === null) continue
    const [total, baseLevel, level, override, ...tieBreak] = JSON.parse(m.currentScores) as [number, Level, Level, StoredScores['override'], ...(number | null)[]]
    const values: Record<string, number | null> = {}
    for (let k = 0; k < reuse.values.length; k++) values[reuse.values[k]!] = tieBreak[k] ?? null
    // The levels as the rule set's own strings: 50,000 copies of "HTT" read from the wire are let go young.
    m.current = { values, total, baseLevel: LEVEL[baseLevel], level: LEVEL[level], override }
    m.currentScores = null
  }
  return members
}

/**
 * The evaluations a ranking classifies (signed off or classified), with what it compares: the
 * scores they carry without their trace, whether those scores provably come from the document as
 * it stands, and the ranks and final level written last. Neither names (ranking needs none) nor
 * documents: `loadDocuments` reads those of the members ranking scores again.
 *
 * `documentScored` is the projection's record, checked in SQL: the current round was scored when
 * submitted (its stored scores are an object, not the `null` of a document that failed), the
 * evaluation's document is still that round's (`data` equal as jsonb: anything written to it since,
 * by any path, breaks the equality), and no adjustments apply (the head's approval scores the same
 * document again only without them).
 */
export async function loadRankingMembers(db: Db, cycleId: number): Promise<RankingMember[]> {
  const rows = await db
    .selectFrom('evaluations as e')
    .leftJoin('evaluation_rounds as r', (j) => j.onRef('r.evaluation_id', '=', 'e.id').onRef('r.round', '=', 'e.round'))
    .select(['e.id', 'e.staff_id', 'e.unit_id', 'e.position_code', 'e.rule_role', 'e.reviewer_ids', 'e.ruleset_id', 'e.final_level', 'e.quota_cut', 'e.quota_tie', 'e.rank_in_unit', 'e.rank_in_cycle'])
    .select([
      sql<StoredSummary | null>`e.scores - 'trace'`.as('stored'),
      sql<boolean>`coalesce(e.scores ? 'cap', false)`.as('capped'),
      sql<boolean>`coalesce(e.adjustments is null and r.data = e.data and jsonb_typeof(r.scores) = 'object', false)`.as('document_scored'),
    ])
    .where('e.cycle_id', '=', cycleId)
    .where('e.stage', 'in', ['SIGNED_OFF', 'CLASSIFIED'])
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    unitId: r.unit_id,
    positionCode: r.position_code,
    ruleRole: r.rule_role,
    data: NOT_LOADED,
    adjustments: null,
    reviewerIds: r.reviewer_ids,
    ruleSetId: r.ruleset_id,
    stored: r.stored && typeof r.stored === 'object' ? { ...r.stored, capped: r.capped } : null,
    documentScored: r.document_scored,
    written: { finalLevel: r.final_level, quotaCut: r.quota_cut, quotaTie: r.quota_tie, rankInUnit: r.rank_in_unit, rankInCycle: r.rank_in_cycle },
  }))
}

/** The document of a member loaded without it (or let go once scored): scoring it is a bug, and fails on every required input instead of passing silently. */
export const NOT_LOADED: Record<string, unknown> = Object.freeze({})

/** Reads the documents (and adjustments) of the given members, in place, for scoring them. */
export async function loadDocuments(db: Db, members: CycleMember[]): Promise<void> {
  const byId = new Map(members.map((m) => [m.id, m]))
  for (let i = 0; i < members.length; i += 10_000) {
    const ids = members.slice(i, i + 10_000).map((m) => m.id)
    const rows = await db.selectFrom('evaluations').select(['id', 'data', 'adjustments']).where(sql<boolean>`id = any(${ids}::int[])`).execute()
    for (const r of rows) Object.assign(byId.get(r.id)!, { data: r.data, adjustments: r.adjustments })
  }
}

/** Leadership's quota exceptions for a cycle: unit → cap. */
export async function quotaCaps(db: Db, cycleId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('quota_exceptions').select(['unit_id', 'cap']).where('cycle_id', '=', cycleId).execute()
  return new Map(rows.map((r) => [r.unit_id, r.cap]))
}

/** The rule-set versions pinned by a cycle's evaluations, by id. */
export async function pinnedRuleSets(db: Db, members: { ruleSetId: number }[]): Promise<Map<number, RuleSet>> {
  const out = new Map<number, RuleSet>()
  for (const id of new Set(members.map((m) => m.ruleSetId))) out.set(id, (await findRuleSet(db, id))!)
  return out
}
