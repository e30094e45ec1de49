import { unitKpiRuleSet } from '../../../rules/defaults.js'
import type { Case, MatrixContext } from './context.js'

/**
 * The unit-evaluation routes in the matrix, on a unit cycle of CCHC for November 2026 (launched here
 * once): its evaluation is owned by tp.phamlan (the head), reviewed and signed off by the leaders
 * whose scope covers CCHC (pgd.hoangyen of the matrix, and the director) and the admin. The list is
 * everyone's (scoped to what they are party to); the rest is the parties'. The cases run in order:
 * the head saves and submits, the leader approves, the admin and the leader return, so the sign-off
 * finds the unit not ready (409: past the checks).
 */
export const unitEvaluationsCases = ({ t, cchc, get, send }: MatrixContext): Case[] => {
  let id: number | undefined
  const unitEvaluation = async () => {
    if (id) return id
    const existing = await t.system.db.selectFrom('evaluations').select('id').where('subject_unit_id', '=', cchc).orderBy('id').executeTakeFirst()
    if (existing) return (id = existing.id)
    const admin = await t.login('admin')
    const ruleSetId = ((await t.api('GET', '/api/rulesets', admin)).body as { id: number; code: string }[]).find((r) => r.code === unitKpiRuleSet().code)!.id
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Đánh giá đơn vị 11/2026', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId, unitIds: [cchc] })
    for (let i = 0; i < 300 && (await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body.status !== 'OPEN'; i++) await new Promise((r) => setTimeout(r, 200))
    return (id = (await t.system.db.selectFrom('evaluations').select('id').where('cycle_id', '=', launched.body.id).executeTakeFirstOrThrow()).id)
  }
  const on = (method: string, path: string, body?: unknown) => async (token: string | undefined) => send(method, `/api/unit-evaluations/${await unitEvaluation()}${path}`, body)(token)
  const { role: _role, ...inputs } = unitKpiRuleSet().tests![0]!.inputs
  const parties = ['admin', 'leaderIn', 'headOwn'] as const
  return [
    { route: 'GET /api/unit-evaluations', call: get('/api/unit-evaluations'), allow: ['admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther', 'staff', 'otherStaff'] },
    { route: 'GET /api/unit-evaluations/{id}', call: on('GET', ''), allow: parties },
    { route: 'GET /api/unit-evaluations/{id}/audit', call: on('GET', '/audit'), allow: parties },
    { route: 'PUT /api/unit-evaluations/{id}/self-assessment', call: on('PUT', '/self-assessment', { data: inputs }), allow: ['headOwn'] },
    { route: 'POST /api/unit-evaluations/{id}/submit', call: on('POST', '/submit', {}), allow: ['headOwn'] },
    { route: 'POST /api/unit-evaluations/{id}/approve', call: on('POST', '/approve', {}), allow: ['leaderIn'] },
    { route: 'POST /api/unit-evaluations/{id}/return', call: on('POST', '/return', { reason: 'Thử quyền trả lại' }), allow: ['admin', 'leaderIn'] },
    { route: 'POST /api/unit-evaluations/{id}/sign-off', call: on('POST', '/sign-off'), allow: ['admin', 'leaderIn'] },
  ]
}
