import type { Db } from '../db/database.js'
import { rankOf } from '../petitions/petition-schedule.js'

/**
 * A unit's list of published results, as its members see it: names, positions, levels, ranks in
 * the unit ("3 / 12") and totals — never inputs, values or comments. An evaluation reopened by an
 * accepted petition shows as under review, without level or rank, until it is classified again.
 */
export async function publishedList(db: Db, cycleId: number, unitId: number) {
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .leftJoin('positions as p', 'p.code', 'e.position_code')
    .select(['e.id', 'e.staff_id', 's.full_name', 'u.name as unit_name', 'e.position_code', 'p.name as position_name', 'e.stage', 'e.final_level', 'e.rank_in_unit', 'e.total'])
    .where('e.cycle_id', '=', cycleId)
    .where('e.unit_id', '=', unitId)
    .where('e.stage', '<>', 'CANCELLED')
    .execute()
  if (!rows.length) return undefined
  const size = rows.length
  const shown = rows.map((r) => {
    const classified = r.stage === 'CLASSIFIED'
    return {
      evaluationId: r.id,
      staffId: r.staff_id,
      fullName: r.full_name,
      positionCode: r.position_code,
      positionName: r.position_name,
      level: classified ? r.final_level : null,
      rankInUnit: classified ? r.rank_in_unit : null,
      rank: classified ? rankOf(r.rank_in_unit, size) : null,
      total: classified ? r.total : null,
      underReview: !classified,
    }
  })
  shown.sort((a, b) => (a.rankInUnit ?? Infinity) - (b.rankInUnit ?? Infinity) || a.fullName.localeCompare(b.fullName, 'vi'))
  return { unitId, unitName: rows[0]!.unit_name, unitSize: size, results: shown }
}
