/**
 * Half-up rounding of a decimal figure computed in binary floating point.
 *
 * The method (scaled integers with a relative tolerance): the value is scaled by 10^precision
 * and split into its integer part n and fraction f; it rounds up when f ≥ ½ − ε, with
 * ε = |scaled| × 2⁻⁴⁶ (about 1.4 × 10⁻¹⁴ of the value). The tolerance absorbs the float error of
 * computing the figure — 85.185 is stored as 85.18499999999999517…, and the NĐ 335 total of 500
 * products comes out at most 3 × 10⁻¹⁴ from the decimal result (test/unit/rounding.test.ts checks
 * it against exact rational arithmetic) — while a figure that is genuinely below a half stays
 * below: for the decree's inputs (quarter points, coefficients with two decimals, A converted
 * products) such a total is at least 1 / (2.4 × 10⁶ × A) from the half, above ε for any A below
 * 10⁵. The integer is then divided by an exact power of ten, which gives the double nearest the
 * decimal result (as parsing "85.19" does). Outside the range where the scaled value is small
 * (≥ 2²⁶, or a precision above 10) the value is first normalised to 15 significant digits and
 * shifted in its string form, which is slower and has the same effect.
 */
export function roundHalfUp(value: number, precision: number): number {
  if (!Number.isFinite(value)) return value
  const power = POWERS[precision]
  if (power !== undefined) {
    const scaled = Math.abs(value) * power
    if (scaled < SCALED_LIMIT) {
      const whole = Math.floor(scaled)
      const up = scaled - whole >= 0.5 - scaled * HALF_TOLERANCE
      const result = ((value < 0 ? -1 : 1) * (up ? whole + 1 : whole)) / power
      return Object.is(result, -0) ? 0 : result
    }
  }
  const normalised = Number(value.toPrecision(15))
  const sign = normalised < 0 ? -1 : 1
  const shifted = Math.round(Number(`${Math.abs(normalised)}e${precision}`))
  const result = sign * Number(`${shifted}e-${precision}`)
  return Object.is(result, -0) ? 0 : result
}

const POWERS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
/** Relative tolerance on a half: 2⁻⁴⁶ ≈ 1.4 × 10⁻¹⁴ (64 units in the last place of a double). */
const HALF_TOLERANCE = 2 ** -46
/** Below this the tolerance stays under 10⁻⁶ of a unit of the last kept digit. */
const SCALED_LIMIT = 2 ** 26

/**
 * The value to 15 significant digits (float noise such as 0.30000000000000004 removed), as
 * `Number(value.toPrecision(15))` gives it. A multiple of 1/1024 under 10⁴ in magnitude — quarter
 * points, their sums, whole numbers: most values of a rule set — has at most 14 significant
 * digits and is its own answer, found without a string round trip per value.
 */
export function fifteenDigits(value: number): number {
  return Math.abs(value) < 1e4 && Number.isInteger(value * 1024) ? value : Number(value.toPrecision(15))
}
