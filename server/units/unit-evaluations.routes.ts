import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { STAGES } from '../../workflows/stages.js'
import { AuditEvent } from '../audit/audit.schemas.js'
import { cyclesRoutes } from '../cycles/cycles.routes.js'
import { UnitActionResult } from '../cycles/cycles.schemas.js'
import { notFound } from '../errors.js'
import { ActionResult, approveBody, Evaluation, returnBody, selfAssessmentBody, submitBody } from '../evaluations/evaluations.schemas.js'
import { evaluationsRoutes } from '../evaluations/evaluations.routes.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, instant, jsonAnswer, jsonBody } from '../http/openapi.js'
import { ApiError } from '../errors.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { findUnitEvaluation, listUnitEvaluations, unitEvaluationContext } from './unit-evaluation.repo.js'

const day = z.string().openapi({ format: 'date', example: '2026-12-31' })
const tags = ['unit-evaluations']
const unitEvaluationId = { params: z.object({ id: idPath }) }

/** A unit evaluation as its list shows it: the unit, its head, the cycle's period, the stage and result. */
export const UnitEvaluationItem = z
  .object({
    id: z.number().int(),
    cycleId: z.number().int(),
    cycleName: z.string(),
    periodStart: day,
    periodEnd: day,
    unitId: z.number().int(),
    unitName: z.string(),
    headId: z.number().int(),
    headName: z.string(),
    stage: z.string().openapi({ example: 'UNIT_REVIEW' }),
    round: z.number().int(),
    total: z.number().nullable(),
    level: z.string().nullable(),
    finalLevel: z.string().nullable(),
    rankInCycle: z.number().int().nullable(),
    overdue: z.boolean(),
    deadlineAt: instant.nullable(),
  })
  .openapi('UnitEvaluationItem')

/** One unit evaluation: the evaluation with the unit, its head and the cycle's period. */
export const UnitEvaluation = Evaluation.extend({
  subject: z.literal('unit'),
  unit: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  head: z.object({ id: z.number().int(), name: z.string() }),
  cycle: z.object({ id: z.number().int(), name: z.string(), periodKind: z.string(), periodStart: day, periodEnd: day, status: z.string() }),
}).openapi('UnitEvaluation')

const withUnitId = <S extends z.ZodObject>(schema: S) => schema.extend({ unitId: z.number().int().openapi({ description: 'the unit evaluated' }) })

const listRoute = defineRoute({
  method: 'get',
  path: '/api/unit-evaluations',
  tags,
  summary: 'Unit evaluations the user is party to (the head, the reviewing leaders, sign-off; admins all); assignedToMe=true lists what waits for them; keyset pages (?after=, or newestFirst=true with ?before=)',
  request: {
    query: z.object({
      cycleId: dbIdQuery.optional(),
      unitId: dbIdQuery.optional(),
      stage: z.enum(STAGES).optional(),
      assignedToMe: z.enum(['true', 'false']).optional(),
      newestFirst: z.enum(['true', 'false']).optional().openapi({ description: 'true: newest first (latest cycles first), paged with ?before=' }),
      before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
      ...pageQuery,
    }),
  },
  responses: { 200: jsonAnswer(z.array(UnitEvaluationItem), 'One page (Link: <…>; rel="next" when there is more)') },
})

const getRoute = defineRoute({
  method: 'get',
  path: '/api/unit-evaluations/{id}',
  tags,
  summary: "One unit evaluation: the evaluation (document, form, stage, rounds, allowed actions) with the unit, its head and the cycle's period",
  request: unitEvaluationId,
  responses: { 200: jsonAnswer(UnitEvaluation, 'The unit evaluation') },
})

const selfAssessmentRoute = defineRoute({
  method: 'put',
  path: '/api/unit-evaluations/{id}/self-assessment',
  tags,
  summary: "Save the unit's self-assessment draft (the unit head, in SELF_ASSESSMENT)",
  request: { ...unitEvaluationId, body: jsonBody(selfAssessmentBody) },
  responses: { 200: jsonAnswer(withUnitId(Evaluation), 'Saved: the evaluation as it now stands') },
})

const action = <P extends string, B extends z.ZodType>(path: P, summary: string, body: B) =>
  defineRoute({
    method: 'post',
    path: `/api/unit-evaluations/{id}/${path}`,
    tags,
    summary,
    request: { ...unitEvaluationId, body: jsonBody(body) },
    responses: { 200: jsonAnswer(withUnitId(ActionResult), 'Recorded by the workflow') },
  })
const submitRoute = action('submit', "Submit the unit's self-assessment for the leader's review (the unit head)", submitBody)
const approveRoute = action('approve', 'The leader in scope approves the unit evaluation (optionally adjusting reviewer fields)', approveBody)
const returnRoute = action('return', 'Return with a reason: the reviewing leader to the head, or (awaiting sign-off) leadership back to review', returnBody)

const signOffRoute = defineRoute({
  method: 'post',
  path: '/api/unit-evaluations/{id}/sign-off',
  tags,
  summary: "The director or admin signs the unit evaluation off (the cycle's unit sign-off; classification follows when every unit is signed off)",
  request: unitEvaluationId,
  responses: { 200: jsonAnswer(UnitActionResult.extend({ id: z.number().int() }), 'Signed off (Idempotency-Key: a repeated request acts once)') },
})

const auditRoute = defineRoute({
  method: 'get',
  path: '/api/unit-evaluations/{id}/audit',
  tags,
  summary: 'Every action on the unit evaluation: who, when, stage from → to, reason; keyset pages (?after=&limit=)',
  request: { ...unitEvaluationId, query: z.object(pageQuery) },
  responses: { 200: jsonAnswer(z.array(AuditEvent), 'Oldest first, one page (Link: <…>; rel="next" when there is more)') },
})

