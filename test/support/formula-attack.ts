/** Arrays of zeros, as long as a formula's own arrays may be (1,000). */
export const zeros = (n: number): number[] => new Array<number>(n).fill(0)

/**
 * The attack of issue 11 point 6: three nested `reduce` over 1,000-element arrays, about 6 KB and
 * within every size limit — 10⁹ applications of the innermost body (~40 s before the budget).
 * Each inner array takes in the outer item (`current`), so json-logic-engine cannot fold the inner
 * loops into constants when it compiles the formula: every iteration really runs.
 */
export function nestedReduceAttack(): unknown {
  const sum = (body: unknown) => ({ reduce: [{ merge: [zeros(999), { var: 'current' }] }, { '+': [{ var: 'accumulator' }, body] }, 0] })
  return { reduce: [zeros(1000), { '+': [{ var: 'accumulator' }, sum(sum(1))] }, 0] }
}
