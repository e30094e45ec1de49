import { WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import type { Hono } from 'hono'
import { sql } from 'kysely'
import { z } from 'zod'
import { answerPetitionUpdate, cycleWorkflowId, filePetitionUpdate } from '../../workflows/definitions.js'
import { forbidden, notFound } from '../errors.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { actionOptions } from '../http/action-options.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { answered, petitionErrors, petitionOpen, windowClosed } from '../petitions/petition.errors.js'

const fileBody = z.object({ reason: z.string().trim().min(10).max(2000) })
const answerBody = z.object({ reason: z.string().trim().min(3).max(2000) })
const listQuery = z.object({ cycleId: dbIdQuery.optional(), status: z.enum(['OPEN', 'ACCEPTED', 'REJECTED']).optional(), ...pageQuery })

/**
 * Petitions (kiến nghị) on published results. The API checks against the read model for a clear
 * answer; the cycle workflow decides (window open? one already open? the competent authority?).
 */
export function petitionsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db, client } = deps
  const actorOf = (user: SessionUser) => ({ id: user.id, roles: user.roles })
  /** A workflow refusal in the petitions' own terms (409 window closed, open, answered), else the usual mapping. */
  const viaCycle = <T,>(call: () => Promise<T>) =>
    viaWorkflow(deps, async () => {
      try {
        return await call()
      } catch (err) {
        const cause = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : undefined
        const known = cause?.type ? petitionErrors[cause.type] : undefined
        throw known ? known() : err
      }
    })

  route(app, { method: 'post', path: '/api/evaluations/:id/petitions', summary: 'The evaluated person petitions about their published result, with a reason (within the petition window; one open petition at a time)', tag: 'petitions', body: fileBody, status: 201 }, async ({ c, params, user, body }) => {
    const id = idParam(params, 'id', 'bản đánh giá / evaluation')
    const ev = await db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst()
    if (!ev) throw notFound('bản đánh giá / evaluation', id)
    if (ev.staff_id !== user.id) throw forbidden('Chỉ người được đánh giá mới kiến nghị về kết quả của mình.', 'Only the evaluated person petitions about their result.')
    const cycle = await db.selectFrom('cycles').select(['published_at', 'petition_closes_at', 'results_locked_at']).where('id', '=', ev.cycle_id).executeTakeFirstOrThrow()
    if (!cycle.published_at || !cycle.petition_closes_at || cycle.results_locked_at || cycle.petition_closes_at.getTime() <= Date.now()) throw windowClosed()
    const open = await db.selectFrom('petitions').select('id').where('evaluation_id', '=', ev.id).where('status', '=', 'OPEN').executeTakeFirst()
    if (open || ev.stage !== 'CLASSIFIED') throw petitionOpen()
    const { updateId } = actionOptions(c, user.id)
    const filed = await viaCycle(() =>
      client.workflow.getHandle(cycleWorkflowId(ev.cycle_id)).executeUpdate(filePetitionUpdate, { args: [{ actor: actorOf(user), evaluationId: ev.id, ownerId: ev.staff_id, unitId: ev.unit_id, reason: body.reason }], ...(updateId ? { updateId } : {}) }),
    )
    return { id: filed.id, answerDueAt: filed.answerDueAt }
  })

  route(app, { method: 'get', path: '/api/petitions', summary: 'Petitions the user may see: their own, those addressed to them as the competent authority (admins: all); keyset pages', tag: 'petitions', query: listQuery }, async ({ c, user, query }) => {
    const isAdmin = user.roles.includes('admin')
    let q = db
      .selectFrom('petitions as p')
      .innerJoin('evaluations as e', 'e.id', 'p.evaluation_id')
      .innerJoin('staff as s', 's.id', 'p.filed_by')
      .innerJoin('units as u', 'u.id', 'e.unit_id')
      .selectAll('p')
      .select(['s.full_name', 'u.name as unit_name', 'e.unit_id', 'e.final_level', 'e.stage'])
      .orderBy('p.id')
    if (!isAdmin) q = q.where((eb) => eb.or([eb('p.filed_by', '=', user.id), eb(sql<boolean>`p.authority_ids @> ${JSON.stringify([user.id])}::jsonb`, '=', true)]))
    if (query.cycleId) q = q.where('p.cycle_id', '=', query.cycleId)
    if (query.status) q = q.where('p.status', '=', query.status)
    if (query.after !== undefined) q = q.where('p.id', '>', query.after)
    const rows = page(c, await q.limit(query.limit + 1).execute(), query.limit)
    return rows.map((r) => ({
      id: r.id,
      cycleId: r.cycle_id,
      evaluationId: r.evaluation_id,
      filedBy: r.filed_by,
      fullName: r.full_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      finalLevel: r.final_level,
      stage: r.stage,
      reason: r.reason,
      status: r.status,
      filedAt: r.filed_at,
      answerDueAt: r.answer_due_at,
      answeredBy: r.answered_by,
      answeredAt: r.answered_at,
      answerReason: r.answer_reason,
      mayAnswer: r.status === 'OPEN' && r.filed_by !== user.id && (isAdmin || r.authority_ids.includes(user.id)),
    }))
  })

  for (const decision of ['accept', 'reject'] as const) {
    route(
      app,
      {
        method: 'post',
        path: `/api/petitions/:id/${decision}`,
        summary: decision === 'accept' ? 'The competent authority accepts a petition (with a reason): the evaluation reopens at unit review, the unit is classified again once signed off' : 'The competent authority rejects a petition, with a reason; the filer is told',
        tag: 'petitions',
        body: answerBody,
      },
      async ({ c, params, user, body }) => {
        const id = idParam(params, 'id', 'kiến nghị / petition')
        const p = await db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst()
        const isAdmin = user.roles.includes('admin')
        const authority = isAdmin || p?.authority_ids.includes(user.id)
        if (!p || (!authority && p.filed_by !== user.id)) throw notFound('kiến nghị / petition', id)
        if (!authority || p.filed_by === user.id) throw forbidden('Chỉ cấp có thẩm quyền mới trả lời kiến nghị.', 'Only the competent authority answers a petition.')
        if (p.status !== 'OPEN') throw answered()
        const { updateId } = actionOptions(c, user.id)
        const result = await viaCycle(() =>
          client.workflow.getHandle(cycleWorkflowId(p.cycle_id)).executeUpdate(answerPetitionUpdate, { args: [{ actor: actorOf(user), petitionId: p.id, decision, reason: body.reason }], ...(updateId ? { updateId } : {}) }),
        )
        return { id: result.id, status: result.status, evaluationId: p.evaluation_id }
      },
    )
  }
}
