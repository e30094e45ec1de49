import { vietnamDate } from '../../../workflows/stages.js'
import type { Case, MatrixContext } from './context.js'

/** A day `n` days from today in Vietnam. */
const day = (n: number) => vietnamDate(Date.now() + n * 86400_000)

/**
 * The delegation and reassignment routes in the matrix. Unit heads and leaders delegate their review
 * (each once, to cv.maiphuong, a month ahead: nothing is in force during the matrix); everyone lists
 * what they gave and received; a delegation is ended by its principal (tp.phamlan) or an admin, and
 * is invisible (404) to the others but its delegate (403). Reassignment is the admin's (409 here: the
 * cycle is classified).
 */
export const delegationsCases = ({ t, subject, staffId, get, send }: MatrixContext): Case[] => {
  let delegationId: number | undefined
  /** tp.phamlan's delegation to cv.maiphuong, two months ahead, created once. */
  const delegation = async () => {
    if (delegationId) return delegationId
    const res = await t.api('POST', '/api/delegations', await t.login('tp.phamlan'), { delegateId: staffId, scope: 'review', from: day(60), to: day(61), reason: 'Ma trận phân quyền' })
    return (delegationId = res.body.id as number)
  }
  return [
    { route: 'POST /api/delegations', call: send('POST', '/api/delegations', { delegateId: staffId, scope: 'review', from: day(30), to: day(31), reason: 'Nghỉ phép' }), allow: ['leaderIn', 'leaderOut', 'headOwn', 'headOther'] },
    { route: 'GET /api/delegations', call: get('/api/delegations'), allow: ['admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther', 'staff', 'otherStaff'] },
    { route: 'DELETE /api/delegations/{id}', call: async (token) => send('DELETE', `/api/delegations/${await delegation()}`)(token), allow: ['admin', 'headOwn'] },
    { route: 'POST /api/evaluations/{id}/reassign', call: send('POST', `/api/evaluations/${subject}/reassign`, { role: 'reviewer', staffId: staffId + 1, reason: 'Thử quyền giao lại' }), allow: ['admin'] },
  ]
}
