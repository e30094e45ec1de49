import { classify, type Candidate, type Classified } from '../../rules/classify.js'
import type { Level, RuleSetDefinition } from '../../rules/ruleset.types.js'
import { scoreDocument, storedScores, type ScoreOutcome, type StoredScores } from '../evaluations/scoring.js'

/** One evaluation of a cycle, as scoring sees it. */
export interface CycleMember {
  id: number
  staffId: number
  unitId: number
  positionCode: string | null
  ruleRole: 'staff' | 'leader'
  data: Record<string, unknown>
  adjustments: Record<string, unknown> | null
  /** Who reviews this person: their direct superiors, whose `d` counts this person's result. */
  reviewerIds: number[]
  /** The rule-set version pinned for this evaluation at launch. */
  ruleSetId: number
}

export interface RuleSetRef {
  id: number
  hash: string
  definition: RuleSetDefinition
}

export type MemberScore = { ok: true; scores: StoredScores } | { ok: false; code: string; message: string; vi: string }

/** The scores an evaluation carries, as ranking reads them: everything but the trace (half their size, and never compared). */
export interface StoredSummary extends Omit<StoredScores, 'trace'> {
  /** The ranking capped this leader to their unit's level: the scores are the ranking's output, not an approval's. */
  capped: boolean
}

/** A member as ranking loads it: what it scores, the scores it carries, and what the last ranking wrote. */
export interface RankingMember extends CycleMember {
  stored: StoredSummary | null
  /** The carried scores were computed from this very document (see loadRankingMembers). */
  documentScored: boolean
  written: { finalLevel: string | null; quotaCut: boolean | null; quotaTie: boolean | null; rankInUnit: number | null; rankInCycle: number | null }
}

/**
 * The scores a member carries, when ranking may take them instead of scoring again — the same
 * values and level scoring would give, because nothing they depend on changed: the document is the
 * one scored (`documentScored`), by the version pinned for it (the rule-set id and its content
 * hash), and a person's scores depend on nothing else. A leader's do (`d`, their subordinates'
 * results, unknown when their head approved), and scores a ranking capped are its own output:
 * both are scored again. Null: score again.
 */
export function reusableScores(m: Pick<RankingMember, 'ruleRole' | 'stored' | 'documentScored'>, pinned: Pick<RuleSetRef, 'id' | 'hash'>): StoredSummary | null {
  const s = m.stored
  if (!s || !m.documentScored || m.ruleRole === 'leader' || s.capped) return null
  return s.ruleSetId === pinned.id && s.ruleHash === pinned.hash ? s : null
}

const MAX_PASSES = 12

/**
 * Scores a whole cycle, each evaluation with its pinned rule set (or a what-if one), into one score
 * per member by position. Leaders' `subordinatesNotCompleted` comes from their direct subordinates'
 * levels (before quota: the quota never makes anyone KHT), re-scored bottom-up until nothing
 * changes. Pure: used by ranking (of record) and by simulation (what-if), which passes the scores of
 * members other than leaders it already has (`known`, by position: they depend on no one).
 * Positions, not maps keyed by id: a province's 50,000 members went through three such maps per
 * version simulated (a staff member is in a cycle once: the `evaluations_cycle_staff` constraint).
 */
export function scoreCycle(ruleSetOf: (m: CycleMember) => RuleSetRef, members: CycleMember[], options: { explain?: boolean } = {}, known?: readonly (MemberScore | undefined)[]): MemberScore[] {
  const out = new Array<MemberScore>(members.length)
  const levels = new Array<Level | undefined>(members.length)
  // Each leader's direct subordinates (positions): only leaders' scores depend on anyone's.
  const leaders: number[] = []
  const leaderByStaff = new Map<number, number>()
  for (let i = 0; i < members.length; i++) {
    if (members[i]!.ruleRole !== 'leader') continue
    leaderByStaff.set(members[i]!.staffId, leaders.length)
    leaders.push(i)
  }
  const subordinates = leaders.map((): number[] => [])
  for (let i = 0; i < members.length; i++) {
    const reviewers = members[i]!.reviewerIds
    for (let r = 0; r < reviewers.length; r++) {
      const leader = leaderByStaff.get(reviewers[r]!)
      if (leader !== undefined) subordinates[leader]!.push(i)
    }
  }
  const score = (i: number, extra: Record<string, unknown>) => {
    const m = members[i]!
    const ruleSet = ruleSetOf(m)
    const result = memberScore(scoreDocument(ruleSet.definition, m.data, m.adjustments, m.ruleRole, extra, options), ruleSet)
    out[i] = result
    const before = levels[i]
    if (result.ok) levels[i] = result.scores.level
    return result.ok && before !== result.scores.level
  }
  const NO_EXTRA = {}
  for (let i = 0; i < members.length; i++) {
    if (members[i]!.ruleRole === 'leader') continue
    const result = known?.[i]
    if (!result) score(i, NO_EXTRA)
    else {
      out[i] = result
      if (result.ok) levels[i] = result.scores.level
    }
  }
  for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
    changed = false
    leaders.forEach((i, l) => {
      const notCompleted = subordinates[l]!.filter((s) => levels[s] === 'KHT').length
      if (score(i, { leader: { subordinatesNotCompleted: notCompleted } })) changed = true
    })
  }
  return out
}

/** What is kept of one member's scoring outcome. */
export function memberScore(outcome: ScoreOutcome, ruleSet: RuleSetRef): MemberScore {
  return outcome.ok ? { ok: true, scores: storedScores(outcome.result, ruleSet.id, ruleSet.hash) } : { ok: false, code: outcome.code, message: outcome.en, vi: outcome.vi }
}

/** The quota (the cycle's default rule set's policy) and ranks over the members that scored (`scores` by position); `cappedLevels` (evaluation → level) lowers a leader to their unit's level before the quota. */
export function classifyCycle(ruleSet: RuleSetRef, members: CycleMember[], scores: readonly (MemberScore | undefined)[], capByUnit: ReadonlyMap<number, number>, cappedLevels: ReadonlyMap<number, Level> = new Map()): Classified[] {
  const candidates: Candidate[] = []
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!
    const s = scores[i]
    if (s?.ok) candidates.push({ id: m.id, unitId: m.unitId, positionCode: m.positionCode, level: cappedLevels.get(m.id) ?? s.scores.level, values: s.scores.values })
  }
  // One row per candidate, in the members' order (simulation reads them by position).
  return classify(candidates, ruleSet.definition.quota, capByUnit)
}
