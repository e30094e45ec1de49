import type { Level } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import { capTraceLine, cycleCaps, type LeaderCap } from './leader-cap.js'
import { headedUnitsOfPeriod, unitsByHead } from './unit-results.repo.js'

/**
 * The leader caps of a personal cycle at its ranking: each member who answered for a unit in a unit
 * cycle of the same period gets min(own level, the unit's level). A unit of the period that is not
 * classified yet makes `pending` a reason (the ranking fails with it, to be retried once the unit
 * cycle is classified); a period without a unit cycle caps nobody.
 */
export async function leaderCapsOf(db: Pick<Db, 'selectFrom'>, cycle: { period_start: string; period_end: string }, members: readonly { id: number; staffId: number; level: Level }[]): Promise<{ caps: Map<number, LeaderCap>; pending: string | null }> {
  const units = await headedUnitsOfPeriod(db, { periodStart: cycle.period_start, periodEnd: cycle.period_end }, [...new Set(members.map((m) => m.staffId))])
  const { byHead, pending } = unitsByHead(units)
  return { caps: pending ? new Map() : cycleCaps(members, byHead), pending }
}

/** Stored scores with the cap beside them and its line at the end of the trace (what the results and the evaluation page show). */
export function withCap<S extends { trace: unknown[] }>(scores: S, cap: LeaderCap | undefined): S & { cap?: LeaderCap } {
  return cap ? { ...scores, cap, trace: [...scores.trace, capTraceLine(cap)] } : scores
}
