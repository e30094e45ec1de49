import type { WorkItemStatus } from '../db/schema.js'

/** What the figures need of one work item. Dates are yyyy-MM-dd strings (compare as text). */
export interface ItemFacts {
  productCode: string
  productName?: string
  k: number
  status: WorkItemStatus
  quantity: number
  doneQuantity: number
  dueOn: string
  extendedTo: string | null
  completedOn: string | null
  qualityFailures: number
}

/** One product line of a self-assessment, as the NĐ 335 input schema names it. */
export interface ProductFigure {
  code: string
  name?: string
  k: number
  assigned: number
  done: number
  qualityFailures: number
  delays: number
}

const COUNTED: WorkItemStatus[] = ['OPEN', 'DONE', 'CONFIRMED']

/** Late: completed after its (extended) due date, or still not completed once that date has passed. */
export function isLate(item: Pick<ItemFacts, 'dueOn' | 'extendedTo' | 'completedOn'>, asOf: string): boolean {
  const due = item.extendedTo ?? item.dueOn
  return item.completedOn ? item.completedOn > due : asOf > due
}

/**
 * Per product (and coefficient): assigned = all accepted items; done and quality failures = what the
 * unit head confirmed; delays = late items. Proposed and rejected items do not count.
 */
export function productFigures(items: ItemFacts[], asOf: string): ProductFigure[] {
  const byProduct = new Map<string, ProductFigure>()
  for (const item of items) {
    if (!COUNTED.includes(item.status)) continue
    const key = `${item.productCode}|${item.k}`
    const line = byProduct.get(key) ?? { code: item.productCode, ...(item.productName ? { name: item.productName } : {}), k: item.k, assigned: 0, done: 0, qualityFailures: 0, delays: 0 }
    line.assigned = add(line.assigned, item.quantity)
    if (item.status === 'CONFIRMED') {
      line.done = add(line.done, item.doneQuantity)
      line.qualityFailures += item.qualityFailures
    }
    if (isLate(item, asOf)) line.delays++
    byProduct.set(key, line)
  }
  return [...byProduct.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.k - b.k))
}

/** Monday–Friday days from `from` to `to`, both included. */
export function workingDays(from: string, to: string): number {
  let count = 0
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.getUTCDay()
    if (day !== 0 && day !== 6) count++
  }
  return count
}

/** Sums without binary float artefacts (0.1 + 0.2 = 0.3). */
function add(a: number, b: number): number {
  return Number((a + b).toPrecision(15))
}
