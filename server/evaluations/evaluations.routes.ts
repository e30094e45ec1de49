import { z } from '@hono/zod-openapi'
import type { UpdateDefinition } from '@temporalio/client'
import type { Context } from 'hono'
import { sql } from 'kysely'
import type { EvaluationResult } from '../../rules/evaluate.js'
import { approveUpdate, evaluationWorkflowId, leaderReturnUpdate, returnUpdate, saveUpdate, submitUpdate, type ActionArgs } from '../../workflows/definitions.js'
import { nextStage, type Action, type Actor, type Stage, type Transition } from '../../workflows/stages.js'
import { keepRecordedPeriods, refuseAdjustedPeriods } from '../annual/annual-inputs.js'
import { listAudit } from '../audit/audit.repo.js'
import { AuditEvent } from '../audit/audit.schemas.js'
import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { actorFor, delegatedBy, delegationOver } from '../delegations/acting.js'
import { inForceFor, principalsFilter, type InForce } from '../delegations/delegation.repo.js'
import { reassignRoute } from '../delegations/reassign.route.js'
import { ApiError, forbidden, notFound, stale, wrongStage } from '../errors.js'
import { actionOptions, type ActionOptions } from '../http/action-options.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { timedStep } from '../http/server-timing.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { approvalAdjustments, indicatorView, withIndicators } from '../indicators/evaluation-indicators.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { isForPosition } from '../worklog/catalogue.repo.js'
import { hasProducts } from '../worklog/worklog.summary.js'
import { ActionResult, approveBody, Evaluation, EvaluationListItem, evaluationListQuery, NEXT_ACTIONS, returnBody, selfAssessmentBody, submitBody, TasksSummary, type NextAction } from './evaluations.schemas.js'
import { productRules } from './product-rules.js'
import { settleProductLines } from './product-lines.js'
import { scoreDocument, scoreError } from './scoring.js'
import { writeThrough } from './write-through.js'

const parties = (ev: EvaluationRow) => ({ ownerId: ev.staff_id, reviewerIds: ev.reviewer_ids, signOffIds: ev.sign_off_ids })
const actorOf = (user: SessionUser) => ({ id: user.id, roles: user.roles })

/** Who may see an evaluation (and print its form): admin and its parties, and a party's delegate while the delegation is in force. */
export function canView(user: SessionUser, ev: EvaluationRow, delegations: InForce[] = []): boolean {
  const p = parties(ev)
  return user.roles.includes('admin') || p.ownerId === user.id || p.reviewerIds.includes(user.id) || p.signOffIds.includes(user.id) || delegationOver(ev, delegations) !== undefined
}

/**
 * Which return the user means: the head's (to the owner) or leadership's (to the head), by who
 * they are to this evaluation; by stage only when they are both. A late return is then 409, not 403.
 */
function returnKind(user: SessionUser, ev: EvaluationRow, delegations: InForce[]): 'return' | 'leaderReturn' {
  const p = parties(ev)
  const reviewer = p.reviewerIds.includes(user.id) || actorFor(user, 'return', ev, delegations) !== null
  const leader = p.signOffIds.includes(user.id) || actorFor(user, 'leaderReturn', ev, delegations) !== null
  if (reviewer && leader) return ev.stage === 'UNIT_REVIEW' ? 'return' : 'leaderReturn'
  return leader ? 'leaderReturn' : 'return'
}

/** The actions this user may take now (themselves, or through a delegation in force), for the UI and for clear errors. */
function allowedActions(user: SessionUser, ev: EvaluationRow, delegations: InForce[] = []): NextAction[] {
  return NEXT_ACTIONS.filter((a) => nextStage(ev.stage as Stage, a) !== null && actorFor(user, a, ev, delegations) !== null)
}

const evaluationId = { params: z.object({ id: idPath }) }
const tags = ['evaluations']

const listRoute = defineRoute({
  method: 'get',
  path: '/api/evaluations',
  tags,
  summary: 'Evaluations visible to the user; assignedToMe=true lists what waits for them, mine=true their own; keyset pages (?after=&limit=, Link: rel="next")',
  request: { query: evaluationListQuery },
  responses: { 200: jsonAnswer(z.array(EvaluationListItem), 'One page (Link: <…>; rel="next" when there is more)') },
})

