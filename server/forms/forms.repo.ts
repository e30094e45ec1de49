import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import type { FormSource, Signature } from './form-model.js'
import type { SummarySource } from './unit-summary.model.js'

/** An evaluation row, for the access check before anything else is read. */
export const findEvaluation = (db: Db, id: number): Promise<EvaluationRow | undefined> => db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst()

/** Everything Mẫu 01 prints for one evaluation: its people, unit and agency, rule set, scores and the dates it was signed. */
export async function formSource(db: Db, ev: EvaluationRow): Promise<FormSource> {
  const [cycle, ruleSet, person, lastRound, approval, signOff, unitSize, units] = await Promise.all([
    db.selectFrom('cycles').select(['name', 'period_start', 'period_end']).where('id', '=', ev.cycle_id).executeTakeFirstOrThrow(),
    findRuleSet(db, ev.ruleset_id),
    db
      .selectFrom('staff as s')
      .leftJoin('positions as p', 'p.code', 's.position_code')
      .select(['s.full_name', 'p.name as position_name', 's.position_code'])
      .where('s.id', '=', ev.staff_id)
      .executeTakeFirstOrThrow(),
    db.selectFrom('evaluation_rounds').select(['scores', 'submitted_at']).where('evaluation_id', '=', ev.id).orderBy('round', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('evaluation_transitions').select(['actor_id', 'recorded_at']).where('evaluation_id', '=', ev.id).where('action', '=', 'approve').orderBy('version', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('unit_sign_offs').select(['signed_by', 'signed_at']).where('cycle_id', '=', ev.cycle_id).where('unit_id', '=', ev.unit_id).executeTakeFirst(),
    unitClassifiedCount(db, ev.cycle_id, ev.unit_id),
    allUnits(db),
  ])
  const names = await staffNames(db, [approval?.actor_id ?? ev.reviewer_ids[0], signOff?.signed_by])
  const signature = (id: number | null | undefined, at: Date | null): Signature | null => (id ? { name: names.get(id) ?? '', at } : null)
  const data = ev.data
  const codes = Array.isArray(data['products']) ? data['products'].map((p) => (p as { code?: unknown }).code).filter((c): c is string => typeof c === 'string') : []
  return {
    agency: rootOf(units, ev.unit_id)?.name ?? '',
    unitName: units.get(ev.unit_id)?.name ?? '',
    cycle: { name: cycle.name, periodStart: cycle.period_start, periodEnd: cycle.period_end },
    person: { fullName: person.full_name, position: person.position_name ?? person.position_code ?? '' },
    subjectUnit: ev.subject_unit_id !== null ? (units.get(ev.subject_unit_id)?.name ?? '') : null,
    evaluation: {
      stage: ev.stage,
      ruleRole: ev.rule_role,
      data,
      adjustments: ev.adjustments,
      values: valuesOf(ev.scores),
      total: ev.total,
      level: ev.level,
      finalLevel: ev.final_level,
      override: overrideLabel(ev.scores),
      rankInUnit: ev.rank_in_unit,
      unitSize,
    },
    submittedValues: valuesOf(lastRound?.scores ?? null),
    ruleSet: ruleSet!.definition,
    catalogue: await catalogueNames(db, codes, cycle.period_start, cycle.period_end),
    signatures: {
      owner: { name: person.full_name, at: lastRound?.submitted_at ?? null },
      reviewer: signature(approval?.actor_id ?? ev.reviewer_ids[0], approval?.recorded_at ?? null),
      authority: signature(signOff?.signed_by, signOff?.signed_at ?? null),
    },
  }
}

/** The unit's classified results in a cycle, ranked, with who heads the unit and who signed it off. */
export async function summarySource(db: Db, cycle: { id: number; name: string; period_start: string; period_end: string; classified_at: Date | null }, unitId: number): Promise<SummarySource> {
  const [units, rows, signOff] = await Promise.all([
    allUnits(db),
    db
      .selectFrom('evaluations as e')
      .innerJoin('staff as s', 's.id', 'e.staff_id')
      .leftJoin('positions as p', 'p.code', 'e.position_code')
      .select(['e.id', 's.full_name', 'p.name as position_name', 'e.position_code', 'e.total', 'e.final_level', 'e.rank_in_unit'])
      .where('e.cycle_id', '=', cycle.id)
      .where('e.unit_id', '=', unitId)
      .where('e.stage', '=', 'CLASSIFIED')
      .orderBy('e.rank_in_unit')
      .orderBy('s.full_name')
      .execute(),
    db.selectFrom('unit_sign_offs').select(['signed_by', 'signed_at']).where('cycle_id', '=', cycle.id).where('unit_id', '=', unitId).executeTakeFirst(),
  ])
  const unit = units.get(unitId)
  const names = await staffNames(db, [unit?.headId, signOff?.signed_by])
  return {
    agency: rootOf(units, unitId)?.name ?? '',
    unitName: unit?.name ?? '',
    cycle: { name: cycle.name, periodStart: cycle.period_start, periodEnd: cycle.period_end, classifiedAt: cycle.classified_at },
    rows: rows.map((r) => ({ fullName: r.full_name, position: r.position_name ?? r.position_code ?? '', total: r.total, level: r.final_level, rank: r.rank_in_unit })),
    head: unit?.headId ? (names.get(unit.headId) ?? '') : '',
    signOff: signOff ? { name: names.get(signOff.signed_by) ?? '', at: signOff.signed_at } : null,
  }
}

/** Whether the cycle has evaluations in the unit (a unit outside the cycle is not found). */
export async function unitInCycle(db: Db, cycleId: number, unitId: number): Promise<boolean> {
  const row = await db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).limit(1).executeTakeFirst()
  return row !== undefined
}

async function unitClassifiedCount(db: Db, cycleId: number, unitId: number): Promise<number> {
  const row = await db.selectFrom('evaluations').select((eb) => eb.fn.countAll<string>().as('n')).where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).where('stage', '=', 'CLASSIFIED').executeTakeFirstOrThrow()
  return Number(row.n)
}

