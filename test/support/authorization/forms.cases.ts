import type { Case, MatrixContext } from './context.js'

/**
 * The forms routes in the authorization matrix: Mẫu 01 of an evaluation for whoever may read the
 * evaluation; the unit's summary list for the admin, the leader whose scope holds the unit and its head.
 */
export const formsCases = ({ get, cycleId, cchc, subject }: MatrixContext): Case[] => [
  { route: 'GET /api/evaluations/{id}/form.pdf', call: get(`/api/evaluations/${subject}/form.pdf`), allow: ['admin', 'leaderIn', 'headOwn', 'staff'] },
  { route: 'GET /api/cycles/{id}/units/{unitId}/summary.pdf', call: get(`/api/cycles/${cycleId}/units/${cchc}/summary.pdf`), allow: ['admin', 'leaderIn', 'headOwn'] },
]