const tasksSummaryRoute = defineRoute({
  method: 'get',
  path: '/api/evaluations/assigned-summary',
  tags,
  summary: 'What waits for the user (assignedToMe=true), counted over every page: per stage, overdue, and the units awaiting their sign-off',
  responses: { 200: jsonAnswer(TasksSummary, 'The counts') },
})

const getRoute = defineRoute({
  method: 'get',
  path: '/api/evaluations/{id}',
  tags,
  summary: 'One evaluation: document, form schema, stage, rounds, allowed actions',
  request: evaluationId,
  responses: { 200: jsonAnswer(Evaluation, 'The evaluation') },
})

const selfAssessmentRoute = defineRoute({
  method: 'put',
  path: '/api/evaluations/{id}/self-assessment',
  tags,
  summary: 'Save the self-assessment draft (owner, in SELF_ASSESSMENT)',
  request: { ...evaluationId, body: jsonBody(selfAssessmentBody) },
  responses: { 200: jsonAnswer(Evaluation, 'Saved: the evaluation as it now stands') },
})

const submitRoute = defineRoute({
  method: 'post',
  path: '/api/evaluations/{id}/submit',
  tags,
  summary: 'Submit the self-assessment for review; answers with the recorded stage, version, round, due date, score and next actions',
  request: { ...evaluationId, body: jsonBody(submitBody) },
  responses: { 200: jsonAnswer(ActionResult, 'Recorded by the workflow') },
})

const approveRoute = defineRoute({
  method: 'post',
  path: '/api/evaluations/{id}/approve',
  tags,
  summary: 'Unit head approves (optionally adjusting reviewer fields such as general points); answers like submit',
  request: { ...evaluationId, body: jsonBody(approveBody) },
  responses: { 200: jsonAnswer(ActionResult, 'Recorded by the workflow') },
})

const returnRoute = defineRoute({
  method: 'post',
  path: '/api/evaluations/{id}/return',
  tags,
  summary: 'Return for revision with a reason: unit head → staff, or leadership → unit head; answers like submit',
  request: { ...evaluationId, body: jsonBody(returnBody) },
  responses: { 200: jsonAnswer(ActionResult, 'Recorded by the workflow') },
})

const auditRoute = defineRoute({
  method: 'get',
  path: '/api/evaluations/{id}/audit',
  tags,
  summary: 'Every action on the evaluation: who, when, stage from → to, reason, rule version; keyset pages (?after=&limit=)',
  request: { ...evaluationId, query: z.object(pageQuery) },
  responses: { 200: jsonAnswer(z.array(AuditEvent), 'Oldest first, one page (Link: <…>; rel="next" when there is more)') },
})

/**
 * Evaluations: the list and inbox, one evaluation's page, and its actions — each sent as an Update
 * to the evaluation's workflow (the only decider) and written through before the answer.
 * Idempotency-Key and If-Match (or the body's expectedVersion) make an action safe to retry.
 */
