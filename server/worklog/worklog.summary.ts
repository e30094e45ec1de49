import { sql } from 'kysely'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import type { Db } from '../db/database.js'
import { findRuleSet, type RuleSet } from '../rulesets/ruleset.repo.js'
import { catalogueVersions } from './catalogue-versions.js'
import { eachStaffMonths } from './unit-summary.repo.js'
import { exact, productLines, workingDays, type ProductFigure } from './worklog.figures.js'

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

/**
 * Per staff member and product (and coefficient), for items due in the period: assigned = accepted
 * items; done and quality failures = what the unit head confirmed; delays = items completed after
 * their (extended) due date, or still open once it has passed `asOf`. One SQL aggregation.
 */
export async function productFiguresByStaff(db: Db, filter: { staffIds?: number[]; unitIds?: number[] }, from: string, to: string, asOf: string): Promise<Map<number, ProductFigure[]>> {
  const due = sql`coalesce(w.extended_to, w.due_on)`
  let q = db
    .selectFrom('work_items as w')
    .innerJoin('catalogue_products as p', 'p.id', 'w.product_id')
    .select([
      'w.staff_id',
      'w.product_code',
      'p.k',
      sql<string>`max(p.name)`.as('name'),
      sql<number>`sum(w.quantity)::float8`.as('assigned'),
      sql<number>`coalesce(sum(w.done_quantity) filter (where w.status = 'CONFIRMED'), 0)::float8`.as('done'),
      sql<number>`coalesce(sum(w.quality_failures) filter (where w.status = 'CONFIRMED'), 0)::int`.as('quality_failures'),
      sql<number>`count(*) filter (where case when w.completed_on is not null then w.completed_on > ${due} else ${asOf} > ${due} end)::int`.as('delays'),
    ])
    .where('w.due_on', '>=', from)
    .where('w.due_on', '<=', to)
    .where('w.status', 'in', ['OPEN', 'DONE', 'CONFIRMED'])
    .groupBy(['w.staff_id', 'w.product_code', 'p.k'])
    .orderBy('w.staff_id')
    .orderBy('w.product_code')
    .orderBy('p.k')
  if (filter.staffIds) q = q.where(sql<boolean>`w.staff_id = any(${filter.staffIds}::int[])`)
  if (filter.unitIds) q = q.where(sql<boolean>`w.unit_id = any(${filter.unitIds}::int[])`)
  const out = new Map<number, ProductFigure[]>()
  for (const r of await q.execute()) {
    const list = out.get(r.staff_id) ?? []
    list.push({ code: r.product_code, name: r.name, k: r.k, assigned: exact(r.assigned), done: exact(r.done), qualityFailures: r.quality_failures, delays: r.delays })
    out.set(r.staff_id, list)
  }
  return out
}

/** Hours logged per staff member in a period. */
export async function hoursLogged(db: Db, filter: { staffIds?: number[]; unitIds?: number[] }, from: string, to: string): Promise<Map<number, number>> {
  let q = db
    .selectFrom('work_item_updates as u')
    .innerJoin('work_items as w', 'w.id', 'u.work_item_id')
    .select(['w.staff_id', sql<number>`sum(u.hours)::float8`.as('hours')])
  if (filter.staffIds) q = q.where(sql<boolean>`w.staff_id = any(${filter.staffIds}::int[])`)
  if (filter.unitIds) q = q.where(sql<boolean>`w.unit_id = any(${filter.unitIds}::int[])`)
  const rows = await q
    .where('u.on_date', '>=', from)
    .where('u.on_date', '<=', to)
    .groupBy('w.staff_id')
    .execute()
  return new Map(rows.map((r) => [r.staff_id, Number(r.hours.toPrecision(12))]))
}

