import { endOfDay, formatDay, isIsoDay } from '../calendar/working-days.js'

/**
 * When an indicator's values for a period lock: at the end (23:59:59 Asia/Ho_Chi_Minh) of day
 * `closingDay` of the month after the period's end, calendar days (a closing day past that month's
 * end is its last day: 31 → 28/02). Pure.
 */
export function closingDate(periodEnd: string, closingDay: number): string {
  if (!isIsoDay(periodEnd)) throw new RangeError(`not a yyyy-mm-dd day: ${periodEnd}`)
  const [y, m] = periodEnd.split('-').map(Number) as [number, number]
  const year = m === 12 ? y + 1 : y
  const month = m === 12 ? 1 : m + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const day = Math.min(Math.max(1, Math.trunc(closingDay)), last)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The instant the values lock (the last second of the closing day, Vietnam time). */
export function closesAt(periodEnd: string, closingDay: number): Date {
  return endOfDay(closingDate(periodEnd, closingDay))
}

/** Whether values of the period are locked at `now` (after 23:59:59 of the closing day). */
export function isLocked(periodEnd: string, closingDay: number, now: Date | number): boolean {
  return (typeof now === 'number' ? now : now.getTime()) > closesAt(periodEnd, closingDay).getTime()
}

/** "05/12/2026", the closing day as people read it. */
export function closingLabel(periodEnd: string, closingDay: number): string {
  return formatDay(closingDate(periodEnd, closingDay))
}
