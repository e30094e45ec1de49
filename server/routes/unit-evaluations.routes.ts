import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { STAGES } from '../../workflows/stages.js'
import { notFound } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { findUnitEvaluation, listUnitEvaluations, unitEvaluationContext } from '../units/unit-evaluation.repo.js'

const listQuery = z.object({ cycleId: dbIdQuery.optional(), unitId: dbIdQuery.optional(), stage: z.enum(STAGES).optional(), assignedToMe: z.enum(['true', 'false']).optional(), ...pageQuery })
const expectedVersion = z.number().int().min(0).max(1e9).optional()
const selfAssessmentBody = z.object({ data: z.record(z.string(), z.unknown()), expectedVersion })
const submitBody = z.object({ expectedVersion })
const approveBody = z.object({ adjustments: z.record(z.string(), z.unknown()).optional(), comment: z.string().trim().max(2000).optional(), expectedVersion })
const returnBody = z.object({ reason: z.string().trim().min(3).max(2000), expectedVersion })

/**
 * Unit evaluations (issue 14.2): a unit cycle's evaluations, one per unit, owned by the unit's head.
 * They are evaluations: every action goes to the evaluation's own route (`/api/evaluations/:id/…`,
 * or the cycle's unit sign-off), in-process with the caller's identity and headers, so the checks,
 * the workflow's Update, the write-through, idempotency and audit are exactly the evaluation's.
 * These routes add the unit: 404 for an evaluation that is not a unit's, and the unit on the page.
 */
export function unitEvaluationRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps
  const load = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'đánh giá đơn vị / unit evaluation')
    const ev = await findUnitEvaluation(db, id)
    if (!ev) throw notFound('đánh giá đơn vị / unit evaluation', id)
    return { id: ev.id, cycleId: ev.cycle_id, unitId: ev.subject_unit_id! }
  }
  /** The same request on the evaluation's route: the caller's headers (session, Idempotency-Key, If-Match), the validated body. */
  const forward = (c: Context<AppEnv>, method: string, path: string, body?: unknown) => {
    const headers = new Headers(c.req.raw.headers)
    headers.delete('content-length')
    if (body !== undefined) headers.set('content-type', 'application/json')
    return app.request(new URL(path, c.req.url).toString(), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }, c.env)
  }
  /** The evaluation's answer with the unit beside it (errors pass through as they are). */
  const withUnit = async (res: Response, unit: Record<string, unknown>) => {
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('application/json')) return res
    return Response.json({ ...((await res.json()) as object), ...unit }, { status: res.status })
  }

  route(app, { method: 'get', path: '/api/unit-evaluations', summary: 'Unit evaluations the user is party to (the head, the reviewing leaders, sign-off; admins all); assignedToMe=true lists what waits for them; keyset pages', tag: 'unit-evaluations', query: listQuery }, async ({ c, user, query }) => {
    const rows = await listUnitEvaluations(db, { userId: user.id, admin: user.roles.includes('admin'), cycleId: query.cycleId, unitId: query.unitId, stage: query.stage, assignedToMe: query.assignedToMe === 'true', after: query.after, limit: query.limit })
    return page(c, rows, query.limit)
  })

  route(app, { method: 'get', path: '/api/unit-evaluations/:id', summary: "One unit evaluation: the evaluation (document, form, stage, rounds, allowed actions) with the unit, its head and the cycle's period", tag: 'unit-evaluations' }, async ({ c, params }) => {
    const ev = await load(params)
    const res = await forward(c, 'GET', `/api/evaluations/${ev.id}`)
    if (!res.ok) return res
    const ctx = await unitEvaluationContext(db, ev.id)
    return withUnit(res, {
      subject: 'unit',
      unit: { id: ctx.unit_id, code: ctx.unit_code, name: ctx.unit_name },
      head: { id: ctx.head_id, name: ctx.head_name },
      cycle: { id: ev.cycleId, name: ctx.cycle_name, periodKind: ctx.period_kind, periodStart: ctx.period_start, periodEnd: ctx.period_end, status: ctx.cycle_status },
    })
  })

  const action = (path: string, summary: string, body: z.ZodType, method: 'put' | 'post' = 'post') =>
    route(app, { method, path: `/api/unit-evaluations/:id/${path}`, summary, tag: 'unit-evaluations', body }, async ({ c, params, body: parsed }) => {
      const ev = await load(params)
      return withUnit(await forward(c, method.toUpperCase(), `/api/evaluations/${ev.id}/${path}`, parsed), { unitId: ev.unitId })
    })
  action('self-assessment', "Save the unit's self-assessment draft (the unit head, in SELF_ASSESSMENT)", selfAssessmentBody, 'put')
  action('submit', "Submit the unit's self-assessment for the leader's review (the unit head)", submitBody)
  action('approve', 'The leader in scope approves the unit evaluation (optionally adjusting reviewer fields)', approveBody)
  action('return', 'Return with a reason: the reviewing leader to the head, or (awaiting sign-off) leadership back to review', returnBody)

  route(app, { method: 'post', path: '/api/unit-evaluations/:id/sign-off', summary: "The director or admin signs the unit evaluation off (the cycle's unit sign-off; classification follows when every unit is signed off)", tag: 'unit-evaluations' }, async ({ c, params }) => {
    const ev = await load(params)
    return withUnit(await forward(c, 'POST', `/api/cycles/${ev.cycleId}/units/${ev.unitId}/sign-off`), { id: ev.id, unitId: ev.unitId })
  })

  route(app, { method: 'get', path: '/api/unit-evaluations/:id/audit', summary: 'Every action on the unit evaluation: who, when, stage from → to, reason', tag: 'unit-evaluations' }, async ({ c, params }) => {
    const ev = await load(params)
    return forward(c, 'GET', `/api/evaluations/${ev.id}/audit`)
  })
}