/**
 * Unit evaluations (issue 14.2): a unit cycle's evaluations, one per unit, owned by the unit's head.
 * They are evaluations: every action goes to the evaluation's own route (`/api/evaluations/:id/…`,
 * or the cycle's unit sign-off), in-process with the caller's identity and headers, so the checks,
 * the workflow's Update, the write-through, idempotency and audit are exactly the evaluation's.
 * These routes add the unit: 404 for an evaluation that is not a unit's, and the unit on the page.
 */
export function unitEvaluationsRoutes(deps: AppDeps) {
  const { db } = deps
  const load = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'đánh giá đơn vị / unit evaluation')
    const ev = await findUnitEvaluation(db, id)
    if (!ev) throw notFound('đánh giá đơn vị / unit evaluation', id)
    return { id: ev.id, cycleId: ev.cycle_id, unitId: ev.subject_unit_id! }
  }
  /**
   * The routes a unit evaluation's requests go on to, as the caller: the signed-in user rides along
   * with the request, and whatever they refuse is thrown on, to be answered as the caller's own
   * request would be (app.ts's onError), so an error passes through as it is.
   */
  const through = featureApp()
  through.use('*', async (c, next) => {
    c.set('user', (c.env as { user: SessionUser }).user)
    await next()
  })
  through.onError((err) => {
    throw err
  })
  through.route('/', evaluationsRoutes(deps)).route('/', cyclesRoutes(deps))
  /** The same request on the evaluation's route: the caller's headers (Idempotency-Key, If-Match, language), the validated body; its answer's body. */
  const send = async (c: Context<AppEnv>, method: string, path: string, body?: unknown): Promise<Response> => {
    const headers = new Headers(c.req.raw.headers)
    headers.delete('content-length')
    if (body !== undefined) headers.set('content-type', 'application/json')
    return through.request(new URL(path, c.req.url).toString(), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }, { user: c.get('user') })
  }
  const forward = async <T,>(c: Context<AppEnv>, method: string, path: string, body?: unknown): Promise<T> => (await (await send(c, method, path, body)).json()) as T
  type EvaluationAnswer = z.infer<typeof Evaluation>
  type ActionAnswer = z.infer<typeof ActionResult>

  return featureApp()
    .openapi(listRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const newestFirst = query.newestFirst === 'true'
      if ((query.before !== undefined && !newestFirst) || (query.after !== undefined && newestFirst)) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'Con trỏ trang không khớp thứ tự: before đi với newestFirst=true, after với thứ tự tăng dần.', 'The page cursor does not match the order: before goes with newestFirst=true, after with the ascending order.')
      }
      const rows = await listUnitEvaluations(db, { userId: user.id, admin: user.roles.includes('admin'), cycleId: query.cycleId, unitId: query.unitId, stage: query.stage, assignedToMe: query.assignedToMe === 'true', after: query.after, newestFirst: newestFirst ? { before: query.before } : undefined, limit: query.limit })
      return c.json(page(c, rows, query.limit, newestFirst ? 'before' : 'after'), 200)
    })
    .openapi(getRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      const evaluation = await forward<EvaluationAnswer>(c, 'GET', `/api/evaluations/${ev.id}`)
      const ctx = await unitEvaluationContext(db, ev.id)
      return c.json(
        {
          ...evaluation,
          subject: 'unit' as const,
          unit: { id: ctx.unit_id, code: ctx.unit_code, name: ctx.unit_name },
          head: { id: ctx.head_id, name: ctx.head_name },
          cycle: { id: ev.cycleId, name: ctx.cycle_name, periodKind: ctx.period_kind, periodStart: ctx.period_start, periodEnd: ctx.period_end, status: ctx.cycle_status },
        },
        200,
      )
    })
    .openapi(selfAssessmentRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      return c.json({ ...(await forward<EvaluationAnswer>(c, 'PUT', `/api/evaluations/${ev.id}/self-assessment`, c.req.valid('json'))), unitId: ev.unitId }, 200)
    })
    .openapi(submitRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      return c.json({ ...(await forward<ActionAnswer>(c, 'POST', `/api/evaluations/${ev.id}/submit`, c.req.valid('json'))), unitId: ev.unitId }, 200)
    })
    .openapi(approveRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      return c.json({ ...(await forward<ActionAnswer>(c, 'POST', `/api/evaluations/${ev.id}/approve`, c.req.valid('json'))), unitId: ev.unitId }, 200)
    })
    .openapi(returnRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      return c.json({ ...(await forward<ActionAnswer>(c, 'POST', `/api/evaluations/${ev.id}/return`, c.req.valid('json'))), unitId: ev.unitId }, 200)
    })
    .openapi(signOffRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      const signedOff = await forward<z.infer<typeof UnitActionResult>>(c, 'POST', `/api/cycles/${ev.cycleId}/units/${ev.unitId}/sign-off`)
      return c.json({ ...signedOff, id: ev.id, unitId: ev.unitId }, 200)
    })
    .openapi(auditRoute, async (c) => {
      const ev = await load(c.req.valid('param'))
      // The evaluation's page of its audit; its next page, named on this route (a unit evaluation's id is its evaluation's).
      const res = await send(c, 'GET', `/api/evaluations/${ev.id}/audit${new URL(c.req.url).search}`)
      const next = res.headers.get('link')
      if (next) c.header('Link', next.replace(`/api/evaluations/${ev.id}/audit`, `/api/unit-evaluations/${ev.id}/audit`))
      return c.json((await res.json()) as z.infer<typeof AuditEvent>[], 200)
    })
}

/** The unit evaluations' routes, as the typed client sees them. */
export type UnitEvaluationsApi = ReturnType<typeof unitEvaluationsRoutes>
