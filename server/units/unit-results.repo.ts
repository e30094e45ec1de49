import { sql } from 'kysely'
import type { Level } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import type { UnitLevel } from './leader-cap.js'

/** A unit evaluation of the period whose head is in a personal cycle: classified, or still on its way. */
export interface HeadedUnit extends UnitLevel {
  headId: number
  cycleId: number
  classified: boolean
}

/**
 * The unit evaluations of exactly this period (same first and last day) owned by these people —
 * the heads who answered for their unit — in unit cycles that were not cancelled. A unit counts as
 * classified once its evaluation is CLASSIFIED with a final level.
 */
export async function headedUnitsOfPeriod(db: Pick<Db, 'selectFrom'>, period: { periodStart: string; periodEnd: string }, staffIds: number[]): Promise<HeadedUnit[]> {
  if (!staffIds.length) return []
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .innerJoin('units as u', 'u.id', 'e.subject_unit_id')
    .select(['e.staff_id', 'e.subject_unit_id', 'u.name', 'e.cycle_id', 'e.stage', 'e.final_level'])
    .where('c.subject', '=', 'unit')
    .where('c.status', 'not in', ['CANCELLING', 'CANCELLED'])
    .where('e.stage', '!=', 'CANCELLED')
    .where('c.period_start', '=', period.periodStart)
    .where('c.period_end', '=', period.periodEnd)
    .where(sql<boolean>`e.staff_id = any(${staffIds}::integer[])`)
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    headId: r.staff_id,
    unitId: r.subject_unit_id!,
    unitName: r.name,
    cycleId: r.cycle_id,
    level: (r.final_level ?? 'KHT') as Level,
    classified: r.stage === 'CLASSIFIED' && r.final_level !== null,
  }))
}

/** The classified units by head, and a reason when some unit of the period is not classified yet. */
export function unitsByHead(units: HeadedUnit[]): { byHead: Map<number, UnitLevel[]>; pending: string | null } {
  const byHead = new Map<number, UnitLevel[]>()
  for (const u of units.filter((x) => x.classified)) byHead.set(u.headId, [...(byHead.get(u.headId) ?? []), { unitId: u.unitId, unitName: u.unitName, level: u.level }])
  const waiting = units.filter((x) => !x.classified)
  const pending = waiting.length
    ? `đánh giá đơn vị cùng kỳ chưa xếp loại, chưa áp được giới hạn xếp loại của người đứng đầu / the unit evaluation of the same period is not classified yet, so its head's level cannot be capped: ${waiting.map((w) => `${w.unitName} (kỳ / cycle #${w.cycleId})`).join(', ')} — xếp loại kỳ đánh giá đơn vị rồi xếp loại lại / classify the unit cycle, then retry the ranking`
    : null
  return { byHead, pending }
}
