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

/** Late: completed after its (extended) due date, or still not completed once that date has passed. */
export function isLate(item: { dueOn: string; extendedTo: string | null; completedOn: string | null }, asOf: string): boolean {
  const due = item.extendedTo ?? item.dueOn
  return item.completedOn ? item.completedOn > due : asOf > due
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

/** One person's sums per catalogue version (by id), column by column, as the month summary's statement sends them. */
export type ProductColumns = [productId: number[], assigned: number[], done: number[], qualityFailures: number[], delays: number[]]

/**
 * A person's product lines from the sums per catalogue version: versions of a product with the
 * same coefficient make one line (named by the greatest name, as SQL's max would), ordered by code,
 * then coefficient. Runs once per person in a month summary of thousands: plain loops.
 */
export function productLines(columns: ProductColumns | null, versions: ReadonlyMap<number, { code: string; name: string; k: number }>): ProductFigure[] {
  if (!columns) return []
  const [productId, assigned, done, qualityFailures, delays] = columns
  const version = productId.map((id) => versions.get(id) ?? missingVersion(id))
  const order = version.map((_, i) => i)
  if (order.length > 1) order.sort((x, y) => (version[x]!.code < version[y]!.code ? -1 : version[x]!.code > version[y]!.code ? 1 : version[x]!.k - version[y]!.k))
  const lines: Required<ProductFigure>[] = []
  let last: Required<ProductFigure> | undefined
  for (const i of order) {
    const { code, name, k } = version[i]!
    if (last && last.code === code && last.k === k) {
      last.assigned += assigned[i]!
      last.done += done[i]!
      last.qualityFailures += qualityFailures[i]!
      last.delays += delays[i]!
      if (name > last.name) last.name = name
    } else {
      last = { code, name, k, assigned: assigned[i]!, done: done[i]!, qualityFailures: qualityFailures[i]!, delays: delays[i]! }
      lines.push(last)
    }
  }
  for (const line of lines) {
    line.assigned = exact(line.assigned)
    line.done = exact(line.done)
  }
  return lines
}

function missingVersion(id: number): never {
  throw new Error(`catalogue version ${id} is not among the versions given`)
}

/** Sums of decimals as people write them (0.1 + 0.2 = 0.3). */
export const exact = (n: number) => (Number.isInteger(n) && Math.abs(n) < 1e15 ? n : Number(n.toPrecision(15)))