interface UnitNode {
  name: string
  parentId: number | null
  headId: number | null
}

async function allUnits(db: Db): Promise<Map<number, UnitNode>> {
  const rows = await db.selectFrom('units').select(['id', 'name', 'parent_id', 'head_id']).execute()
  return new Map(rows.map((u) => [u.id, { name: u.name, parentId: u.parent_id, headId: u.head_id }]))
}

/** The top of the unit's tree: the agency whose name heads the form. */
function rootOf(units: Map<number, UnitNode>, unitId: number): UnitNode | undefined {
  let unit = units.get(unitId)
  for (let guard = 0; unit?.parentId != null && guard < 100; guard++) unit = units.get(unit.parentId) ?? unit
  return unit
}

async function staffNames(db: Db, ids: (number | null | undefined)[]): Promise<Map<number, string>> {
  const wanted = ids.filter((id): id is number => typeof id === 'number')
  if (!wanted.length) return new Map()
  const rows = await db.selectFrom('staff').select(['id', 'full_name']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.full_name]))
}

/** Names and units of measure of the products, as the catalogue had them over the period (the latest version wins). */
async function catalogueNames(db: Db, codes: string[], from: string, to: string): Promise<FormSource['catalogue']> {
  if (!codes.length) return new Map()
  const rows = await db
    .selectFrom('catalogue_products')
    .select(['code', 'name', 'unit_of_measure'])
    .where('code', 'in', [...new Set(codes)])
    .where('valid_from', '<=', to)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', from)]))
    .orderBy('valid_from', 'desc')
    .execute()
  const out: FormSource['catalogue'] = new Map()
  for (const r of rows) if (!out.has(r.code)) out.set(r.code, { name: r.name, unit: r.unit_of_measure })
  return out
}

const valuesOf = (scores: Record<string, unknown> | null): Record<string, number | null> | null => (scores && typeof scores['values'] === 'object' ? (scores['values'] as Record<string, number | null>) : null)

function overrideLabel(scores: Record<string, unknown> | null): string | null {
  const override = scores?.['override'] as { label?: { vi?: string } } | null | undefined
  return override?.label?.vi ?? null
}
