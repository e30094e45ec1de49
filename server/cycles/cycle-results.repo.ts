import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { SessionUser } from '../http/context.js'
import type { visibleUnitsOf } from '../org/visibility.js'

type Visible = Awaited<ReturnType<typeof visibleUnitsOf>>

/** Results without a rank (none expected once classified) come last, in a keyset order that stays total. */
const rankKey = sql`coalesce(e.rank_in_cycle, 2147483647)`

/** A cycle's classified evaluations as this user may see them: admins all, leaders their scope, heads their units, everyone their own. */
function resultsScope(db: Db, cycleId: number, user: SessionUser, visible: Visible) {
  let q = db.selectFrom('evaluations as e').innerJoin('units as u', 'u.id', 'e.unit_id').where('e.cycle_id', '=', cycleId).where('e.stage', '=', 'CLASSIFIED')
  if (visible !== 'all') q = q.where((eb) => eb.or([eb('e.staff_id', '=', user.id), eb(sql<boolean>`e.unit_id = any(${[...visible]}::int[])`, '=', true)]))
  return q
}

/**
 * The visible results ranked (rank in the cycle, then id): all of them (the export), or the page after the result with evaluation id `after`.
 * Their scores without the trace (a results list shows values and the leader's cap; the trace, most of the scores' size, is the evaluation's own page's).
 * A page takes the trace off its own rows once cut (taken off every visible row before the sort, it was most of a head's page's time in PostgreSQL);
 * the export, every row, takes it off in the one sort.
 */
export async function visibleResults(db: Db, cycleId: number, user: SessionUser, visible: Visible, pageOf?: { after?: number | undefined; limit: number }) {
  const columns = ['e.id', 'e.staff_id', 's.full_name', 'e.unit_id', 'u.name as unit_name', 'e.position_code', 'e.total', 'e.level', 'e.final_level', 'e.override_code', 'e.quota_cut', 'e.quota_tie', 'e.rank_in_unit', 'e.rank_in_cycle'] as const
  const ranked = resultsScope(db, cycleId, user, visible).innerJoin('staff as s', 's.id', 'e.staff_id').select(columns).orderBy(rankKey).orderBy('e.id')
  if (!pageOf) return ranked.select([sql<unknown>`e.scores - 'trace'`.as('scores'), sql<unknown>`e.data->'periods'`.as('periods')]).execute()
  let cut = ranked.select(['e.scores', 'e.data']).limit(pageOf.limit + 1)
  if (pageOf.after !== undefined) cut = cut.where(sql<boolean>`(${rankKey}, e.id) > (select coalesce(rank_in_cycle, 2147483647), id from evaluations where id = ${pageOf.after})`)
  return db
    .selectFrom(cut.as('r'))
    .select(['r.id', 'r.staff_id', 'r.full_name', 'r.unit_id', 'r.unit_name', 'r.position_code', 'r.total', 'r.level', 'r.final_level', 'r.override_code', 'r.quota_cut', 'r.quota_tie', 'r.rank_in_unit', 'r.rank_in_cycle', sql<unknown>`r.scores - 'trace'`.as('scores'), sql<unknown>`r.data->'periods'`.as('periods')])
    .orderBy(sql`coalesce(r.rank_in_cycle, 2147483647)`)
    .orderBy('r.id')
    .execute()
}

/** Figures over every visible result (not one page): how many, final levels per unit, totals in ten-point buckets. */
export async function resultsSummary(db: Db, cycleId: number, user: SessionUser, visible: Visible) {
  // One scan, two groupings: final levels per unit, and totals in ten-point buckets.
  const bucket = sql<number | null>`least(9, greatest(0, floor(e.total / 10)))::int`
  const rows = await resultsScope(db, cycleId, user, visible)
    .select(['e.unit_id', 'u.name as unit_name', 'e.final_level', bucket.as('bucket'), sql<number>`grouping(e.unit_id)`.as('by_bucket')])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .groupBy(sql`grouping sets ((e.unit_id, u.name, e.final_level), (${bucket}))`)
    .execute()
  const units = new Map<number, { unitId: number; unitName: string; levels: Record<string, number> }>()
  const histogram = Array.from({ length: 10 }, () => 0)
  let count = 0
  for (const r of rows) {
    if (Number(r.by_bucket) === 1) {
      if (r.bucket !== null) histogram[r.bucket] = Number(r.n)
      continue
    }
    count += Number(r.n)
    const unit = units.get(r.unit_id) ?? { unitId: r.unit_id, unitName: r.unit_name, levels: {} }
    if (r.final_level) unit.levels[r.final_level] = Number(r.n)
    units.set(r.unit_id, unit)
  }
  return { count, byUnit: [...units.values()].sort((x, y) => x.unitName.localeCompare(y.unitName, 'vi') || x.unitId - y.unitId), histogram }
}
