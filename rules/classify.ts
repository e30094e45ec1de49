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

/** Applies the quota within each unit (and position group) and ranks within unit and cycle: one row per candidate, in their order. */
export function classify(
  candidates: Candidate[],
  policy: QuotaPolicy,
  capByUnit: ReadonlyMap<number, number> = new Map(),
): Classified[] {
  // Candidates are held by position (rows, levels, totals): no map keyed by id, 50,000 of each at a province.
  const rows: Classified[] = candidates.map((c) => ({ id: c.id, finalLevel: c.level, cutByQuota: false, tieFlag: false, rankInUnit: 0, rankInCycle: 0 }))
  const all = candidates.map((_, i) => i)
  const units = groupBy(all, (i) => candidates[i]!.unitId)
  // The quota applies within each unit and, inside it, each position group (no key strings built per candidate).
  for (const unit of units.values()) {
    const cap = capByUnit.get(candidates[unit[0]!]!.unitId) ?? policy.cap
    const groups = policy.positionGroups ? groupBy(unit, (i) => quotaGroup(policy, candidates[i]!.positionCode)).values() : [unit]
    for (const group of groups) applyQuota(candidates, group, policy, cap, rows)
  }
  // Ranking covers every candidate of the cycle: each one's final level, its order and its total are read once.
  const order = rows.map((r) => levelOrder(r.finalLevel))
  const totals = candidates.map((c) => total(c, policy))
  const byLevelThenTotal = (x: number, y: number) => order[x]! - order[y]! || totals[y]! - totals[x]!
  const sameRank = (x: number, y: number) => rows[x]!.finalLevel === rows[y]!.finalLevel && sameTotal(totals[x]!, totals[y]!)
  const rank = (indices: number[], assign: (i: number, rank: number) => void) => {
    const counted = countedRanks(indices, order, totals)
    if (counted) indices.forEach((i, k) => assign(i, counted[k]!))
    else competitionRanks(indices, byLevelThenTotal, sameRank, assign)
  }
  for (const unit of units.values()) rank(unit, (i, r) => (rows[i]!.rankInUnit = r))
  rank(all, (i, r) => (rows[i]!.rankInCycle = r))
  return rows
}

/**
 * The competition ranks that sorting by level, then total (highest first) gives: 1 + how many
 * rank strictly before — found by binary search in each level's sorted totals (a numeric sort of
 * a Float64Array, no comparator called per pair). Null when a level is unknown or a total is not
 * a finite number: those keep the sort.
 */
function countedRanks(indices: number[], order: number[], totals: number[]): number[] | null {
  const sizes = LEVELS.map(() => 0)
  for (const i of indices) {
    const o = order[i]!
    if (!(o >= 0 && o < sizes.length) || !Number.isFinite(totals[i])) return null
    sizes[o]!++
  }
  const byLevel = sizes.map((n) => new Float64Array(n))
  const filled = LEVELS.map(() => 0)
  for (const i of indices) byLevel[order[i]!]![filled[order[i]!]!++] = totals[i]!
  for (const sorted of byLevel) sorted.sort()
  const before = sizes.map((_, o) => sizes.slice(0, o).reduce((sum, n) => sum + n, 0))
  return indices.map((i) => {
    const sorted = byLevel[order[i]!]!
    return 1 + before[order[i]!]! + sorted.length - firstAbove(sorted, totals[i]!)
  })
}

/** Index of the first value above `x` in ascending `sorted`. */
function firstAbove(sorted: Float64Array, x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The quota over one group (`group`: positions in `candidates`), its cuts written to `rows` at the same positions. */
function applyQuota(candidates: Candidate[], group: number[], policy: QuotaPolicy, cap: number, rows: Classified[]): void {
  const keys = policy.tieBreak
  const contenders = group.filter((i) => candidates[i]!.level === policy.level).sort((x, y) => compareByKeys(candidates[y]!, candidates[x]!, keys))
  let ofLevelCount = 0
  for (const i of group) if (candidates[i]!.level === policy.ofLevel) ofLevelCount++
  let keep = quotaLimit(contenders.length, ofLevelCount, cap)
  if (keep >= contenders.length) return
  const at = (k: number) => candidates[contenders[k]!]!
  let tie = false
  // A tie straddling the cut: cut every tied candidate and flag the unit for leadership.
  while (keep > 0 && compareByKeys(at(keep - 1), at(keep), keys) === 0) {
    keep--
    tie = true
  }
  for (let k = keep; k < contenders.length; k++) {
    const row = rows[contenders[k]!]!
    row.finalLevel = policy.cutTo
    row.cutByQuota = true
    row.tieFlag = tie && compareByKeys(at(k), at(keep), keys) === 0
  }
}

function competitionRanks<T>(
  items: T[],
  compare: (x: T, y: T) => number,
  same: (x: T, y: T) => boolean,
  assign: (x: T, rank: number) => void,
): void {
  const sorted = [...items].sort(compare)
  let rank = 0
  sorted.forEach((item, i) => {
    if (i === 0 || !same(sorted[i - 1]!, item)) rank = i + 1
    assign(item, rank)
  })
}

/** Equal as ranks compare totals: by their text (`${total}`), which for numbers is equality, NaN included. */
function sameTotal(x: number, y: number): boolean {
  if (x === y) return true
  return typeof x === 'number' && typeof y === 'number' ? Number.isNaN(x) && Number.isNaN(y) : String(x) === String(y)
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

function groupBy<T, K>(items: T[], key: (x: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) list.push(item)
    else map.set(k, [item])
  }
  return map
}
