/**
 * Half-up rounding without binary float artefacts: the value is first normalised to 15
 * significant digits (so 1.005 is treated as the decimal 1.005, not 1.00499999…), then the
 * decimal point is shifted in the string form before Math.round.
 */
export function roundHalfUp(value: number, precision: number): number {
  if (!Number.isFinite(value)) return value
  const normalised = Number(value.toPrecision(15))
  const sign = normalised < 0 ? -1 : 1
  const shifted = Math.round(Number(`${Math.abs(normalised)}e${precision}`))
  const result = sign * Number(`${shifted}e-${precision}`)
  return Object.is(result, -0) ? 0 : result
}
