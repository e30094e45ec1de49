/**
 * Numbers as trace lines show them: Intl.NumberFormat vi-VN and en-US with at most 6 decimals.
 * Intl's format costs about a microsecond a call, most of an evaluation's trace. A value that is
 * an exact number of millionths (every rounded value) needs no rounding, only its digits grouped
 * with the separators Intl itself uses; it is written from integers, without the cost of
 * String(value) on a fraction. Anything else goes to Intl.
 */

export type NumberLocale = 'vi' | 'en'

const OPTIONS = { maximumFractionDigits: 6 }
const intl: Record<NumberLocale, Intl.NumberFormat> = { vi: new Intl.NumberFormat('vi-VN', OPTIONS), en: new Intl.NumberFormat('en-US', OPTIONS) }

/** The grouping and decimal separators, and the minus sign, as Intl renders -1234.5 in the locale. */
function separators(format: Intl.NumberFormat): { group: string; decimal: string; minus: string } | null {
  const parts = format.formatToParts(-1234.5)
  const of = (type: string) => parts.filter((p) => p.type === type).map((p) => p.value)
  const [group] = of('group')
  const [decimal] = of('decimal')
  const [minus] = of('minusSign')
  // Only the plain layout (sign, 1, group, 234, decimal, 5) is reproduced; any other leaves every number to Intl.
  const layout = parts.map((p) => p.value).join('') === `${minus}1${group}234${decimal}5`
  return group && decimal && minus && layout ? { group, decimal, minus } : null
}

const marks: Record<NumberLocale, ReturnType<typeof separators>> = { vi: separators(intl.vi), en: separators(intl.en) }

/** `value` as Intl.NumberFormat(vi-VN | en-US, { maximumFractionDigits: 6 }) formats it. */
export function formatNumber(value: number, locale: NumberLocale): string {
  const mark = marks[locale]
  if (mark && value > -1e9 && value < 1e9 && !Object.is(value, -0)) {
    // value is the double nearest to k millionths: its shortest decimal form is exactly k × 10⁻⁶ (≤ 15 digits), so no rounding is due.
    const k = Math.round(value * 1e6)
    if (k / 1e6 === value) {
      const units = Math.abs(k)
      const fraction = units % 1e6
      const whole = String((units - fraction) / 1e6)
      return (k < 0 ? mark.minus : '') + group(whole, mark.group) + (fraction ? mark.decimal + decimals(fraction) : '')
    }
  }
  return intl[locale].format(value)
}

/** 1234567 → 1.234.567 (vi) or 1,234,567 (en). */
function group(whole: string, separator: string): string {
  if (whole.length <= 3) return whole
  let grouped = whole.slice(0, whole.length % 3 || 3)
  for (let i = grouped.length; i < whole.length; i += 3) grouped += separator + whole.slice(i, i + 3)
  return grouped
}

/** Millionths (1–999,999) as decimals without trailing zeros: 500000 → "5", 1200 → "0012". */
function decimals(millionths: number): string {
  let digits = String(millionths + 1e6).slice(1)
  let end = digits.length
  while (digits.charCodeAt(end - 1) === 48) end--
  if (end < digits.length) digits = digits.slice(0, end)
  return digits
}
