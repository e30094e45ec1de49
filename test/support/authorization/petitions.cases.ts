import type { Case, MatrixContext } from './context.js'

/**
 * The petitions routes in the authorization matrix (its cycle is classified with the default
 * durations, so the petition window is open for days). Filing is cv.maiphuong's alone: her call
 * files one petition. Answers are for the competent authority (the leader signing CCHC off) and
 * the admin: the admin's reject answers it, every later answer is 409 — nothing is reopened.
 * The unit's published list: everyone in CCHC and whoever oversees it.
 */
export const petitionsCases = ({ t, cycleId, cchc, subject, get, send }: MatrixContext): Case[] => {
  let petitionId: number | undefined
  /** The petition of the matrix: the one `staff` filed, or filed here if that case has not run. */
  const petition = async () => {
    if (petitionId) return petitionId
    const existing = await t.system.db.selectFrom('petitions').select('id').where('evaluation_id', '=', subject).orderBy('id').executeTakeFirst()
    if (existing) return (petitionId = existing.id)
    const res = await t.api('POST', `/api/evaluations/${subject}/petitions`, await t.login('cv.maiphuong'), { reason: 'Kiến nghị của ma trận phân quyền.' })
    return (petitionId = res.body.id as number)
  }
  const answer = (decision: 'accept' | 'reject') => async (token: string | undefined) => send('POST', `/api/petitions/${await petition()}/${decision}`, { reason: 'Trả lời kiến nghị' })(token)
  return [
    { route: 'POST /api/evaluations/{id}/petitions', call: send('POST', `/api/evaluations/${subject}/petitions`, { reason: 'Kiến nghị về kết quả đánh giá.' }), allow: ['staff'] },
    { route: 'GET /api/petitions', call: get(`/api/petitions?cycleId=${cycleId}`), allow: ['admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther', 'staff', 'otherStaff'] },
    { route: 'POST /api/petitions/{id}/reject', call: answer('reject'), allow: ['admin', 'leaderIn'] },
    { route: 'POST /api/petitions/{id}/accept', call: answer('accept'), allow: ['admin', 'leaderIn'] },
    { route: 'GET /api/cycles/{id}/units/{unitId}/published', call: get(`/api/cycles/${cycleId}/units/${cchc}/published`), allow: ['admin', 'leaderIn', 'headOwn', 'staff', 'otherStaff'] },
  ]
}
