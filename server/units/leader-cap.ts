import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import type { TraceLine } from '../../rules/evaluate.js'

/** A unit's classified result in the period, as the cap of its head reads it. */
export interface UnitLevel {
  unitId: number
  unitName: string
  level: Level
}

/** Why a leader's level was lowered: the unit's level, from → to, in words. */
export interface LeaderCap {
  unitId: number
  unitName: string
  unitLevel: Level
  from: Level
  to: Level
  text: { vi: string; en: string }
}

const order = (level: Level) => LEVELS.indexOf(level)

/**
 * "A leader's level may not exceed the level of the unit they head" (domain §7): the level is the
 * lower of their own and each headed unit's level. Null when no unit lowers it (equal or better).
 */
export function leaderCap(own: Level, units: readonly UnitLevel[]): LeaderCap | null {
  let lowest: UnitLevel | undefined
  for (const u of units) if (order(u.level) > order(lowest?.level ?? own)) lowest = u
  if (!lowest) return null
  const to = lowest.level
  return {
    unitId: lowest.unitId,
    unitName: lowest.unitName,
    unitLevel: to,
    from: own,
    to,
    text: { vi: `${own} → ${to}: đơn vị xếp loại ${to} (${lowest.unitName})`, en: `${own} → ${to}: the unit is rated ${to} (${lowest.unitName})` },
  }
}

/** The cap as a line of the evaluation's trace, after the band and any override. */
export function capTraceLine(cap: LeaderCap): TraceLine {
  return { key: 'leaderCap', label: { vi: 'Giới hạn theo xếp loại đơn vị', en: "Capped by the unit's level" }, value: cap.to, text: cap.text }
}

/**
 * The caps of a cycle's members: each member whose person heads units with a classified result of
 * the period gets `min(own level, unit level)`. Pure: members (evaluation id, staff id, own level
 * after overrides) and the unit results by head.
 */
export function cycleCaps(members: readonly { id: number; staffId: number; level: Level }[], unitsByHead: ReadonlyMap<number, readonly UnitLevel[]>): Map<number, LeaderCap> {
  const out = new Map<number, LeaderCap>()
  for (const m of members) {
    const cap = leaderCap(m.level, unitsByHead.get(m.staffId) ?? [])
    if (cap) out.set(m.id, cap)
  }
  return out
}
