export type PeriodKind = 'month' | 'quarter' | 'year'

const ROMAN = ['I', 'II', 'III', 'IV']
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10)

/** The period of a kind that contains a day (Vietnam's calendar day), with its usual Vietnamese name. */
export function periodOf(kind: PeriodKind, day: Date): { name: string; start: string; end: string } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: 'numeric' })
    .formatToParts(day)
    .filter((p) => p.type !== 'literal')
    .map((p) => Number(p.value)) as [number, number]
  if (kind === 'year') return { name: `Năm ${y}`, start: iso(y, 0, 1), end: iso(y, 11, 31) }
  if (kind === 'quarter') {
    const q = Math.floor((m - 1) / 3)
    return { name: `Quý ${ROMAN[q]}/${y}`, start: iso(y, q * 3, 1), end: iso(y, q * 3 + 3, 0) }
  }
  return { name: `Tháng ${m}/${y}`, start: iso(y, m - 1, 1), end: iso(y, m, 0) }
}
