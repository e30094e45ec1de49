import { z } from '@hono/zod-openapi'
import type { WorkflowHandle } from '@temporalio/client'
import { reassignUpdate } from '../../workflows/definitions.js'
import { nextStage, type Stage } from '../../workflows/stages.js'
import type { EvaluationRow } from '../db/schema.js'
import { ApiError, stale, wrongStage } from '../errors.js'
import { reassignBody, ReassignResult, type NextAction } from '../evaluations/evaluations.schemas.js'
import { writeThrough } from '../evaluations/write-through.js'
import { actionOptions } from '../http/action-options.js'
import type { AppDeps, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { viaWorkflow } from '../http/temporal-errors.js'

interface EvaluationAccess {
  load: (params: Record<string, string>, user: SessionUser) => Promise<EvaluationRow>
  handle: (ev: EvaluationRow) => WorkflowHandle
  allowedActionsOf: (user: SessionUser, ev: EvaluationRow) => NextAction[]
}

const reassign = defineRoute({
  method: 'post',
  path: '/api/evaluations/{id}/reassign',
  tags: ['evaluations'],
  summary: 'An admin names another reviewer or sign-off leader for an open evaluation, with a reason; its workflow takes the new party, reminders follow',
  roles: ['admin'],
  request: { params: z.object({ id: idPath }), body: jsonBody(reassignBody) },
  responses: { 200: jsonAnswer(ReassignResult, 'Recorded by the workflow: the new parties') },
})

/**
 * `POST /api/evaluations/:id/reassign` (admin): another reviewer or sign-off leader for an open
 * evaluation — head on leave or replaced, staff moved mid-cycle. The evaluation's running workflow
 * takes the new parties through an Update and records a `reassign` transition (stage unchanged),
 * written through like any action: the read model's party columns and rows, and the audit with the
 * reason. Reminders and escalations then go to the new person. A reviewer replaces the reviewers;
 * a sign-off leader replaces the sign-off leaders (the admins stay, as at launch).
 */
export function reassignRoute(deps: AppDeps, { load, handle, allowedActionsOf }: EvaluationAccess) {
  const { db } = deps

  /** The admins on a sign-off list: they keep their place whoever leads. */
  async function adminsAmong(ids: number[]): Promise<number[]> {
    if (!ids.length) return []
    const rows = await db.selectFrom('staff').select(['id', 'roles']).where('id', 'in', ids).execute()
    return rows.filter((r) => r.roles.includes('admin')).map((r) => r.id)
  }

  return featureApp().openapi(reassign, async (c) => {
    const user = c.get('user')
    const body = c.req.valid('json')
    const ev = await load(c.req.valid('param'), user)
    const options = actionOptions(c, user.id, body.expectedVersion)
    if (body.staffId === ev.staff_id) throw new ApiError(409, 'OWN_EVALUATION', 'Không ai nhận xét hay ký duyệt bản đánh giá của chính mình.', 'Nobody reviews or signs off their own evaluation.')
    const person = await db.selectFrom('staff').select(['id', 'active', 'roles']).where('id', '=', body.staffId).executeTakeFirst()
    if (!person?.active) throw new ApiError(400, 'VALIDATION_FAILED', 'Người được giao phải là cán bộ đang công tác.', 'The person named must be an active staff member.')
    if (body.role === 'sign-off' && !person.roles.includes('leader') && !person.roles.includes('admin')) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'Người ký duyệt phải là lãnh đạo.', 'A sign-off leader must be a leader.')
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== ev.version) throw stale(ev.version)
    if (nextStage(ev.stage as Stage, 'reassign') === null && !options.updateId) throw wrongStage(ev.stage, 'reassign')
    const staffIds = body.role === 'reviewer' ? [body.staffId] : [body.staffId, ...(await adminsAmong(ev.sign_off_ids)).filter((id) => id !== body.staffId)]
    const args = { actor: { id: user.id, roles: user.roles }, role: body.role, staffIds, reason: body.reason, writeThrough: true, ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}) }
    const recorded = await viaWorkflow(deps, () => handle(ev).executeUpdate(reassignUpdate, { args: [args], ...(options.updateId ? { updateId: options.updateId } : {}) }))
    await writeThrough(db, recorded, ev)
    const now = { ...ev, version: recorded.version, reviewer_ids: body.role === 'reviewer' ? staffIds : ev.reviewer_ids, sign_off_ids: body.role === 'sign-off' ? staffIds : ev.sign_off_ids }
    return c.json(
      {
        id: ev.id,
        action: recorded.action,
        stage: recorded.to,
        version: recorded.version,
        round: recorded.round,
        deadlineAt: recorded.deadlineAt,
        reviewerIds: now.reviewer_ids,
        signOffIds: now.sign_off_ids,
        allowedActions: allowedActionsOf(user, now),
      },
      200,
    )
  })
}