/** The rule set that scores work-log figures outside any cycle: the shipped default (the first published set with a `products` input). */
export async function workLogRuleSet(db: Db): Promise<RuleSet | undefined> {
  // One query: the newest published version of each code is among the published rows themselves.
  const rows = await db.selectFrom('rulesets').select(['id', 'code', 'version']).where('status', '=', 'published').orderBy('id').execute()
  const newest = new Map<string, { id: number; version: number }>()
  for (const r of rows) if ((newest.get(r.code)?.version ?? -Infinity) < r.version) newest.set(r.code, r)
  for (const r of rows) {
    const ruleSet = await findRuleSet(db, newest.get(r.code)!.id)
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
  // The lines without their names, spelt out: a rest pattern ({ name, ...p }) copies through a
  // generic slow path, a third of this function's time over the thousands of a unit month.
  const lines = products.map((p) => ({ code: p.code, k: p.k, assigned: p.assigned, done: p.done, qualityFailures: p.qualityFailures, delays: p.delays }))
  const result = evaluateRuleSet(ruleSet.definition, { role: 'staff', general: { ethics: 0, competence: 0, innovation: 0 }, products: lines }, { explain: false })
  return { a: result.values['a'] ?? null, b: result.values['b'] ?? null, c: result.values['c'] ?? null, ruleSetId: ruleSet.id }
}

/** The rule set pinned by the person's evaluation in a running or past cycle covering the period, if it scores products. */
async function pinnedFor(db: Db, staffId: number, from: string, to: string): Promise<RuleSet | undefined> {
  const row = await db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .select('e.ruleset_id')
    .where('e.staff_id', '=', staffId)
    .where('c.status', 'not in', ['CANCELLING', 'CANCELLED'])
    .where('c.period_start', '<=', from)
    .where('c.period_end', '>=', to)
    .orderBy('c.id', 'desc')
    .executeTakeFirst()
  const ruleSet = row ? await findRuleSet(db, row.ruleset_id) : undefined
  return ruleSet && hasProducts(ruleSet) ? ruleSet : undefined
}

export async function staffSummary(db: Db, staffId: number, from: string, to: string, asOf = new Date().toISOString().slice(0, 10)): Promise<StaffSummary> {
  const products = (await productFiguresByStaff(db, { staffIds: [staffId] }, from, to, asOf < to ? asOf : to)).get(staffId) ?? []
  const ruleSet = (await pinnedFor(db, staffId, from, to)) ?? (await workLogRuleSet(db))
  const logged = (await hoursLogged(db, { staffIds: [staffId] }, from, to)).get(staffId) ?? 0
  return { staffId, from, to, products, scores: ruleSet ? workScores(ruleSet, products) : null, hours: { logged, expected: workingDays(from, to) * HOURS_PER_DAY } }
}

export interface UnitSummaryRow {
  staffId: number
  fullName: string
  unitId: number
  products: ProductFigure[]
  scores: StaffSummary['scores']
  hours: number
}

/** People per batch of the month's cursor: a tenth of a large province, a few hundred kB of answer. */
const MONTH_BATCH = 500

/**
 * The month of a unit (or of several): every staff member's figures, a, b, c and hours. One SQL
 * statement (catalogue versions and published rule sets are remembered once read), then pure
 * product lines and a, b, c per person. As rows, for callers that need them; the route answers with
 * `unitMonthJson`, the same batches as bytes.
 */
export async function unitSummary(db: Db, unitIds: number[], from: string, to: string, asOf = new Date().toISOString().slice(0, 10)): Promise<UnitSummaryRow[]> {
  const rows: UnitSummaryRow[] = []
  await eachMonthBatch(db, unitIds, from, to, asOf, MONTH_BATCH, (batch) => {
    for (const row of batch) rows.push(row)
  })
  return rows
}

/**
 * The month's answer as UTF-8 JSON, byte for byte `JSON.stringify({ month, from, to, staff: unitSummary(…) })`:
 * each batch of people is turned into lines, a, b, c and encoded JSON while the database sums the
 * next batch (see eachStaffMonths), so for every unit of a province the two halves of the work
 * overlap, and the 13 MB answer is never one string to encode again after it is complete.
 */
export async function unitMonthJson(db: Db, month: string, unitIds: number[], from: string, to: string, asOf = new Date().toISOString().slice(0, 10), batch = MONTH_BATCH): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify({ month, from, to }).slice(0, -1)},"staff":[`)]
  await eachMonthBatch(db, unitIds, from, to, asOf, batch, (rows) => {
    if (!rows.length) return
    if (parts.length > 1) parts.push(COMMA)
    parts.push(Buffer.from(JSON.stringify(rows).slice(1, -1)))
  })
  parts.push(END)
  return Buffer.concat(parts)
}

const COMMA = Buffer.from(',')
const END = Buffer.from(']}')

async function eachMonthBatch(db: Db, unitIds: number[], from: string, to: string, asOf: string, size: number, take: (rows: UnitSummaryRow[]) => void): Promise<void> {
  // Read before the cursor's transaction: on PGlite that transaction holds the one connection.
  const ruleSet = await workLogRuleSet(db)
  await eachStaffMonths(db, unitIds, from, to, asOf < to ? asOf : to, size, async (months, trx) => {
    const versions = await catalogueVersions(db, months.flatMap((s) => s.products?.[0] ?? []), trx)
    take(
      months.map((s) => {
        const products = productLines(s.products, versions)
        return { staffId: s.id, fullName: s.full_name, unitId: s.unit_id, products, scores: ruleSet ? workScores(ruleSet, products) : null, hours: s.hours === null ? 0 : Number(s.hours.toPrecision(12)) }
      }),
    )
  })
}
