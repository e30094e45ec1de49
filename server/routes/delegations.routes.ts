import type { Hono } from 'hono'
import { z } from 'zod'
import { ApiError, forbidden, notFound } from '../errors.js'
import { createDelegation, endDelegation, findDelegation, listDelegations } from '../delegations/delegation.repo.js'
import { datesProblem, delegationStatus, mayDelegate } from '../delegations/delegation.rules.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbId, dbIdQuery } from '../http/schemas.js'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd')
const scope = z.enum(['review', 'sign-off'])
const createBody = z.object({ delegateId: dbId, scope, from: day, to: day, reason: z.string().trim().min(3).max(1000) })
const listQuery = z.object({
  /** given: delegations I gave; received: those I received; omitted: both (an admin: everyone's). */
  direction: z.enum(['given', 'received']).optional(),
  /** Admins: one person's, given or received. */
  staffId: dbIdQuery.optional(),
  scope: scope.optional(),
  ...pageQuery,
})

/**
 * Delegations (ủy quyền): a unit head or leader lets a named active colleague act as them for their
 * review or their sign-off over inclusive dates (Vietnam time). It ends by itself (dates are checked
 * at every action, by the API and again by the evaluation's workflow) or when the principal ends it.
 */
export function delegationsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps

  route(app, { method: 'post', path: '/api/delegations', summary: 'Delegate my review or sign-off to a named active colleague for a date range (inclusive, Vietnam time), with a reason', tag: 'delegations', body: createBody, status: 201 }, async ({ user, body }) => {
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
    return { id: created.id }
  })

  route(app, { method: 'get', path: '/api/delegations', summary: 'Delegations I gave and received (admins: everyone\'s, by person and scope); keyset pages', tag: 'delegations', query: listQuery }, async ({ c, user, query }) => {
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
    return page(c, rows, query.limit).map((r) => {
      const status = delegationStatus({ from: r.from_date, to: r.to_date, endedAt: r.ended_at }, now)
      return {
        id: r.id,
        principal: { id: r.principal_id, name: r.principal_name },
        delegate: { id: r.delegate_id, name: r.delegate_name },
        scope: r.scope,
        from: r.from_date,
        to: r.to_date,
        reason: r.reason,
        createdAt: r.created_at,
        endedAt: r.ended_at,
        endedBy: r.ended_by,
        status,
        mayEnd: (status === 'upcoming' || status === 'active') && (r.principal_id === user.id || isAdmin),
      }
    })
  })

  route(app, { method: 'delete', path: '/api/delegations/:id', summary: 'End a delegation now (its principal, or an admin); audited', tag: 'delegations' }, async ({ params, user }) => {
    const id = idParam(params, 'id', 'ủy quyền / delegation')
    const d = await findDelegation(db, id)
    const isAdmin = user.roles.includes('admin')
    if (!d || (!isAdmin && d.principal_id !== user.id && d.delegate_id !== user.id)) throw notFound('ủy quyền / delegation', id)
    if (!isAdmin && d.principal_id !== user.id) throw forbidden('Chỉ người ủy quyền mới kết thúc ủy quyền.', 'Only the principal ends a delegation.')
    const status = delegationStatus({ from: d.from_date, to: d.to_date, endedAt: d.ended_at }, Date.now())
    if (status === 'ended' || status === 'expired' || !(await endDelegation(db, id, user.id))) {
      throw new ApiError(409, 'DELEGATION_ENDED', 'Ủy quyền đã kết thúc.', 'The delegation has ended already.')
    }
    return { id, status: 'ended' as const }
  })
}
