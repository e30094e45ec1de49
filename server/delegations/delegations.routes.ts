import { z } from '@hono/zod-openapi'
import { ApiError, forbidden, notFound } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, idPath, instant, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { createDelegation, endDelegation, findDelegation, listDelegations } from './delegation.repo.js'
import { datesProblem, delegationStatus, mayDelegate } from './delegation.rules.js'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd').openapi({ format: 'date', example: '2026-12-10' })
const scope = z.enum(['review', 'sign-off'])
const person = z.object({ id: z.number().int(), name: z.string() })

/** A delegation as `GET /api/delegations` lists it. */
export const Delegation = z
  .object({
    id: z.number().int(),
    principal: person,
    delegate: person,
    scope,
    from: day,
    to: day,
    reason: z.string(),
    createdAt: instant,
    endedAt: instant.nullable(),
    endedBy: z.number().int().nullable(),
    status: z.enum(['upcoming', 'active', 'expired', 'ended']).openapi({ description: 'upcoming, in force, run its course, or ended early' }),
    mayEnd: z.boolean().openapi({ description: 'the caller may end it now (its principal, or an admin)' }),
  })
  .openapi('Delegation')

const createDelegationRoute = defineRoute({
  method: 'post',
  path: '/api/delegations',
  tags: ['delegations'],
  summary: 'Delegate my review or sign-off to a named active colleague for a date range (inclusive, Vietnam time), with a reason',
  request: { body: jsonBody(z.object({ delegateId: dbId, scope, from: day, to: day, reason: z.string().trim().min(3).max(1000) })) },
  responses: { 201: jsonAnswer(z.object({ id: z.number().int() }), 'Created') },
})

const listDelegationsRoute = defineRoute({
  method: 'get',
  path: '/api/delegations',
  tags: ['delegations'],
  summary: "Delegations I gave and received (admins: everyone's, by person and scope); keyset pages",
  request: {
    query: z.object({
      direction: z.enum(['given', 'received']).optional().openapi({ description: 'given: delegations I gave; received: those I received; omitted: both (an admin: everyone\'s)' }),
      staffId: dbIdQuery.optional().openapi({ description: "admins: one person's, given or received" }),
      scope: scope.optional(),
      ...pageQuery,
    }),
  },
  responses: { 200: jsonAnswer(z.array(Delegation), 'One page (Link: <…>; rel="next" when there is more)') },
})

const endDelegationRoute = defineRoute({
  method: 'delete',
  path: '/api/delegations/{id}',
  tags: ['delegations'],
  summary: 'End a delegation now (its principal, or an admin); audited',
  request: { params: z.object({ id: idPath }) },
  responses: { 200: jsonAnswer(z.object({ id: z.number().int(), status: z.literal('ended') }), 'Ended') },
})

/**
 * Delegations (ủy quyền): a unit head or leader lets a named active colleague act as them for their
 * review or their sign-off over inclusive dates (Vietnam time). It ends by itself (dates are checked
 * at every action, by the API and again by the evaluation's workflow) or when the principal ends it.
 */
export function delegationsRoutes(deps: AppDeps) {
  const { db } = deps
  return featureApp()
    .openapi(createDelegationRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      if (!mayDelegate(user.roles, body.scope)) {
        throw forbidden(
          body.scope === 'review' ? 'Chỉ trưởng đơn vị hoặc lãnh đạo mới ủy quyền nhận xét.' : 'Chỉ lãnh đạo mới ủy quyền ký duyệt.',
          body.scope === 'review' ? 'Only unit heads and leaders delegate their review.' : 'Only leaders delegate their sign-off.',
        )
      }
      if (body.delegateId === user.id) throw new ApiError(400, 'VALIDATION_FAILED', 'Không thể ủy quyền cho chính mình.', 'You cannot delegate to yourself.')
      const delegate = await db.selectFrom('staff').select(['id', 'active']).where('id', '=', body.delegateId).executeTakeFirst()
      if (!delegate?.active) throw new ApiError(400, 'VALIDATION_FAILED', 'Người được ủy quyền phải là cán bộ đang công tác.', 'The delegate must be an active staff member.')
      const problem = datesProblem(body.from, body.to, Date.now())
      if (problem) throw new ApiError(400, 'VALIDATION_FAILED', problem.vi, problem.en)
      const created = await createDelegation(db, { principalId: user.id, delegateId: body.delegateId, scope: body.scope, from: body.from, to: body.to, reason: body.reason })
      if ('overlapping' in created) {
        throw new ApiError(409, 'DELEGATION_OVERLAP', `Bạn đã có ủy quyền cùng phạm vi trùng thời gian (#${created.overlapping}).`, `You already have a delegation of this scope overlapping these dates (#${created.overlapping}).`, { id: created.overlapping })
      }
      return c.json({ id: created.id }, 201)
    })
    .openapi(listDelegationsRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const isAdmin = user.roles.includes('admin')
      const who = isAdmin && query.staffId ? query.staffId : user.id
      const rows = await listDelegations(db, {
        ...(isAdmin ? {} : { visibleTo: user.id }),
        ...(query.direction === 'given' ? { given: who } : query.direction === 'received' ? { received: who } : isAdmin && query.staffId ? { visibleTo: query.staffId } : {}),
        ...(query.scope ? { scope: query.scope } : {}),
        ...(query.after !== undefined ? { after: query.after } : {}),
        limit: query.limit,
      })
      const now = Date.now()
      const items = page(c, rows, query.limit).map((r) => {
        const status = delegationStatus({ from: r.from_date, to: r.to_date, endedAt: r.ended_at }, now)
        return {
          id: r.id,
          principal: { id: r.principal_id, name: r.principal_name },
          delegate: { id: r.delegate_id, name: r.delegate_name },
          scope: r.scope,
          from: r.from_date,
          to: r.to_date,
          reason: r.reason,
          createdAt: r.created_at.toISOString(),
          endedAt: r.ended_at?.toISOString() ?? null,
          endedBy: r.ended_by,
          status,
          mayEnd: (status === 'upcoming' || status === 'active') && (r.principal_id === user.id || isAdmin),
        }
      })
      return c.json(items, 200)
    })
    .openapi(endDelegationRoute, async (c) => {
      const user = c.get('user')
      const id = idParam(c.req.valid('param'), 'id', 'ủy quyền / delegation')
      const d = await findDelegation(db, id)
      const isAdmin = user.roles.includes('admin')
      if (!d || (!isAdmin && d.principal_id !== user.id && d.delegate_id !== user.id)) throw notFound('ủy quyền / delegation', id)
      if (!isAdmin && d.principal_id !== user.id) throw forbidden('Chỉ người ủy quyền mới kết thúc ủy quyền.', 'Only the principal ends a delegation.')
      const status = delegationStatus({ from: d.from_date, to: d.to_date, endedAt: d.ended_at }, Date.now())
      if (status === 'ended' || status === 'expired' || !(await endDelegation(db, id, user.id))) {
        throw new ApiError(409, 'DELEGATION_ENDED', 'Ủy quyền đã kết thúc.', 'The delegation has ended already.')
      }
      return c.json({ id, status: 'ended' as const }, 200)
    })
}

/** The delegations' routes, as the typed client sees them. */
export type DelegationsApi = ReturnType<typeof delegationsRoutes>
