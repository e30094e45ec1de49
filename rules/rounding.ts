/**
 * Half-up rounding without binary float artefacts: the value is first normalised to 15
 * significant digits (so 1.005 is treated as the decimal 1.005, not 1.00499999…), then the
 * decimal point is shifted in the string form before Math.round.
 */
export function roundHalfUp(value: number, precision: number): number {
  if (!Number.isFinite(value)) return value
  const fast = roundHalfUpFast(value, precision)
  if (fast !== undefined) return fast
  const normalised = Number(value.toPrecision(15))
  const sign = normalised < 0 ? -1 : 1
  const shifted = Math.round(Number(`${Math.abs(normalised)}e${precision}`))
  const result = sign * Number(`${shifted}e-${precision}`)
  return Object.is(result, -0) ? 0 : result
}

const POWERS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
/** Below this the float product is within 1e-8 of the decimal one, far from the 1e-6 margin. */
const FAST_LIMIT = 2 ** 26

/**
 * The same result without strings, where it cannot differ: the shifted value is small and not
 * within 1e-6 of a half, so the 15-digit normalisation and the float multiplication (each off
 * by far less) cannot move Math.round. Dividing the integer by an exact power of ten rounds
 * correctly, as parsing `${shifted}e-${precision}` does. Undefined: take the string path.
 */
function roundHalfUpFast(value: number, precision: number): number | undefined {
  const power = POWERS[precision]
  if (power === undefined || !Number.isInteger(precision)) return undefined
  const sign = value < 0 ? -1 : 1
  const scaled = Math.abs(value) * power
  if (!(scaled < FAST_LIMIT)) return undefined
  const fraction = scaled - Math.floor(scaled)
  if (Math.abs(fraction - 0.5) < 1e-6) return undefined
  const result = (sign * Math.round(scaled)) / power
  return Object.is(result, -0) ? 0 : result
}
