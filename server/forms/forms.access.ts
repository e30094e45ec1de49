import type { EvaluationRow } from '../db/schema.js'
import type { SessionUser } from '../http/context.js'

/**
 * Who may print an evaluation's form: whoever may read it through GET /api/evaluations/:id —
 * an admin, the evaluated person, a reviewer or a sign-off leader of it (the same rule as
 * `canView` in evaluations.routes.ts).
 */
export function canViewEvaluation(user: SessionUser, ev: Pick<EvaluationRow, 'staff_id' | 'reviewer_ids' | 'sign_off_ids'>): boolean {
  return user.roles.includes('admin') || ev.staff_id === user.id || ev.reviewer_ids.includes(user.id) || ev.sign_off_ids.includes(user.id)
}
