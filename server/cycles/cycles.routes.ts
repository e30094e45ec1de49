import { z } from '@hono/zod-openapi'
import { csvAnswer } from '../http/csv-answer.js'
import { WorkflowUpdateStage } from '@temporalio/client'
import { cancelCycleUpdate, cycleWorkflowId, retryRankingUpdate, returnUnitUpdate, signOffUnitUpdate } from '../../workflows/definitions.js'
import { annualFields, notClassified } from '../annual/annual-results.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { CycleRow } from '../db/schema.js'
import { unitActor } from '../delegations/acting.js'
import { inForceFor } from '../delegations/delegation.repo.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import { actionOptions } from '../http/action-options.js'
import type { AppDeps, SessionUser } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { xlsxAnswer, XLSX_TYPE } from '../http/xlsx-answer.js'
import { canSeeUnit, visibleUnitsOf } from '../org/visibility.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { capOf } from '../units/unit-evaluation.repo.js'
import { resultsSummary, visibleResults } from './cycle-results.repo.js'
import { cycleProgress, launchCycle, launchInput, scopedProgress } from './cycle.service.js'
import { Cycle, CycleDetail, CycleProgress, CycleResults, PublishedList, UnitActionResult } from './cycles.schemas.js'
import { publishedList } from './published-list.js'
import { awaitCancel } from './cancel-answer.js'
import { rankingFailure } from './ranking.service.js'

const tags = ['cycles']
const reason = z.string().trim().min(3).max(2000)
const cyclePath = { params: z.object({ id: idPath }) }
const unitPath = { params: z.object({ id: idPath, unitId: idPath }) }
const notClassifiedYet = () => new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá chưa xếp loại xong.', 'The cycle is not classified yet.')

const listRoute = defineRoute({
  method: 'get',
  path: '/api/cycles',
  tags,
  summary: 'Evaluation cycles, newest first; keyset pages (?before=&limit=, Link: rel="next")',
  request: { query: z.object({ before: z.coerce.number().int().min(1).max(2_147_483_647).optional(), limit: pageQuery.limit }) },
  responses: { 200: jsonAnswer(z.array(Cycle), 'One page (Link: <…>; rel="next" when there is more)') },
})

const launchRoute = defineRoute({
  method: 'post',
  path: '/api/cycles',
  tags,
  summary: 'Launch a cycle: period, units, published rule set, deadlines',
  roles: ['admin'],
  request: { body: jsonBody(launchInput) },
  responses: { 201: jsonAnswer(Cycle.extend({ progress: CycleProgress }), 'Launched') },
})

const getRoute = defineRoute({
  method: 'get',
  path: '/api/cycles/{id}',
  tags,
  summary: 'A cycle with progress per stage and per unit, and leadership quota exceptions — for the units the user may see',
  request: cyclePath,
  responses: { 200: jsonAnswer(CycleDetail, 'The cycle') },
})

const retryRoute = defineRoute({
  method: 'post',
  path: '/api/cycles/{id}/ranking/retry',
  tags,
  summary: 'Rank a cycle again after its ranking failed (RANKING_FAILED, or a re-ranking after petitions failed: rankingError set) and the data was fixed (admin)',
  roles: ['admin'],
  request: cyclePath,
  responses: { 200: jsonAnswer(Cycle.extend({ retrying: z.literal(true) }), 'Ranking again') },
})

const resultsRoute = defineRoute({
  method: 'get',
  path: '/api/cycles/{id}/results',
  tags,
  summary: 'Ranked, classified results (after ranking), by rank in the cycle; each user sees what concerns them; keyset pages (?after=<evaluation id>&limit=, Link: rel="next"); the first page adds a summary over all of them (count, levels per unit, score histogram)',
  request: { ...cyclePath, query: z.object({ ...pageQuery }) },
  responses: { 200: jsonAnswer(CycleResults, 'One page (Link: <…>; rel="next" when there is more)') },
})

