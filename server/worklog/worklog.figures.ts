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

/** One person's sums per catalogue version, column by column (as the month summary's statement sends them). */
export type ProductColumns = [code: string[], name: string[], k: number[], assigned: number[], done: number[], qualityFailures: number[], delays: number[]]

/**
 * A person's product lines from the sums per catalogue version: versions of a product with the
 * same coefficient make one line (named by the greatest name, as SQL's max would), ordered by code,
 * then coefficient. Runs once per person in a month summary of thousands: plain loops.
 */
export function productLines(columns: ProductColumns | null): ProductFigure[] {
  if (!columns) return []
  const [code, name, k, assigned, done, qualityFailures, delays] = columns
  const order = code.map((_, i) => i)
  if (order.length > 1) order.sort((x, y) => (code[x]! < code[y]! ? -1 : code[x]! > code[y]! ? 1 : k[x]! - k[y]!))
  const lines: Required<ProductFigure>[] = []
  let last: Required<ProductFigure> | undefined
  for (const i of order) {
    if (last && last.code === code[i] && last.k === k[i]) {
      last.assigned += assigned[i]!
      last.done += done[i]!
      last.qualityFailures += qualityFailures[i]!
      last.delays += delays[i]!
      if (name[i]! > last.name) last.name = name[i]!
    } else {
      last = { code: code[i]!, name: name[i]!, k: k[i]!, assigned: assigned[i]!, done: done[i]!, qualityFailures: qualityFailures[i]!, delays: delays[i]! }
      lines.push(last)
    }
  }
  for (const line of lines) {
    line.assigned = exact(line.assigned)
    line.done = exact(line.done)
  }
  return lines
}

/** Sums of decimals as people write them (0.1 + 0.2 = 0.3). */
export const exact = (n: number) => (Number.isInteger(n) && Math.abs(n) < 1e15 ? n : Number(n.toPrecision(15)))
