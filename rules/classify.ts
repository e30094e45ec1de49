import { LEVELS, type Level, type QuotaPolicy } from './ruleset.types.js'

/** One evaluation as ranking sees it. */
export interface Candidate {
  id: number
  unitId: number
  positionCode: string | null
  /** Level after overrides, before quota. */
  level: Level
  /** Computed values, for ordering (total, task, general…). */
  values: Record<string, number | null>
}

export interface Classified {
  id: number
  finalLevel: Level
  /** True when the quota moved this candidate down. */
  cutByQuota: boolean
  /** True when a tie straddled the cut: leadership must look at it. */
  tieFlag: boolean
  rankInUnit: number
  rankInCycle: number
}

/** Max number of `level` that keeps count ≤ cap × (final count of ofLevel). */
export function quotaLimit(candidates: number, ofLevelCount: number, cap: number): number {
  for (let n = candidates; n > 0; n--) {
    if (n <= cap * (ofLevelCount + (candidates - n)) + 1e-9) return n
  }
  return 0
}

/** Applies the quota within each unit (and position group) and ranks within unit and cycle. */
export function classify(
  candidates: Candidate[],
  policy: QuotaPolicy,
  capByUnit: ReadonlyMap<number, number> = new Map(),
): Classified[] {
  const result = new Map<number, Classified>()
  for (const c of candidates) {
    result.set(c.id, { id: c.id, finalLevel: c.level, cutByQuota: false, tieFlag: false, rankInUnit: 0, rankInCycle: 0 })
  }
  for (const group of groupBy(candidates, (c) => `${c.unitId}|${quotaGroup(policy, c.positionCode)}`).values()) {
    const cap = capByUnit.get(group[0]!.unitId) ?? policy.cap
    applyQuota(group, policy, cap, result)
  }
  const byLevelThenTotal = (x: Candidate, y: Candidate) =>
    levelOrder(result.get(x.id)!.finalLevel) - levelOrder(result.get(y.id)!.finalLevel) || total(y, policy) - total(x, policy)
  const rankKey = (c: Candidate) => `${result.get(c.id)!.finalLevel}|${total(c, policy)}`
  for (const unit of groupBy(candidates, (c) => String(c.unitId)).values()) {
    competitionRanks(unit, byLevelThenTotal, rankKey, (c, r) => (result.get(c.id)!.rankInUnit = r))
  }
  competitionRanks(candidates, byLevelThenTotal, rankKey, (c, r) => (result.get(c.id)!.rankInCycle = r))
  return candidates.map((c) => result.get(c.id)!)
}

function applyQuota(group: Candidate[], policy: QuotaPolicy, cap: number, out: Map<number, Classified>): void {
  const keys = policy.tieBreak
  const contenders = group.filter((c) => c.level === policy.level).sort((x, y) => compareByKeys(y, x, keys))
  const ofLevelCount = group.filter((c) => c.level === policy.ofLevel).length
  let keep = quotaLimit(contenders.length, ofLevelCount, cap)
  if (keep >= contenders.length) return
  let tie = false
  // A tie straddling the cut: cut every tied candidate and flag the unit for leadership.
  while (keep > 0 && compareByKeys(contenders[keep - 1]!, contenders[keep]!, keys) === 0) {
    keep--
    tie = true
  }
  contenders.forEach((c, i) => {
    if (i < keep) return
    const row = out.get(c.id)!
    row.finalLevel = policy.cutTo
    row.cutByQuota = true
    row.tieFlag = tie && compareByKeys(c, contenders[keep]!, keys) === 0
  })
}

function competitionRanks<T>(
  items: T[],
  compare: (x: T, y: T) => number,
  key: (x: T) => string,
  assign: (x: T, rank: number) => void,
): void {
  const sorted = [...items].sort(compare)
  let rank = 0
  sorted.forEach((item, i) => {
    if (i === 0 || key(sorted[i - 1]!) !== key(item)) rank = i + 1
    assign(item, rank)
  })
}

function compareByKeys(x: Candidate, y: Candidate, keys: string[]): number {
  for (const k of keys) {
    const d = (x.values[k] ?? 0) - (y.values[k] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function quotaGroup(policy: QuotaPolicy, positionCode: string | null): string {
  return (positionCode && policy.positionGroups?.[positionCode]) || '*'
}

function total(c: Candidate, policy: QuotaPolicy): number {
  return c.values[policy.tieBreak[0] ?? 'total'] ?? 0
}

function levelOrder(level: Level): number {
  return LEVELS.indexOf(level)
}

function groupBy<T>(items: T[], key: (x: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) list.push(item)
    else map.set(k, [item])
  }
  return map
}
