import type { Case, MatrixContext } from './context.js'

/**
 * The calendar routes in the authorization matrix: everyone signed in reads the calendar and
 * previews deadlines; only the admin marks or unmarks days. The admin's DELETE removes a preloaded
 * provisional day (03/09/2027), which nothing else in the matrix relies on.
 */
export const calendarCases = ({ get, send }: MatrixContext): Case[] => {
  const all = ['admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther', 'staff', 'otherStaff'] as const
  return [
    { route: 'GET /api/calendar/days', call: get('/api/calendar/days?year=2026'), allow: all },
    { route: 'PUT /api/calendar/days/{date}', call: send('PUT', '/api/calendar/days/2027-12-24', { kind: 'holiday', name: 'Thử quyền' }), allow: ['admin'] },
    { route: 'DELETE /api/calendar/days/{date}', call: send('DELETE', '/api/calendar/days/2027-09-03'), allow: ['admin'] },
    { route: 'GET /api/calendar/working-days', call: get('/api/calendar/working-days?from=2026-12-01&days=5'), allow: all },
  ]
}
