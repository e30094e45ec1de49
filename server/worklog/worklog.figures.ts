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
