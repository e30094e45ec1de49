/**
 * Working days of Vietnam's public service, as pure functions (no I/O, no Node: the web app imports
 * them too). Days are `yyyy-mm-dd` strings of Vietnam's calendar (Asia/Ho_Chi_Minh, UTC+7 all year,
 * no daylight saving). Monday to Friday are working days, unless the calendar marks the day a
 * holiday; a Saturday or Sunday the calendar marks `working` (a compensating working day, "làm bù")
 * is one. A deadline ends at 23:59:59 Vietnam time of its day.
 */

/** What the calendar says of a day: a public holiday or day off in lieu, or a compensating working day. */
export type DayKind = 'holiday' | 'working'

/** The days the calendar marks, by `yyyy-mm-dd`; every other day follows the week (Mon–Fri working). */
export type WorkingCalendar = ReadonlyMap<string, DayKind>

/** A day, or an instant (Date or epoch ms) taken as the Vietnam day it falls in. */
export type DayOrInstant = string | Date | number

const VN_OFFSET_MS = 7 * 3_600_000
const DAY_MS = 86_400_000
/** How far a count may search before giving up (a calendar marking every day a holiday). */
const SEARCH_LIMIT_DAYS = 3_660
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether a string is a real `yyyy-mm-dd` day (no 31/02), within years 1900–2199. */
export function isIsoDay(value: string): boolean {
  const m = ISO_DAY.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1900 || y > 2199) return false
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

/** The Vietnam day an instant falls in; a day string is returned as it is (after a check). */
export function vnDay(at: DayOrInstant): string {
  if (typeof at === 'string') {
    if (!isIsoDay(at)) throw new RangeError(`not a yyyy-mm-dd day: ${at}`)
    return at
  }
  const ms = typeof at === 'number' ? at : at.getTime()
  if (!Number.isFinite(ms)) throw new RangeError('invalid instant')
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** The day `n` calendar days after (negative: before) a day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${vnDay(day)}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(`${vnDay(day)}T00:00:00Z`).getUTCDay()
}

/** The first instant of a Vietnam day (00:00:00.000 +07:00). */
export function startOfDay(day: DayOrInstant): Date {
  return new Date(Date.parse(`${vnDay(day)}T00:00:00Z`) - VN_OFFSET_MS)
}

/**
 * The end of a Vietnam day as deadlines use it: 23:59:59.000 +07:00 (16:59:59 UTC). Whole seconds,
 * so a deadline is an exact number of seconds after a launch at a whole second.
 */
export function endOfDay(day: DayOrInstant): Date {
  return new Date(Date.parse(`${vnDay(day)}T23:59:59Z`) - VN_OFFSET_MS)
}

/** Whether staff work on a day: the calendar's mark if it has one, else Monday to Friday. */
export function isWorkingDay(day: DayOrInstant, calendar: WorkingCalendar): boolean {
  const d = vnDay(day)
  const kind = calendar.get(d)
  if (kind) return kind === 'working'
  const w = weekdayOf(d)
  return w !== 0 && w !== 6
}

/**
 * The n-th working day after a day, counted forward (n ≥ 1) or backward (n ≤ -1); the day itself
 * does not count. n = 0: the day itself when it is a working day, else the next working day.
 */
export function shiftWorkingDays(day: DayOrInstant, n: number, calendar: WorkingCalendar): string {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`)
  let d = vnDay(day)
  if (n === 0 && isWorkingDay(d, calendar)) return d
  const step = n < 0 ? -1 : 1
  let left = Math.max(1, Math.abs(n))
  for (let i = 0; i < SEARCH_LIMIT_DAYS + Math.abs(n) * 7; i++) {
    d = addDays(d, step)
    if (isWorkingDay(d, calendar) && --left === 0) return d
  }
  throw new RangeError(`no ${Math.abs(n)} working days within ten years of ${vnDay(day)}`)
}

/**
 * When something due "within n working days" of `from` is due: the end (23:59:59 Asia/Ho_Chi_Minh)
 * of the n-th working day after the Vietnam day `from` falls in — that day itself does not count,
 * whatever the hour. `addWorkingDays(publishedAt, 10, calendar)` is the answer deadline of a
 * petition published at `publishedAt`. n = 0: the end of that day if it is a working day, else of
 * the next working day.
 */
export function addWorkingDays(from: DayOrInstant, n: number, calendar: WorkingCalendar): Date {
  if (n < 0) throw new RangeError(`working days must not be negative: ${n}`)
  return endOfDay(shiftWorkingDays(from, n, calendar))
}

/**
 * The working days after `from` up to and including `to` (Vietnam days; 0 when `to` is not after
 * `from`): `workingDaysBetween(x, addWorkingDays(x, n)) === n` for n ≥ 1.
 */
export function workingDaysBetween(from: DayOrInstant, to: DayOrInstant, calendar: WorkingCalendar): number {
  const start = vnDay(from)
  const end = vnDay(to)
  let count = 0
  for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++
  return count
}

/** A calendar from the marked days (rows of the calendar table, or test data). */
export function calendarOf(days: Iterable<{ date: string; kind: DayKind }>): WorkingCalendar {
  return new Map([...days].map((d) => [vnDay(d.date), d.kind] as const))
}

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

/** The weekday's name: "Thứ Hai" … "Chủ nhật" (vi) or "Monday" … (en). */
export function weekdayName(day: DayOrInstant, lang: 'vi' | 'en' = 'vi'): string {
  return (lang === 'vi' ? WEEKDAYS_VI : WEEKDAYS_EN)[weekdayOf(vnDay(day))]!
}

/** "11/12/2026" from "2026-12-11" (or from an instant, its Vietnam day). */
export function formatDay(day: DayOrInstant): string {
  const [y, m, d] = vnDay(day).split('-')
  return `${d}/${m}/${y}`
}

/** A deadline as people read it: "23:59 Thứ Sáu 11/12/2026" (vi) or "23:59 Friday 11/12/2026" (en), Vietnam time. */
export function formatDeadline(at: Date | number, lang: 'vi' | 'en' = 'vi'): string {
  const ms = typeof at === 'number' ? at : at.getTime()
  const local = new Date(ms + VN_OFFSET_MS).toISOString()
  return `${local.slice(11, 16)} ${weekdayName(ms, lang)} ${formatDay(ms)}`
}
