import type { Db } from '../db/database.js'
import { findRuleSet, type RuleSet } from '../rulesets/ruleset.repo.js'
import type { CycleMember } from './cycle-scoring.js'

export interface MemberRow extends CycleMember {
  version: number
  stage: string
  fullName: string
  unitName: string
  total: number | null
  level: string | null
  finalLevel: string | null
}

/** The evaluations of a cycle in the given stages, with what scoring and reports need. */
export async function loadMembers(db: Db, cycleId: number, stages: string[]): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select(['e.id', 'e.staff_id', 'e.unit_id', 'e.position_code', 'e.rule_role', 'e.data', 'e.adjustments', 'e.reviewer_ids', 'e.version', 'e.stage', 's.full_name', 'u.name as unit_name', 'e.total', 'e.level', 'e.final_level', 'e.ruleset_id'])
    .where('e.cycle_id', '=', cycleId)
    .where('e.stage', 'in', stages)
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    unitId: r.unit_id,
    positionCode: r.position_code,
    ruleRole: r.rule_role,
    data: r.data,
    adjustments: r.adjustments,
    reviewerIds: r.reviewer_ids,
    ruleSetId: r.ruleset_id,
    version: r.version,
    stage: r.stage,
    fullName: r.full_name,
    unitName: r.unit_name,
    total: r.total,
    level: r.level,
    finalLevel: r.final_level,
  }))
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
