import { roundHalfUp } from '../../rules/rounding.js'
import { formatNumber } from '../../rules/number.format.js'

const TIME_ZONE = 'Asia/Ho_Chi_Minh'
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' })

/** A score as the forms print it: half-up to 2 decimals, decimal comma ("85,19"); empty when there is none. */
export function score(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return ''
  return roundHalfUp(value, 2).toFixed(2).replace('.', ',')
}

/** A quantity as Vietnamese prints it: decimal comma, dot grouping, no trailing zeros ("2,5"; "1.200"). */
export function quantity(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return ''
  return formatNumber(value, 'vi')
}

/** The calendar day in Vietnam, dd/mm/yyyy; empty when there is none. */
export function viDate(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return ''
  // A bare date ('2026-11-30') is a calendar day already: printed as is, never shifted by a time zone.
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at)) return at.split('-').reverse().join('/')
  const date = typeof at === 'string' ? new Date(at) : at
  return Number.isNaN(date.getTime()) ? '' : dayFormat.format(date)
}

/** "ngày 05 tháng 12 năm 2026", the way a Vietnamese document dates itself. */
export function viLongDate(at: Date): string {
  const [d, m, y] = viDate(at).split('/')
  return `ngày ${d} tháng ${m} năm ${y}`
}
