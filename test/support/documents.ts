/**
 * A self-assessment in the default NĐ 335 rule set: general points `g` each, and `done` of 10
 * assigned products of the catalogue (B01, for specialists and heads; L01 for leadership), declared
 * by hand, so with a reason.
 */
export const doc = (g: number, done: number, code: 'B01' | 'L01' = 'B01') => ({
  general: { ethics: g, competence: g, innovation: g },
  products: [{ code, k: code === 'B01' ? 1 : 2, assigned: 10, done, qualityFailures: 0, delays: 0, reason: 'Theo kế hoạch công tác' }],
})