const exportRoute = defineRoute({
  method: 'get',
  path: '/api/cycles/{id}/results/export',
  tags,
  summary: 'Ranked, classified results as CSV or XLSX (?format=csv|xlsx), as the user may see them',
  request: { ...cyclePath, query: z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') }) },
  responses: {
    200: {
      description: 'A file to download (Content-Disposition: attachment)',
      content: {
        [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark, for spreadsheets' }) },
      },
    },
  },
})

const publishedRoute = defineRoute({
  method: 'get',
  path: '/api/cycles/{id}/units/{unitId}/published',
  tags,
  summary: "A unit's published results — name, position, level, rank \"3 / 12\", total — for everyone in the unit and whoever sees its results (after publication)",
  request: unitPath,
  responses: { 200: jsonAnswer(PublishedList, "The unit's list") },
})

const signOffRoute = defineRoute({
  method: 'post',
  path: '/api/cycles/{id}/units/{unitId}/sign-off',
  tags,
  summary: "Leadership (or a leader's sign-off delegate) signs off a unit's batch",
  request: unitPath,
  responses: { 200: jsonAnswer(UnitActionResult, 'Signed off (Idempotency-Key: a repeated request acts once)') },
})

const returnRoute = defineRoute({
  method: 'post',
  path: '/api/cycles/{id}/units/{unitId}/return',
  tags,
  summary: "Leadership (or a leader's sign-off delegate) returns a unit's batch to its unit head, with a reason",
  request: { ...unitPath, body: jsonBody(z.object({ reason })) },
  responses: { 200: jsonAnswer(UnitActionResult, 'Returned (Idempotency-Key: a repeated request acts once)') },
})

const exceptionRoute = defineRoute({
  method: 'post',
  path: '/api/cycles/{id}/units/{unitId}/quota-exception',
  tags,
  summary: 'Leadership grants a unit a higher excellent-rating cap, with a written reason',
  roles: ['leader', 'admin'],
  request: { ...unitPath, body: jsonBody(z.object({ cap: z.number().gt(0).max(1), reason })) },
  responses: { 200: jsonAnswer(z.object({ cycleId: z.number().int(), unitId: z.number().int(), cap: z.number(), reason: z.string() }), 'Granted') },
})

const cancelRoute = defineRoute({
  method: 'post',
  path: '/api/cycles/{id}/cancel',
  tags,
  summary: 'Cancel a running cycle (admin), with a reason',
  roles: ['admin'],
  request: { ...cyclePath, body: jsonBody(z.object({ reason })) },
  responses: {
    200: jsonAnswer(Cycle, 'Cancelled (Idempotency-Key: a repeated request acts once)'),
    202: jsonAnswer(Cycle, 'Under way: a large cycle takes minutes to cancel; the cycle shows CANCELLING until every evaluation is cancelled'),
  },
})

/**
 * Evaluation cycles: launch, progress, results (pages, export, a unit's published list), and
 * leadership's unit actions. Sign-off, return, ranking retry and cancel are decided by the cycle
 * workflow (Updates; Idempotency-Key makes a repeat act once); the API checks first for a clear answer.
 */
export function cyclesRoutes(deps: AppDeps) {
  const { db, client, config } = deps
  const loadCycle = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'kỳ đánh giá / cycle')
    const cycle = await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirst()
    if (!cycle) throw notFound('kỳ đánh giá / cycle', id)
    return cycle
  }
  const findCycle = async (id: number) => toCycleView(await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirstOrThrow())

  /**
   * The unit's evaluations, after checking the actor may act on all of them at leadership level:
   * an admin, a leader on every sign-off list, or a leader's sign-off delegate in force (acting as
   * that leader; never over a batch holding their own or the leader's evaluation). The cycle
   * workflow decides again.
   */
  const checkLeadership = async (cycleId: number, unitId: number, user: SessionUser, delegated = true) => {
    const rows = await db.selectFrom('evaluations').select(['staff_id', 'sign_off_ids', 'stage']).where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).where('stage', '!=', 'CANCELLED').execute()
    if (!rows.length) throw notFound('đơn vị trong kỳ / unit in cycle', unitId)
    const actor = unitActor(user, rows, delegated ? await inForceFor(db, user.id) : [])
    if (!actor) throw forbidden('Đơn vị này không thuộc phạm vi ký duyệt của bạn (hoặc có bản đánh giá của chính bạn).', 'This unit is outside your sign-off scope (or holds your own evaluation).')
    return { rows, actor }
  }

  return featureApp()
    .openapi(listRoute, async (c) => {
      const query = c.req.valid('query')
      let q = db.selectFrom('cycles').selectAll().orderBy('id', 'desc')
      if (query.before !== undefined) q = q.where('id', '<', query.before)
      return c.json(page(c, await q.limit(query.limit + 1).execute(), query.limit, 'before').map(toCycleView), 200)
    })
    .openapi(launchRoute, async (c) => {
      const id = await launchCycle(db, client, config.taskQueue, c.req.valid('json'), c.get('user').id)
      return c.json({ ...(await findCycle(id)), progress: await cycleProgress(db, id) }, 201)
    })
    .openapi(getRoute, async (c) => {
      const cycle = await loadCycle(c.req.valid('param'))
      const visible = await visibleUnitsOf(db, c.get('user').id)
      const exceptions = (await db.selectFrom('quota_exceptions').select(['unit_id', 'cap', 'reason']).where('cycle_id', '=', cycle.id).execute()).filter((e) => canSeeUnit(visible, e.unit_id))
      return c.json(
        {
          ...toCycleView(cycle),
          rankingError: cycle.status === 'RANKING_FAILED' || cycle.status === 'CLASSIFIED' ? await rankingFailure(db, cycle.id) : null,
          progress: scopedProgress(await cycleProgress(db, cycle.id), visible),
          quotaExceptions: exceptions.map((e) => ({ unitId: e.unit_id, cap: e.cap, reason: e.reason })),
        },
        200,
      )
    })
    .openapi(retryRoute, async (c) => {
      const user = c.get('user')
      const cycle = await loadCycle(c.req.valid('param'))
      const { updateId } = actionOptions(c, user.id)
      const failed = cycle.status === 'RANKING_FAILED' || (cycle.status === 'CLASSIFIED' && (await rankingFailure(db, cycle.id)) !== null)
      if (!failed) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Chỉ xếp loại lại khi lần xếp loại trước thất bại.', `The cycle is ${cycle.status}: only a failed ranking is retried.`)
      await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(retryRankingUpdate, { args: [{ actor: { id: user.id, roles: user.roles } }], ...(updateId ? { updateId } : {}) }))
      await appendAudit(db, { actor_id: user.id, entity: 'cycle', entity_id: String(cycle.id), action: 'retryRanking', reason: null, data: null })
      return c.json({ ...toCycleView(cycle), retrying: true as const }, 200)
    })
    .openapi(resultsRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const [cycle, visible] = await Promise.all([loadCycle(c.req.valid('param')), visibleUnitsOf(db, user.id)])
      if (cycle.status !== 'CLASSIFIED') throw notClassifiedYet()
      const first = query.after === undefined
      const [found, summary] = await Promise.all([visibleResults(db, cycle.id, user, visible, query), first ? resultsSummary(db, cycle.id, user, visible) : undefined])
      const rows = page(c, found, query.limit)
      // An annual cycle: each result with the periods behind it, and (first page) who is "không xếp loại" and why.
      const annual = cycle.period_kind === 'year' ? (await findRuleSet(db, cycle.ruleset_id))?.definition.annual : undefined
      return c.json(
        {
          cycleId: cycle.id,
          ruleSetId: cycle.ruleset_id,
          ...(summary ? { summary } : {}),
          ...(annual && first ? { notClassified: await notClassified(db, cycle.id, annual.minMonths, visible, user.id) } : {}),
          results: rows.map((r) => {
            const values = (r.scores as { values?: Record<string, unknown> } | null)?.values
            return {
              evaluationId: r.id,
              staffId: r.staff_id,
              fullName: r.full_name,
              unitId: r.unit_id,
              unitName: r.unit_name,
              positionCode: r.position_code,
              total: r.total,
              level: r.level,
              finalLevel: r.final_level,
              override: r.override_code,
              quotaCut: r.quota_cut,
              quotaTie: r.quota_tie,
              rankInUnit: r.rank_in_unit,
              rankInCycle: r.rank_in_cycle,
              values: values ?? null,
              /** A head capped by the level of the unit they answered for in the same period (issue 14.2): unit, its level, from → to, in words. */
              cap: capOf(r.scores),
              ...(annual ? annualFields(r.periods, values) : {}),
            }
          }),
        },
        200,
      )
    })
    .openapi(exportRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const cycle = await loadCycle(c.req.valid('param'))
      if (cycle.status !== 'CLASSIFIED') throw notClassifiedYet()
      const rows = await visibleResults(db, cycle.id, user, await visibleUnitsOf(db, user.id))
      const header = ['Hạng trong kỳ', 'Hạng trong đơn vị', 'Họ và tên', 'Đơn vị', 'Chức danh', 'Tổng điểm', 'Xếp loại theo điểm', 'Xếp loại cuối cùng', 'Ghi chú']
      const body = rows.map((r) => [r.rank_in_cycle, r.rank_in_unit, r.full_name, r.unit_name, r.position_code ?? '', r.total, r.level, r.final_level, [r.override_code, r.quota_cut ? 'Giới hạn tỷ lệ HTXS' : '', r.quota_tie ? 'Bằng điểm tại ngưỡng' : '', capOf(r.scores)?.text.vi ?? ''].filter(Boolean).join('; ')])
      const file = `ket-qua-ky-${cycle.id}`
      if (query.format === 'csv') {
        return csvAnswer(c, file, [header, ...body])
      }
      return xlsxAnswer(c, file, { name: 'Kết quả', title: cycle.name, widths: [8, 8, 28, 36, 10, 10, 12, 12, 30], header, rows: body })
    })
    .openapi(publishedRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const cycle = await loadCycle(params)
      const unitId = idParam(params, 'unitId', 'đơn vị / unit')
      const member = await db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycle.id).where('unit_id', '=', unitId).where('staff_id', '=', user.id).executeTakeFirst()
      if (!member && !canSeeUnit(await visibleUnitsOf(db, user.id), unitId)) throw forbidden('Chỉ người trong đơn vị (và cấp có thẩm quyền) xem được danh sách kết quả của đơn vị.', "Only the unit's members (and those who oversee it) see the unit's results.")
      if (!cycle.published_at) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kết quả của kỳ đánh giá chưa được công bố.', 'The results of the cycle are not published yet.')
      const list = await publishedList(db, cycle.id, unitId)
      if (!list) throw notFound('đơn vị trong kỳ / unit in cycle', unitId)
      return c.json({ cycleId: cycle.id, cycleName: cycle.name, publishedAt: cycle.published_at.toISOString(), petitionClosesAt: cycle.petition_closes_at?.toISOString() ?? null, resultsLockedAt: cycle.results_locked_at?.toISOString() ?? null, ...list }, 200)
    })
    .openapi(signOffRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const cycle = await loadCycle(params)
      const unitId = idParam(params, 'unitId', 'đơn vị / unit')
      const { updateId } = actionOptions(c, user.id)
      const { rows, actor } = await checkLeadership(cycle.id, unitId, user)
      // After publication, a unit reopened by an accepted petition is signed off again (its classified evaluations stay as they are).
      const again = cycle.status === 'CLASSIFIED' && cycle.published_at !== null && cycle.results_locked_at === null && rows.some((r) => r.stage !== 'CLASSIFIED')
      if (cycle.status !== 'OPEN' && !again) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá không ở trạng thái đang mở.', `The cycle is ${cycle.status}.`)
      const waiting = rows.filter((r) => r.stage !== 'AWAITING_SIGN_OFF' && r.stage !== 'CLASSIFIED').length
      if (waiting) throw new ApiError(409, 'UNIT_NOT_READY', `Còn ${waiting} bản đánh giá của đơn vị chưa được trưởng đơn vị duyệt.`, `${waiting} evaluation(s) of the unit are not approved by the unit head yet.`)
      const result = await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(signOffUnitUpdate, { args: [{ actor, unitId }], ...(updateId ? { updateId } : {}) }), rows.length)
      return c.json({ ...result, progress: scopedProgress(await cycleProgress(db, cycle.id), await visibleUnitsOf(db, user.id)) }, 200)
    })
    .openapi(returnRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const { reason } = c.req.valid('json')
      const cycle = await loadCycle(params)
      const unitId = idParam(params, 'unitId', 'đơn vị / unit')
      const { updateId } = actionOptions(c, user.id)
      const { rows, actor } = await checkLeadership(cycle.id, unitId, user)
      if (!rows.some((r) => r.stage === 'AWAITING_SIGN_OFF')) throw new ApiError(409, 'UNIT_NOT_READY', 'Đơn vị không có bản đánh giá nào đang chờ ký duyệt.', 'No evaluation of the unit awaits sign-off.')
      const result = await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(returnUnitUpdate, { args: [{ actor, unitId, reason }], ...(updateId ? { updateId } : {}) }), rows.length)
      return c.json({ ...result, progress: scopedProgress(await cycleProgress(db, cycle.id), await visibleUnitsOf(db, user.id)) }, 200)
    })
    .openapi(exceptionRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const body = c.req.valid('json')
      const cycle = await loadCycle(params)
      const unitId = idParam(params, 'unitId', 'đơn vị / unit')
      await checkLeadership(cycle.id, unitId, user, false) // a quota exception is not delegated
      if (cycle.status !== 'OPEN') throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Chỉ cấp ngoại lệ khi kỳ đang mở.', `The cycle is ${cycle.status}.`)
      const policy = (await findRuleSet(db, cycle.ruleset_id))!.definition.quota
      if (body.cap <= policy.cap || (policy.exceptionMaxCap !== undefined && body.cap > policy.exceptionMaxCap)) {
        const max = policy.exceptionMaxCap ?? 1
        throw new ApiError(400, 'VALIDATION_FAILED', `Tỷ lệ ngoại lệ phải lớn hơn ${policy.cap * 100}% và không quá ${max * 100}%.`, `The exception cap must be above ${policy.cap} and at most ${max}.`)
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('quota_exceptions')
          .values({ cycle_id: cycle.id, unit_id: unitId, cap: body.cap, reason: body.reason, granted_by: user.id, granted_at: new Date() })
          .onConflict((oc) => oc.columns(['cycle_id', 'unit_id']).doUpdateSet({ cap: body.cap, reason: body.reason, granted_by: user.id, granted_at: new Date() }))
          .execute()
        await appendAudit(trx, { actor_id: user.id, entity: 'unit', entity_id: `${cycle.id}:${unitId}`, action: 'quotaException', reason: body.reason, data: { cap: body.cap } })
      })
      return c.json({ cycleId: cycle.id, unitId, cap: body.cap, reason: body.reason }, 200)
    })
    .openapi(cancelRoute, async (c) => {
      const user = c.get('user')
      const { reason } = c.req.valid('json')
      const cycle = await loadCycle(c.req.valid('param'))
      const { updateId } = actionOptions(c, user.id)
      if (cycle.status === 'CANCELLING') throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá đang được hủy.', 'The cycle is being cancelled.')
      if (!['LAUNCHING', 'OPEN'].includes(cycle.status)) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá đã kết thúc hoặc đã hủy.', `The cycle is ${cycle.status}.`)
      // The workflow accepts (or refuses) at once; cancelling every evaluation then takes a moment, or minutes at a province's scale.
      const update = await viaWorkflow(deps, () =>
        client.workflow.getHandle(cycleWorkflowId(cycle.id)).startUpdate(cancelCycleUpdate, { args: [{ actor: { id: user.id, roles: user.roles }, reason }], waitForStage: WorkflowUpdateStage.ACCEPTED, ...(updateId ? { updateId } : {}) }),
      )
      const status = async () => (await db.selectFrom('cycles').select('status').where('id', '=', cycle.id).executeTakeFirstOrThrow()).status
      const outcome = await awaitCancel(viaWorkflow(deps, () => update.result()), status)
      return outcome === 'done' ? c.json(await findCycle(cycle.id), 200) : c.json(await findCycle(cycle.id), 202)
    })
}

/** The cycles' routes, as the typed client sees them. */
export type CyclesApi = ReturnType<typeof cyclesRoutes>

/** A cycle row as the API shows it (instants as ISO strings, as JSON writes them). */
function toCycleView(c: CycleRow) {
  return {
    id: c.id,
    name: c.name,
    periodKind: c.period_kind,
    periodStart: c.period_start,
    periodEnd: c.period_end,
    subject: c.subject,
    ruleSetId: c.ruleset_id,
    status: c.status,
    unitIds: c.unit_ids,
    durations: c.durations,
    createdAt: c.created_at.toISOString(),
    classifiedAt: c.classified_at?.toISOString() ?? null,
    // Publication and petitions: the status stays CLASSIFIED; these say where the results stand.
    publishedAt: c.published_at?.toISOString() ?? null,
    petitionClosesAt: c.petition_closes_at?.toISOString() ?? null,
    resultsLockedAt: c.results_locked_at?.toISOString() ?? null,
  }
}
