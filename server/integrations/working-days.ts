/**
 * `n` working days after an instant, Monday to Friday (weekends skipped, holidays not known here),
 * at the same time of day. The working-day calendar (server/calendar/working-days.ts
 * `addWorkingDays`, with holidays) replaces this once both are on main.
 */
export function addWorkingDaysSimple(from: Date, n: number): Date {
  const at = new Date(from.getTime())
  let left = n
  while (left > 0) {
    at.setUTCDate(at.getUTCDate() + 1)
    // Weekday in Vietnam (UTC+7, no daylight saving).
    const day = new Date(at.getTime() + 7 * 3_600_000).getUTCDay()
    if (day !== 0 && day !== 6) left--
  }
  return at
}
