import { sql } from 'kysely'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import type { Db } from '../db/database.js'
import { findRuleSet, type RuleSet } from '../rulesets/ruleset.repo.js'
import { productFigures, workingDays, type ItemFacts, type ProductFigure } from './worklog.figures.js'

export interface StaffSummary {
  staffId: number
  from: string
  to: string
  products: ProductFigure[]
  /** Quantity, quality and timeliness (%) with the rule set in force, or null when nothing is assigned. */
  scores: { a: number | null; b: number | null; c: number | null; ruleSetId: number } | null
  hours: { logged: number; expected: number }
}

const HOURS_PER_DAY = 8

/** The work items due in a period, per staff member, as the figures need them. */
export async function itemFacts(db: Db, filter: { staffIds?: number[]; unitId?: number }, from: string, to: string): Promise<Map<number, ItemFacts[]>> {
  let q = db
    .selectFrom('work_items as w')
    .innerJoin('catalogue_products as p', 'p.id', 'w.product_id')
    .select(['w.staff_id', 'w.product_code', 'p.name', 'p.k', 'w.status', 'w.quantity', 'w.done_quantity', 'w.due_on', 'w.extended_to', 'w.completed_on', 'w.quality_failures'])
    .where('w.due_on', '>=', from)
    .where('w.due_on', '<=', to)
  if (filter.staffIds) q = q.where('w.staff_id', 'in', filter.staffIds.length ? filter.staffIds : [-1])
  if (filter.unitId) q = q.where('w.unit_id', '=', filter.unitId)
  const out = new Map<number, ItemFacts[]>()
  for (const r of await q.execute()) {
    const list = out.get(r.staff_id) ?? []
    list.push({ productCode: r.product_code, productName: r.name, k: r.k, status: r.status, quantity: r.quantity, doneQuantity: r.done_quantity, dueOn: r.due_on, extendedTo: r.extended_to, completedOn: r.completed_on, qualityFailures: r.quality_failures })
    out.set(r.staff_id, list)
  }
  return out
}

/** Hours logged per staff member in a period. */
export async function hoursLogged(db: Db, staffIds: number[], from: string, to: string): Promise<Map<number, number>> {
  if (!staffIds.length) return new Map()
  const rows = await db
    .selectFrom('work_item_updates as u')
    .innerJoin('work_items as w', 'w.id', 'u.work_item_id')
    .select(['w.staff_id', sql<number>`sum(u.hours)::float8`.as('hours')])
    .where('w.staff_id', 'in', staffIds)
    .where('u.on_date', '>=', from)
    .where('u.on_date', '<=', to)
    .groupBy('w.staff_id')
    .execute()
  return new Map(rows.map((r) => [r.staff_id, Number(r.hours.toPrecision(12))]))
}

/** The rule set that scores work-log figures: the shipped default (the first published set with a `products` input). */
export async function workLogRuleSet(db: Db): Promise<RuleSet | undefined> {
  const rows = await db.selectFrom('rulesets').select(['id', 'code']).where('status', '=', 'published').orderBy('id').execute()
  for (const r of rows) {
    const newest = await db.selectFrom('rulesets').select('id').where('code', '=', r.code).where('status', '=', 'published').orderBy('version', 'desc').executeTakeFirstOrThrow()
    const ruleSet = await findRuleSet(db, newest.id)
    if (ruleSet && hasProducts(ruleSet)) return ruleSet
  }
  return undefined
}

export function hasProducts(ruleSet: RuleSet): boolean {
  return Boolean((ruleSet.definition.inputSchema as { properties?: Record<string, unknown> }).properties?.['products'])
}

/** a, b, c of a product list with a rule set (general criteria do not matter here). */
export function workScores(ruleSet: RuleSet, products: ProductFigure[]): StaffSummary['scores'] {
  if (!products.some((p) => p.assigned * p.k > 0)) return null
  const result = evaluateRuleSet(ruleSet.definition, { role: 'staff', general: { ethics: 0, competence: 0, innovation: 0 }, products: products.map(({ name: _n, ...p }) => p) }, { explain: false })
  return { a: result.values['a'] ?? null, b: result.values['b'] ?? null, c: result.values['c'] ?? null, ruleSetId: ruleSet.id }
}

export async function staffSummary(db: Db, staffId: number, from: string, to: string, asOf = new Date().toISOString().slice(0, 10)): Promise<StaffSummary> {
  const facts = (await itemFacts(db, { staffIds: [staffId] }, from, to)).get(staffId) ?? []
  const products = productFigures(facts, asOf < to ? asOf : to)
  const ruleSet = await workLogRuleSet(db)
  const logged = (await hoursLogged(db, [staffId], from, to)).get(staffId) ?? 0
  return { staffId, from, to, products, scores: ruleSet ? workScores(ruleSet, products) : null, hours: { logged, expected: workingDays(from, to) * HOURS_PER_DAY } }
}
