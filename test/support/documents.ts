/**
 * Self-assessments in the default NĐ 335 rule set (Mẫu số 01): the general criteria as groups of
 * sub-criteria, the person's own review, and product lines.
 */

/** The sub-criteria of each group of Mẫu 01's general criteria, in order (as the default rule set declares them). */
const GROUPS = {
  ethics: ['politics', 'discipline'],
  competence: ['expertise', 'taskResponse', 'responsibility', 'serviceAttitude'],
  innovation: ['renewal', 'creativity', 'daringThought', 'daringAction'],
} as const

export type GroupKey = keyof typeof GROUPS

/**
 * A group's `points` (out of 10) spread over its sub-criteria in quarter points, so the group
 * scores exactly `points` (the first sub-criteria take the odd quarters).
 */
export function groupScores(group: GroupKey, points: number): Record<string, number> {
  const keys = GROUPS[group]
  const quarters = Math.round(points * 4)
  if (quarters / 4 !== points) throw new Error(`${points} is not a multiple of 0.25`)
  return Object.fromEntries(keys.map((k, i) => [k, (Math.floor(quarters / keys.length) + (i < quarters % keys.length ? 1 : 0)) / 4]))
}

/** `general` of a document whose groups I, II, III score ethics, competence and innovation points (each out of 10). */
export function general(ethics: number, competence = ethics, innovation = competence): Record<GroupKey, Record<string, number>> {
  return { ethics: groupScores('ethics', ethics), competence: groupScores('competence', competence), innovation: groupScores('innovation', innovation) }
}

/** The person's own review, filled as submission requires. */
export const assessment = { strengths: 'Hoàn thành đúng hạn các nhiệm vụ được giao', weaknesses: 'Cần chủ động hơn trong phối hợp', proposedLevel: 'HTT' }

/**
 * A self-assessment: `g` points in each group (so a general score of 3·g), and `done` of 10
 * assigned products of the catalogue (B01, for specialists and heads; L01 for leadership),
 * declared by hand, so with a reason.
 */
export const doc = (g: number, done: number, code: 'B01' | 'L01' = 'B01') => ({
  general: general(g),
  assessment,
  products: [{ code, k: code === 'B01' ? 1 : 2, assigned: 10, done, qualityFailures: 0, delays: 0, reason: 'Theo kế hoạch công tác' }],
})
