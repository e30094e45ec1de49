import type { AnnualPolicy } from '../../rules/ruleset.types.js'

/** One classified period result that an annual classification counts. */
export interface AnnualPeriod {
  cycleId: number
  cycleName: string
  periodKind: 'month' | 'quarter'
  periodStart: string
  periodEnd: string
  /** Months this period weighs (the rule set's `monthsPerPeriod`). */
  months: number
  total: number
  level: string | null
  overrideCode: string | null
}

/** A classified period evaluation of a person, as the repository reads it. */
export interface PeriodResultRow {
  staffId: number
  cycleId: number
  cycleName: string
  periodKind: string
  periodStart: string
  periodEnd: string
  total: number | null
  finalLevel: string | null
  overrideCode: string | null
}

export type AnnualRollUp =
  | { classified: true; periods: AnnualPeriod[]; monthsWorked: number }
  | { classified: false; periods: AnnualPeriod[]; monthsWorked: number; reasonCode: 'TOO_FEW_MONTHS' }

/**
 * Each person's periods of the year and whether they can be classified: a period counts its
 * rule-set months (a month 1, a quarter 3 by default; a kind the rule set gives no months is not
 * counted); a month without a classified result (leave, maternity, transfer) simply has no row.
 * Fewer months than `minMonths`: "không xếp loại". Pure.
 */
export function rollUpYear(staffIds: number[], rows: PeriodResultRow[], policy: AnnualPolicy): Map<number, AnnualRollUp> {
  const byStaff = new Map<number, AnnualPeriod[]>(staffIds.map((id) => [id, []]))
  for (const r of rows) {
    const list = byStaff.get(r.staffId)
    const months = r.periodKind === 'month' || r.periodKind === 'quarter' ? policy.monthsPerPeriod[r.periodKind] : undefined
    if (!list || r.total === null || !months) continue
    list.push({ cycleId: r.cycleId, cycleName: r.cycleName, periodKind: r.periodKind as AnnualPeriod['periodKind'], periodStart: r.periodStart, periodEnd: r.periodEnd, months, total: r.total, level: r.finalLevel, overrideCode: r.overrideCode })
  }
  const out = new Map<number, AnnualRollUp>()
  for (const [staffId, periods] of byStaff) {
    periods.sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.cycleId - b.cycleId)
    const monthsWorked = periods.reduce((sum, p) => sum + p.months, 0)
    out.set(staffId, monthsWorked >= policy.minMonths ? { classified: true, periods, monthsWorked } : { classified: false, periods, monthsWorked, reasonCode: 'TOO_FEW_MONTHS' })
  }
  return out
}

/** Why a person is not classified, as the results show it. */
export function exclusionReason(monthsWorked: number, minMonths: number): { vi: string; en: string } {
  const n = (x: number, locale: string) => x.toLocaleString(locale)
  return {
    vi: `Không xếp loại: chỉ có kết quả ${n(monthsWorked, 'vi-VN')} tháng trong năm, dưới mức tối thiểu ${n(minMonths, 'vi-VN')} tháng.`,
    en: `Not classified: results for only ${n(monthsWorked, 'en-US')} month(s) of the year, below the minimum of ${n(minMonths, 'en-US')}.`,
  }
}

/** The year's first and last day, for an annual cycle given by its year. */
export function yearPeriod(year: number): { periodStart: string; periodEnd: string } {
  return { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }
}
