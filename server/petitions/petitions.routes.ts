import { z } from '@hono/zod-openapi'
import { WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import type { Context } from 'hono'
import { sql } from 'kysely'
import { answerPetitionUpdate, cycleWorkflowId, filePetitionUpdate } from '../../workflows/definitions.js'
import { forbidden, notFound } from '../errors.js'
import { actionOptions } from '../http/action-options.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, instant, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { answered, petitionErrors, petitionOpen, windowClosed } from './petition.errors.js'

const status = z.enum(['OPEN', 'ACCEPTED', 'REJECTED'])

/** A petition as `GET /api/petitions` lists it. */
export const Petition = z
  .object({
    id: z.number().int(),
    cycleId: z.number().int(),
    evaluationId: z.number().int(),
    filedBy: z.number().int(),
    fullName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    finalLevel: z.string().nullable(),
    stage: z.string(),
    reason: z.string(),
    status,
    filedAt: instant,
    answerDueAt: instant,
    answeredBy: z.number().int().nullable(),
    answeredAt: instant.nullable(),
    answerReason: z.string().nullable(),
    mayAnswer: z.boolean().openapi({ description: 'the caller is the competent authority and the petition waits for an answer' }),
  })
  .openapi('Petition')

const fileRoute = defineRoute({
  method: 'post',
  path: '/api/evaluations/{id}/petitions',
  tags: ['petitions'],
  summary: 'The evaluated person petitions about their published result, with a reason (within the petition window; one open petition at a time)',
  request: { params: z.object({ id: idPath }), body: jsonBody(z.object({ reason: z.string().trim().min(10).max(2000) })) },
  responses: { 201: jsonAnswer(z.object({ id: z.number().int(), answerDueAt: instant }), 'Filed; the competent authority answers by answerDueAt') },
})

const listRoute = defineRoute({
  method: 'get',
  path: '/api/petitions',
  tags: ['petitions'],
  summary: 'Petitions the user may see: their own, those addressed to them as the competent authority (admins: all), of a cycle or of one evaluation; keyset pages',
  request: { query: z.object({ cycleId: dbIdQuery.optional(), evaluationId: dbIdQuery.optional(), status: status.optional(), ...pageQuery }) },
  responses: { 200: jsonAnswer(z.array(Petition), 'One page (Link: <…>; rel="next" when there is more)') },
})

const answerRoute = <D extends 'accept' | 'reject'>(decision: D) =>
  defineRoute({
    method: 'post',
    path: `/api/petitions/{id}/${decision}`,
    tags: ['petitions'],
    summary: decision === 'accept' ? 'The competent authority accepts a petition (with a reason): the evaluation reopens at unit review, the unit is classified again once signed off' : 'The competent authority rejects a petition, with a reason; the filer is told',
    request: { params: z.object({ id: idPath }), body: jsonBody(z.object({ reason: z.string().trim().min(3).max(2000) })) },
    responses: { 200: jsonAnswer(z.object({ id: z.number().int(), status: z.enum(['ACCEPTED', 'REJECTED']), evaluationId: z.number().int() }), 'Answered') },
  })

/**
 * Petitions (kiến nghị) on published results. The API checks against the read model for a clear
 * answer; the cycle workflow decides (window open? one already open? the competent authority?).
 */
export function petitionsRoutes(deps: AppDeps) {
  const { db, client } = deps
  const actorOf = (user: SessionUser) => ({ id: user.id, roles: user.roles })
  /** A workflow refusal in the petitions' own terms (409 window closed, open, answered), else the usual mapping. */
  const viaCycle = <T>(call: () => Promise<T>) =>
    viaWorkflow(deps, async () => {
      try {
        return await call()
      } catch (err) {
        const cause = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : undefined
        const known = cause?.type ? petitionErrors[cause.type] : undefined
        throw known ? known() : err
      }
    })

  /** Accept or reject: the competent authority (the sign-off leaders; admins) answers an open petition. */
  const answer = (decision: 'accept' | 'reject') => async (c: Context<AppEnv>, idText: string, reason: string) => {
    const user = c.get('user')
    const id = idParam({ id: idText }, 'id', 'kiến nghị / petition')
    const p = await db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst()
    const isAdmin = user.roles.includes('admin')
    const authority = isAdmin || p?.authority_ids.includes(user.id)
    if (!p || (!authority && p.filed_by !== user.id)) throw notFound('kiến nghị / petition', id)
    if (!authority || p.filed_by === user.id) throw forbidden('Chỉ cấp có thẩm quyền mới trả lời kiến nghị.', 'Only the competent authority answers a petition.')
    if (p.status !== 'OPEN') throw answered()
    const { updateId } = actionOptions(c, user.id)
    const result = await viaCycle(() =>
      client.workflow.getHandle(cycleWorkflowId(p.cycle_id)).executeUpdate(answerPetitionUpdate, { args: [{ actor: actorOf(user), petitionId: p.id, decision, reason }], ...(updateId ? { updateId } : {}) }),
    )
    return { id: result.id, status: result.status, evaluationId: p.evaluation_id }
  }
  const accept = answer('accept')
  const reject = answer('reject')

  return featureApp()
    .openapi(fileRoute, async (c) => {
      const user = c.get('user')
      const id = idParam(c.req.valid('param'), 'id', 'bản đánh giá / evaluation')
      const { reason } = c.req.valid('json')
      const ev = await db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst()
      if (!ev) throw notFound('bản đánh giá / evaluation', id)
      if (ev.staff_id !== user.id) throw forbidden('Chỉ người được đánh giá mới kiến nghị về kết quả của mình.', 'Only the evaluated person petitions about their result.')
      const cycle = await db.selectFrom('cycles').select(['published_at', 'petition_closes_at', 'results_locked_at']).where('id', '=', ev.cycle_id).executeTakeFirstOrThrow()
      if (!cycle.published_at || !cycle.petition_closes_at || cycle.results_locked_at || cycle.petition_closes_at.getTime() <= Date.now()) throw windowClosed()
      const open = await db.selectFrom('petitions').select('id').where('evaluation_id', '=', ev.id).where('status', '=', 'OPEN').executeTakeFirst()
      if (open || ev.stage !== 'CLASSIFIED') throw petitionOpen()
      const { updateId } = actionOptions(c, user.id)
      const filed = await viaCycle(() =>
        client.workflow.getHandle(cycleWorkflowId(ev.cycle_id)).executeUpdate(filePetitionUpdate, { args: [{ actor: actorOf(user), evaluationId: ev.id, ownerId: ev.staff_id, unitId: ev.unit_id, reason }], ...(updateId ? { updateId } : {}) }),
      )
      return c.json({ id: filed.id, answerDueAt: filed.answerDueAt }, 201)
    })
    .openapi(listRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
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
      if (query.evaluationId) q = q.where('p.evaluation_id', '=', query.evaluationId)
      if (query.status) q = q.where('p.status', '=', query.status)
      if (query.after !== undefined) q = q.where('p.id', '>', query.after)
      const rows = page(c, await q.limit(query.limit + 1).execute(), query.limit)
      const items = rows.map((r) => ({
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
        filedAt: r.filed_at.toISOString(),
        answerDueAt: r.answer_due_at.toISOString(),
        answeredBy: r.answered_by,
        answeredAt: r.answered_at?.toISOString() ?? null,
        answerReason: r.answer_reason,
        mayAnswer: r.status === 'OPEN' && r.filed_by !== user.id && (isAdmin || r.authority_ids.includes(user.id)),
      }))
      return c.json(items, 200)
    })
    .openapi(answerRoute('accept'), async (c) => c.json(await accept(c, c.req.valid('param').id, c.req.valid('json').reason), 200))
    .openapi(answerRoute('reject'), async (c) => c.json(await reject(c, c.req.valid('param').id, c.req.valid('json').reason), 200))
}

/** The petitions' routes, as the typed client sees them. */
export type PetitionsApi = ReturnType<typeof petitionsRoutes>
