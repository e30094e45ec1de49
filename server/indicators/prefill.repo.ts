import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import { indicatorInputs, type IndicatorInput, type IndicatorValue } from './prefill.js'

/** The declared external inputs of an evaluation's rule set with the values sent for its person (or unit) and period. Two statements; none without declarations. */
export async function evaluationIndicators(db: Db, ev: { cycle_id: number; staff_id: number; unit_id: number }, definition: RuleSetDefinition, now = new Date()): Promise<IndicatorInput[]> {
  const declared = definition.externalInputs ?? []
  if (!declared.length) return []
  const cycle = await db.selectFrom('cycles').select(['period_start', 'period_end']).where('id', '=', ev.cycle_id).executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('indicator_values as v')
    .innerJoin('integration_systems as s', 's.id', 'v.system_id')
    .select(['s.code as system', 'v.code', 'v.subject', 'v.value', 'v.received_at', 'v.updated_at'])
    .where('s.code', 'in', [...new Set(declared.map((x) => x.system))])
    .where('v.subject', 'in', [`staff:${ev.staff_id}`, `unit:${ev.unit_id}`])
    .where('v.period_start', '=', cycle.period_start)
    .where('v.period_end', '=', cycle.period_end)
    .execute()
  const systems = new Map((await db.selectFrom('integration_systems').select(['code', 'name']).execute()).map((s) => [s.code, s.name]))
  const byKey = new Map(rows.map((r) => [`${r.system}|${r.code}|${r.subject}`, { value: r.value, receivedAt: r.received_at, updatedAt: r.updated_at } satisfies IndicatorValue]))
  return indicatorInputs(declared, cycle.period_end, (x) => byKey.get(`${x.system}|${x.code}|${x.scope === 'person' ? `staff:${ev.staff_id}` : `unit:${ev.unit_id}`}`), (code) => systems.get(code), now)
}
