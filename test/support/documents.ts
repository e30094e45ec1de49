/** A self-assessment in the default NĐ 335 rule set: general points `g` each, and `done` of 10 assigned B05 products. */
export const doc = (g: number, done: number) => ({
  general: { ethics: g, competence: g, innovation: g },
  products: [{ code: 'B05', k: 1.5, assigned: 10, done, qualityFailures: 0, delays: 0 }],
})