export function evaluationsRoutes(deps: AppDeps) {
  const { db, client } = deps
  /** The evaluation the user may see: the row alone for an action, with the person's names for a page. */
  async function load(params: Record<string, string>, user: SessionUser): Promise<EvaluationRow>
  async function load(params: Record<string, string>, user: SessionUser, withNames: true): Promise<EvaluationWithPerson>
  async function load(params: Record<string, string>, user: SessionUser, withNames = false) {
    const id = idParam(params, 'id', 'bản đánh giá / evaluation')
    const ev = withNames
      ? await db
          .selectFrom('evaluations as e')
          .innerJoin('staff as s', 's.id', 'e.staff_id')
          .leftJoin('units as u', 'u.id', 'e.unit_id')
          .selectAll('e')
          .select(['s.full_name', 's.username', 'u.name as unit_name'])
          .where('e.id', '=', id)
          .executeTakeFirst()
      : await db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst()
    if (!ev) throw notFound('bản đánh giá / evaluation', id)
    if (!canView(user, ev) && !canView(user, ev, await inForceFor(db, user.id))) throw forbidden('Bạn không có quyền xem bản đánh giá này.', 'You may not see this evaluation.')
    return ev
  }
  const handle = (ev: EvaluationRow) => client.workflow.getHandle(evaluationWorkflowId(ev.cycle_id, ev.staff_id))
  /**
   * Sends the action's Update to the evaluation's workflow — the only decider — and, once the
   * workflow has recorded the transition, writes it through to the read model before it answers
   * (the workflow's own projection follows, and finds it there), so every API instance shows it: the new stage, version, round, due date, score and next actions. With an
   * Idempotency-Key a repeated request gets the first answer; with an expected version a moved-on
   * evaluation answers 409 STALE.
   */
  const perform = async <A extends ActionArgs,>(c: Context<AppEnv>, ev: EvaluationRow, user: SessionUser, update: UpdateDefinition<Transition, [A]>, args: Omit<A, 'actor' | 'expectedVersion'>, options: ActionOptions, scored?: EvaluationResult, actor: Actor = actorOf(user), delegations: InForce[] = []) => {
    const full = { ...args, actor, writeThrough: true, ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}) } as A
    const recorded = await timedStep(c, 'update', () => viaWorkflow(deps, () => handle(ev).executeUpdate(update, { args: [full], ...(options.updateId ? { updateId: options.updateId } : {}) })))
    await timedStep(c, 'write', () => writeThrough(db, recorded, ev))
    const now = { ...ev, stage: recorded.to, version: recorded.version, round: recorded.round }
    return {
      id: ev.id,
      cycleId: ev.cycle_id,
      staffId: ev.staff_id,
      action: recorded.action,
      stage: recorded.to,
      version: recorded.version,
      round: recorded.round,
      total: scored?.total ?? ev.total,
      level: scored?.level ?? ev.level,
      overdue: false,
      deadlineAt: recorded.deadlineAt,
      allowedActions: allowedActions(user, now, delegations),
      ...(actor.onBehalfOf ? { onBehalfOf: actor.onBehalfOf.id } : {}),
    }
  }
  /**
   * Checks the action against the read model first, for a clear answer without a round trip; the
   * workflow decides. Answers who acts: the user, or (review and sign-off actions) the user as their
   * principal through a delegation in force — never on their own evaluation.
   */
  const requireAction = (user: SessionUser, ev: EvaluationRow, action: Action, options: ActionOptions, delegations: InForce[] = []): Actor => {
    const actor = actorFor(user, action, ev, delegations)
    if (!actor) throw forbidden('Bạn không có quyền thực hiện thao tác này với bản đánh giá.', `You may not ${action} this evaluation.`)
    if (options.expectedVersion !== undefined && options.expectedVersion !== ev.version) throw stale(ev.version)
    // With an Idempotency-Key, a repeated request must reach the workflow for the first answer.
    if (nextStage(ev.stage as Stage, action) === null && !options.updateId) throw wrongStage(ev.stage, action)
    return actor
  }

  /**
   * The evaluations a user may list, filtered as asked (`delegations`: those in force for them, when
   * `assignedToMe`): the list's query, and its counts' (the home page's figures over every page).
   */
  const listQuery = (user: SessionUser, query: Omit<z.infer<typeof evaluationListQuery>, 'limit' | 'after'>, delegations: InForce[]) => {
    let q = db
      .selectFrom('evaluations as e')
      .innerJoin('staff as s', 's.id', 'e.staff_id')
      .innerJoin('units as u', 'u.id', 'e.unit_id')
      .select(['e.id', 'e.cycle_id', 'e.staff_id', 's.full_name', 'e.unit_id', 'u.name as unit_name', 'e.stage', 'e.round', 'e.total', 'e.level', 'e.final_level', 'e.rank_in_unit', 'e.overdue', 'e.deadline_at', 'e.updated_at', 'e.reviewer_ids', 'e.sign_off_ids'])
      .orderBy('e.id')
    // Through the party rows (indexed by person and role), never a scan of party arrays.
    const mine = (role?: 'owner' | 'reviewer' | 'signoff') => {
      let p = db.selectFrom('evaluation_parties').select('evaluation_id').where('person_id', '=', user.id)
      if (role) p = p.where('role', '=', role)
      return p
    }
    // What awaits me includes what awaits the principals whose review or sign-off I hold by delegation (never my own evaluation).
    const held = principalsFilter(delegations)
    const theirs = (role: 'reviewer' | 'signoff', ids: number[]) => db.selectFrom('evaluation_parties').select('evaluation_id').where('person_id', 'in', ids).where('role', '=', role)
    if (query.assignedToMe === 'true') {
      // First the evaluations I (or a principal I stand in for) am a party to, by the person index: without it the
      // planner walks the whole cycle along the primary key and tests each row (186 ms at 50,000, 1,5 ms with it).
      const people = [user.id, ...held.review, ...held.signOff]
      q = q.where('e.id', 'in', db.selectFrom('evaluation_parties').select('evaluation_id').where('person_id', '=', sql<number>`any(${sql.val(people)}::int[])`))
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('e.stage', '=', 'SELF_ASSESSMENT'), eb('e.id', 'in', mine('owner'))]),
          eb.and([eb('e.stage', '=', 'UNIT_REVIEW'), eb('e.id', 'in', mine('reviewer'))]),
          eb.and([eb('e.stage', '=', 'AWAITING_SIGN_OFF'), eb('e.id', 'in', mine('signoff'))]),
          ...(held.review.length ? [eb.and([eb('e.stage', '=', 'UNIT_REVIEW'), eb('e.staff_id', '<>', user.id), eb('e.id', 'in', theirs('reviewer', held.review))])] : []),
          ...(held.signOff.length ? [eb.and([eb('e.stage', '=', 'AWAITING_SIGN_OFF'), eb('e.staff_id', '<>', user.id), eb('e.id', 'in', theirs('signoff', held.signOff))])] : []),
        ]),
      )
    } else if (!user.roles.includes('admin')) {
      q = q.where('e.id', 'in', mine())
    }
    // My own results (the home page's latest one): through my owner rows, whatever else I may see.
    if (query.mine === 'true') q = q.where('e.id', 'in', mine('owner')).where('e.subject_unit_id', 'is', null)
    if (query.cycleId) q = q.where('e.cycle_id', '=', query.cycleId)
    if (query.stage) q = q.where('e.stage', '=', query.stage)
    if (query.unitId) q = q.where('e.unit_id', '=', query.unitId)
    if (query.overdue === 'true') q = q.where('e.overdue', '=', true)
    return q
  }

  return featureApp()
    .openapi(listRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const delegations = query.assignedToMe === 'true' ? await inForceFor(db, user.id) : []
      let q = listQuery(user, query, delegations)
      if (query.after !== undefined) q = q.where('e.id', '>', query.after)
      const rows = page(c, await q.limit(query.limit + 1).execute(), query.limit)
      return c.json(
        rows.map((r) => ({
          id: r.id,
          cycleId: r.cycle_id,
          staffId: r.staff_id,
          fullName: r.full_name,
          unitId: r.unit_id,
          unitName: r.unit_name,
          stage: r.stage as Stage,
          round: r.round,
          total: r.total,
          level: r.level,
          finalLevel: r.final_level,
          rankInUnit: r.rank_in_unit,
          overdue: r.overdue,
          deadlineAt: r.deadline_at?.toISOString() ?? null,
          updatedAt: r.updated_at.toISOString(),
          /** A task that awaits me as someone's delegate: whose it is. */
          delegatedBy: delegations.length ? delegatedBy(user, r, delegations) : null,
        })),
        200,
      )
    })
    .openapi(tasksSummaryRoute, async (c) => {
      const user = c.get('user')
      const assigned = listQuery(user, { assignedToMe: 'true' }, await inForceFor(db, user.id)).clearSelect().clearOrderBy()
      const stages = await assigned.select(['e.stage', sql<number>`count(*)::int`.as('n'), sql<number>`count(*) filter (where e.overdue)::int`.as('overdue')]).groupBy('e.stage').execute()
      const units = await assigned
        .where('e.stage', '=', 'AWAITING_SIGN_OFF')
        .select(['e.cycle_id', 'e.unit_id', 'u.name', sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(e.deadline_at)`.as('due'), sql<boolean>`bool_or(e.overdue)`.as('overdue')])
        .groupBy(['e.cycle_id', 'e.unit_id', 'u.name'])
        .orderBy('e.cycle_id')
        .orderBy('u.name')
        .execute()
      const byStage = { SELF_ASSESSMENT: 0, UNIT_REVIEW: 0, AWAITING_SIGN_OFF: 0 }
      for (const r of stages) if (r.stage in byStage) byStage[r.stage as keyof typeof byStage] = r.n
      return c.json(
        {
          total: stages.reduce((n, r) => n + r.n, 0),
          byStage,
          overdue: stages.reduce((n, r) => n + r.overdue, 0),
          unitsAwaitingSignOff: units.map((u) => ({ cycleId: u.cycle_id, unitId: u.unit_id, unitName: u.name, count: u.n, dueAt: u.due ? new Date(u.due).toISOString() : null, overdue: u.overdue })),
        },
        200,
      )
    })
    .openapi(getRoute, async (c) => {
      const user = c.get('user')
      const ev = await load(c.req.valid('param'), user, true)
      return c.json(await evaluationView(db, ev, user), 200)
    })
    .openapi(selfAssessmentRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const body = c.req.valid('json')
      const ev = await load(params, user, true)
      if (ev.staff_id !== user.id) throw forbidden('Chỉ người được đánh giá mới sửa bản tự đánh giá.', 'Only the evaluated person edits the self-assessment.')
      const options = actionOptions(c, user.id, body.expectedVersion)
      requireAction(user, ev, 'save', options)
      const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
      const { role: _role, ...data } = body.data
      const reviewerOnly = (ruleSet.definition.reviewerOnly ?? []).filter((k) => k in data)
      if (reviewerOnly.length) {
        throw new ApiError(400, 'VALIDATION_FAILED', `Các mục ${reviewerOnly.join(', ')} do cấp trên xác định, không tự khai.`, `Fields ${reviewerOnly.join(', ')} are set by the reviewer, not self-declared.`)
      }
      if ('products' in data && hasProducts(ruleSet)) data['products'] = settleProductLines(data['products'], await productRules(db, ev, ruleSet))
      // Indicator values are the connected system's, an annual evaluation's periods the record's: whatever the request says there is replaced.
      const document = await withIndicators(db, ev, ruleSet.definition, keepRecordedPeriods(ruleSet.definition, ev.data, data))
      const outcome = scoreDocument(ruleSet.definition, document, null, ev.rule_role)
      if (!outcome.ok && outcome.code === 'VALIDATION_FAILED') throw scoreError(outcome)
      await perform(c, ev, user, saveUpdate, { data: document }, options)
      return c.json(await evaluationView(db, await load(params, user, true), user), 200)
    })
    .openapi(submitRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      const ev = await timedStep(c, 'read', () => load(c.req.valid('param'), user))
      const options = actionOptions(c, user.id, body.expectedVersion)
      requireAction(user, ev, 'submit', options)
      const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
      const data = await withIndicators(db, ev, ruleSet.definition, ev.data)
      const outcome = scoreDocument(ruleSet.definition, data, ev.adjustments, ev.rule_role)
      if (!outcome.ok) throw scoreError(outcome)
      return c.json(await perform(c, ev, user, submitUpdate, { data }, options, outcome.result), 200)
    })
    .openapi(approveRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      const ev = await timedStep(c, 'read', () => load(c.req.valid('param'), user))
      const options = actionOptions(c, user.id, body.expectedVersion)
      const delegations = await inForceFor(db, user.id)
      const actor = requireAction(user, ev, 'approve', options, delegations)
      const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
      // A corrected indicator value (before its closing day) rides on the approval, so the record holds it.
      refuseAdjustedPeriods(ruleSet.definition, body.adjustments)
      const adjustments = await approvalAdjustments(db, ev, ruleSet.definition, body.adjustments ?? ev.adjustments)
      const outcome = scoreDocument(ruleSet.definition, ev.data, adjustments, ev.rule_role)
      if (!outcome.ok) throw scoreError(outcome)
      const args = { ...(adjustments && (body.adjustments || adjustments !== ev.adjustments) ? { adjustments } : {}), ...(body.comment ? { comment: body.comment } : {}) }
      return c.json(await perform(c, ev, user, approveUpdate, args, options, outcome.result, actor, delegations), 200)
    })
    .openapi(returnRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      const ev = await timedStep(c, 'read', () => load(c.req.valid('param'), user))
      const options = actionOptions(c, user.id, body.expectedVersion)
      const delegations = await inForceFor(db, user.id)
      const action = returnKind(user, ev, delegations)
      const actor = requireAction(user, ev, action, options, delegations)
      return c.json(await perform(c, ev, user, action === 'leaderReturn' ? leaderReturnUpdate : returnUpdate, { reason: body.reason }, options, undefined, actor, delegations), 200)
    })
    .route('/', reassignRoute(deps, { load, handle, allowedActionsOf: allowedActions }))
    .openapi(auditRoute, async (c) => {
      const ev = await load(c.req.valid('param'), c.get('user'))
      const { after, limit } = c.req.valid('query')
      return c.json(page(c, await listAudit(db, 'evaluation', String(ev.id), { after, limit: limit + 1 }), limit), 200)
    })
}

/** The evaluations' routes, as the typed client sees them. */
export type EvaluationsApi = ReturnType<typeof evaluationsRoutes>

/** An evaluation row with the names a page shows: read in one query with it. */
type EvaluationWithPerson = EvaluationRow & { full_name: string; username: string; unit_name: string | null }

async function evaluationView(db: Db, ev: EvaluationWithPerson, user: SessionUser) {
  const ruleSet = (await findRuleSet(db, ev.ruleset_id))!
  const delegations = await inForceFor(db, user.id)
  const shown = await indicatorView(db, ev, ruleSet.definition, ruleSet.definition.uiSchema ?? {})
  const rounds = await db.selectFrom('evaluation_rounds').selectAll().where('evaluation_id', '=', ev.id).orderBy('round').execute()
  // The products this person may declare, for the form's choice list (editing only).
  const options = hasProducts(ruleSet) && ev.staff_id === user.id && ev.stage === 'SELF_ASSESSMENT' ? await productRules(db, ev, ruleSet) : undefined
  return {
    id: ev.id,
    cycleId: ev.cycle_id,
    staffId: ev.staff_id,
    /** Whether the caller is the evaluated person (who may petition, for one). */
    isOwner: ev.staff_id === user.id,
    fullName: ev.full_name,
    username: ev.username,
    unitId: ev.unit_id,
    unitName: ev.unit_name,
    positionCode: ev.position_code,
    ruleRole: ev.rule_role,
    stage: ev.stage as Stage,
    round: ev.round,
    version: ev.version,
    data: shown.data,
    adjustments: ev.adjustments,
    scores: ev.scores,
    total: ev.total,
    level: ev.level,
    finalLevel: ev.final_level,
    override: ev.override_code,
    quotaCut: ev.quota_cut,
    rankInUnit: ev.rank_in_unit,
    rankInCycle: ev.rank_in_cycle,
    overdue: ev.overdue,
    deadlineAt: ev.deadline_at,
    ruleSet: { id: ruleSet.id, code: ruleSet.code, version: ruleSet.version, hash: ruleSet.hash },
    formSchema: ruleSet.definition.inputSchema,
    uiSchema: shown.uiSchema,
    /** The values connected systems sent for the declared indicators, with their source (read-only). */
    indicators: shown.indicators,
    rounds: rounds.map((r) => ({ round: r.round, data: r.data, scores: r.scores, submittedAt: r.submitted_at, outcome: r.outcome, reason: r.reason, decidedBy: r.decided_by, decidedAt: r.decided_at })),
    allowedActions: allowedActions(user, ev, delegations),
    /** The caller acts here as someone's delegate: whose (null when they act in their own right). */
    delegatedBy: delegatedBy(user, ev, delegations),
    prefilledProducts: ev.prefilled_products,
    productOptions: options
      ? [...options.catalogue.values()].filter((p) => isForPosition(p, ev.position_code)).map((p) => ({ code: p.code, name: p.name, unit: p.unit, k: p.k }))
      : [],
  }
}
