import { unitActor } from '../delegations/acting.js'
import { inForceFor } from '../delegations/delegation.repo.js'
import { annualFields, notClassified } from '../annual/annual-results.js'
import ExcelJS from 'exceljs'
import type { Hono } from 'hono'
import { sql } from 'kysely'
import { z } from 'zod'
import { cancelCycleUpdate, cycleWorkflowId, retryRankingUpdate, returnUnitUpdate, signOffUnitUpdate } from '../../workflows/definitions.js'
import { appendAudit } from '../audit/audit.repo.js'
import { cycleProgress, launchCycle, launchInput, scopedProgress } from '../cycles/cycle.service.js'
import { rankingFailure } from '../cycles/ranking.service.js'
import type { CycleRow } from '../db/schema.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { actionOptions } from '../http/action-options.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { viaWorkflow } from '../http/temporal-errors.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { toCsv } from '../org/csv.js'
import { canSeeUnit, visibleUnitsOf } from '../org/visibility.js'
import { publishedList } from '../cycles/published-list.js'
import { capOf } from '../units/unit-evaluation.repo.js'

const reasonBody = z.object({ reason: z.string().trim().min(3).max(2000) })
const exceptionBody = z.object({ cap: z.number().gt(0).max(1), reason: z.string().trim().min(3).max(2000) })
const cyclesQuery = z.object({ before: z.coerce.number().int().min(1).max(2_147_483_647).optional(), limit: pageQuery.limit })
const resultsQuery = z.object({ ...pageQuery })
/** Results without a rank (none expected once classified) come last, in a keyset order that stays total. */
const rankKey = sql`coalesce(e.rank_in_cycle, 2147483647)`
type Visible = Awaited<ReturnType<typeof visibleUnitsOf>>

export function cycleRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db, client, config } = deps
  const loadCycle = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'kỳ đánh giá / cycle')
    const cycle = await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirst()
    if (!cycle) throw notFound('kỳ đánh giá / cycle', id)
    return cycle
  }

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

  /** A cycle's classified evaluations as this user may see them: admins all, leaders their scope, heads their units, everyone their own. */
  function resultsScope(cycleId: number, user: SessionUser, visible: Visible) {
    let q = db.selectFrom('evaluations as e').innerJoin('units as u', 'u.id', 'e.unit_id').where('e.cycle_id', '=', cycleId).where('e.stage', '=', 'CLASSIFIED')
    if (visible !== 'all') q = q.where((eb) => eb.or([eb('e.staff_id', '=', user.id), eb(sql<boolean>`e.unit_id = any(${[...visible]}::int[])`, '=', true)]))
    return q
  }

  /** The visible results ranked (rank in the cycle, then id): all of them (the export), or the page after the result with evaluation id `after`. */
  async function visibleResults(cycleId: number, user: SessionUser, visible: Visible, pageOf?: { after?: number | undefined; limit: number }) {
    let q = resultsScope(cycleId, user, visible)
      .innerJoin('staff as s', 's.id', 'e.staff_id')
      .select(['e.id', 'e.staff_id', 's.full_name', 'e.unit_id', 'u.name as unit_name', 'e.position_code', 'e.total', 'e.level', 'e.final_level', 'e.override_code', 'e.quota_cut', 'e.quota_tie', 'e.rank_in_unit', 'e.rank_in_cycle', 'e.scores', sql<unknown>`e.data->'periods'`.as('periods')])
      .orderBy(rankKey)
      .orderBy('e.id')
    if (pageOf?.after !== undefined) q = q.where(sql<boolean>`(${rankKey}, e.id) > (select coalesce(rank_in_cycle, 2147483647), id from evaluations where id = ${pageOf.after})`)
    if (pageOf) q = q.limit(pageOf.limit + 1)
    return q.execute()
  }

  /** Figures over every visible result (not one page): how many, final levels per unit, totals in ten-point buckets. */
  async function resultsSummary(cycleId: number, user: SessionUser, visible: Visible) {
    // One scan, two groupings: final levels per unit, and totals in ten-point buckets.
    const bucket = sql<number | null>`least(9, greatest(0, floor(e.total / 10)))::int`
    const rows = await resultsScope(cycleId, user, visible)
      .select(['e.unit_id', 'u.name as unit_name', 'e.final_level', bucket.as('bucket'), sql<number>`grouping(e.unit_id)`.as('by_bucket')])
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .groupBy(sql`grouping sets ((e.unit_id, u.name, e.final_level), (${bucket}))`)
      .execute()
    const units = new Map<number, { unitId: number; unitName: string; levels: Record<string, number> }>()
    const histogram = Array.from({ length: 10 }, () => 0)
    let count = 0
    for (const r of rows) {
      if (Number(r.by_bucket) === 1) {
        if (r.bucket !== null) histogram[r.bucket] = Number(r.n)
        continue
      }
      count += Number(r.n)
      const unit = units.get(r.unit_id) ?? { unitId: r.unit_id, unitName: r.unit_name, levels: {} }
      if (r.final_level) unit.levels[r.final_level] = Number(r.n)
      units.set(r.unit_id, unit)
    }
    return { count, byUnit: [...units.values()].sort((x, y) => x.unitName.localeCompare(y.unitName, 'vi') || x.unitId - y.unitId), histogram }
  }

  route(app, { method: 'get', path: '/api/cycles', summary: 'Evaluation cycles, newest first; keyset pages (?before=&limit=, Link: rel="next")', tag: 'cycles', query: cyclesQuery }, async ({ c, query }) => {
    let q = db.selectFrom('cycles').selectAll().orderBy('id', 'desc')
    if (query.before !== undefined) q = q.where('id', '<', query.before)
    return page(c, await q.limit(query.limit + 1).execute(), query.limit, 'before').map(toCycleView)
  })

  route(app, { method: 'post', path: '/api/cycles', summary: 'Launch a cycle: period, units, published rule set, deadlines', tag: 'cycles', roles: ['admin'], body: launchInput, status: 201 }, async ({ body, user }) => {
    const id = await launchCycle(db, client, config.taskQueue, body, user.id)
    const cycle = await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return { ...toCycleView(cycle), progress: await cycleProgress(db, id) }
  })

  route(app, { method: 'get', path: '/api/cycles/:id', summary: 'A cycle with progress per stage and per unit, and leadership quota exceptions — for the units the user may see', tag: 'cycles' }, async ({ params, user }) => {
    const cycle = await loadCycle(params)
    const visible = await visibleUnitsOf(db, user.id)
    const exceptions = (await db.selectFrom('quota_exceptions').select(['unit_id', 'cap', 'reason']).where('cycle_id', '=', cycle.id).execute()).filter((e) => canSeeUnit(visible, e.unit_id))
    return {
      ...toCycleView(cycle),
      rankingError: cycle.status === 'RANKING_FAILED' || cycle.status === 'CLASSIFIED' ? await rankingFailure(db, cycle.id) : null,
      progress: scopedProgress(await cycleProgress(db, cycle.id), visible),
      quotaExceptions: exceptions.map((e) => ({ unitId: e.unit_id, cap: e.cap, reason: e.reason })),
    }
  })

  route(app, { method: 'post', path: '/api/cycles/:id/ranking/retry', summary: 'Rank a cycle again after its ranking failed (RANKING_FAILED, or a re-ranking after petitions failed: rankingError set) and the data was fixed (admin)', tag: 'cycles', roles: ['admin'] }, async ({ c, params, user }) => {
    const cycle = await loadCycle(params)
    const { updateId } = actionOptions(c, user.id)
    const failed = cycle.status === 'RANKING_FAILED' || (cycle.status === 'CLASSIFIED' && (await rankingFailure(db, cycle.id)) !== null)
    if (!failed) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Chỉ xếp loại lại khi lần xếp loại trước thất bại.', `The cycle is ${cycle.status}: only a failed ranking is retried.`)
    await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(retryRankingUpdate, { args: [{ actor: { id: user.id, roles: user.roles } }], ...(updateId ? { updateId } : {}) }))
    await appendAudit(db, { actor_id: user.id, entity: 'cycle', entity_id: String(cycle.id), action: 'retryRanking', reason: null, data: null })
    return { ...toCycleView(cycle), retrying: true }
  })

  route(
    app,
    {
      method: 'get',
      path: '/api/cycles/:id/results',
      summary: 'Ranked, classified results (after ranking), by rank in the cycle; each user sees what concerns them; keyset pages (?after=<evaluation id>&limit=, Link: rel="next"); the first page adds a summary over all of them (count, levels per unit, score histogram)',
      tag: 'cycles',
      query: resultsQuery,
    },
    async ({ c, params, user, query }) => {
      const cycle = await loadCycle(params)
      if (cycle.status !== 'CLASSIFIED') throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá chưa xếp loại xong.', 'The cycle is not classified yet.')
      const visible = await visibleUnitsOf(db, user.id)
      const first = query.after === undefined
      const [found, summary] = await Promise.all([visibleResults(cycle.id, user, visible, query), first ? resultsSummary(cycle.id, user, visible) : undefined])
      const rows = page(c, found, query.limit)
      // An annual cycle: each result with the periods behind it, and (first page) who is "không xếp loại" and why.
      const annual = cycle.period_kind === 'year' ? (await findRuleSet(db, cycle.ruleset_id))?.definition.annual : undefined
      return {
        cycleId: cycle.id,
        ruleSetId: cycle.ruleset_id,
        ...(summary ? { summary } : {}),
        ...(annual && first ? { notClassified: await notClassified(db, cycle.id, annual.minMonths, visible, user.id) } : {}),
        results: rows.map((r) => ({
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
          values: (r.scores as { values?: unknown } | null)?.values ?? null,
          /** A head capped by the level of the unit they answered for in the same period (issue 14.2): unit, its level, from → to, in words. */
          cap: capOf(r.scores),
          ...(annual ? annualFields(r.periods, (r.scores as { values?: Record<string, unknown> } | null)?.values) : {}),
        })),
      }
    },
  )

  route(
    app,
    { method: 'get', path: '/api/cycles/:id/results/export', summary: 'Ranked, classified results as CSV or XLSX (?format=csv|xlsx), as the user may see them', tag: 'cycles', query: z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') }) },
    async ({ c, params, user, query }) => {
      const cycle = await loadCycle(params)
      if (cycle.status !== 'CLASSIFIED') throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá chưa xếp loại xong.', 'The cycle is not classified yet.')
      const rows = await visibleResults(cycle.id, user, await visibleUnitsOf(db, user.id))
      const header = ['Hạng trong kỳ', 'Hạng trong đơn vị', 'Họ và tên', 'Đơn vị', 'Chức danh', 'Tổng điểm', 'Xếp loại theo điểm', 'Xếp loại cuối cùng', 'Ghi chú']
      const body = rows.map((r) => [r.rank_in_cycle, r.rank_in_unit, r.full_name, r.unit_name, r.position_code ?? '', r.total, r.level, r.final_level, [r.override_code, r.quota_cut ? 'Giới hạn tỷ lệ HTXS' : '', r.quota_tie ? 'Bằng điểm tại ngưỡng' : '', capOf(r.scores)?.text.vi ?? ''].filter(Boolean).join('; ')])
      const file = `ket-qua-ky-${cycle.id}`
      if (query.format === 'csv') {
        const csv = toCsv([header, ...body])
        return c.body(`\uFEFF${csv}\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` })
      }
      const wb = new ExcelJS.Workbook()
      const sheet = wb.addWorksheet('Kết quả')
      sheet.addRow([cycle.name])
      sheet.addRow(header).font = { bold: true }
      for (const r of body) sheet.addRow(r)
      sheet.columns.forEach((col, i) => (col.width = [8, 8, 28, 36, 10, 10, 12, 12, 30][i] ?? 12))
      const buffer = await wb.xlsx.writeBuffer()
      return c.body(new Uint8Array(buffer), 200, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': `attachment; filename="${file}.xlsx"` })
    },
  )

  route(app, { method: 'get', path: '/api/cycles/:id/units/:unitId/published', summary: "A unit's published results — name, position, level, rank \"3 / 12\", total — for everyone in the unit and whoever sees its results (after publication)", tag: 'cycles' }, async ({ params, user }) => {
    const cycle = await loadCycle(params)
    const unitId = idParam(params, 'unitId', 'đơn vị / unit')
    const member = await db.selectFrom('evaluations').select('id').where('cycle_id', '=', cycle.id).where('unit_id', '=', unitId).where('staff_id', '=', user.id).executeTakeFirst()
    if (!member && !canSeeUnit(await visibleUnitsOf(db, user.id), unitId)) throw forbidden('Chỉ người trong đơn vị (và cấp có thẩm quyền) xem được danh sách kết quả của đơn vị.', "Only the unit's members (and those who oversee it) see the unit's results.")
    if (!cycle.published_at) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kết quả của kỳ đánh giá chưa được công bố.', 'The results of the cycle are not published yet.')
    const list = await publishedList(db, cycle.id, unitId)
    if (!list) throw notFound('đơn vị trong kỳ / unit in cycle', unitId)
    return { cycleId: cycle.id, cycleName: cycle.name, publishedAt: cycle.published_at, petitionClosesAt: cycle.petition_closes_at, resultsLockedAt: cycle.results_locked_at, ...list }
  })

  route(app, { method: 'post', path: '/api/cycles/:id/units/:unitId/sign-off', summary: "Leadership (or a leader's sign-off delegate) signs off a unit's batch", tag: 'cycles' }, async ({ c, params, user }) => {
    const cycle = await loadCycle(params)
    const unitId = idParam(params, 'unitId', 'đơn vị / unit')
    const { updateId } = actionOptions(c, user.id)
    const { rows, actor } = await checkLeadership(cycle.id, unitId, user)
    // After publication, a unit reopened by an accepted petition is signed off again (its classified evaluations stay as they are).
    const again = cycle.status === 'CLASSIFIED' && cycle.published_at !== null && cycle.results_locked_at === null && rows.some((r) => r.stage !== 'CLASSIFIED')
    if (cycle.status !== 'OPEN' && !again) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá không ở trạng thái đang mở.', `The cycle is ${cycle.status}.`)
    const waiting = rows.filter((r) => r.stage !== 'AWAITING_SIGN_OFF' && r.stage !== 'CLASSIFIED').length
    if (waiting) throw new ApiError(409, 'UNIT_NOT_READY', `Còn ${waiting} bản đánh giá của đơn vị chưa được trưởng đơn vị duyệt.`, `${waiting} evaluation(s) of the unit are not approved by the unit head yet.`)
    const result = await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(signOffUnitUpdate, { args: [{ actor, unitId }], ...(updateId ? { updateId } : {}) }))
    return { ...result, progress: await cycleProgress(db, cycle.id) }
  })

  route(app, { method: 'post', path: '/api/cycles/:id/units/:unitId/return', summary: "Leadership (or a leader's sign-off delegate) returns a unit's batch to its unit head, with a reason", tag: 'cycles', body: reasonBody }, async ({ c, params, user, body }) => {
    const cycle = await loadCycle(params)
    const unitId = idParam(params, 'unitId', 'đơn vị / unit')
    const { updateId } = actionOptions(c, user.id)
    const { rows, actor } = await checkLeadership(cycle.id, unitId, user)
    if (!rows.some((r) => r.stage === 'AWAITING_SIGN_OFF')) throw new ApiError(409, 'UNIT_NOT_READY', 'Đơn vị không có bản đánh giá nào đang chờ ký duyệt.', 'No evaluation of the unit awaits sign-off.')
    const result = await viaWorkflow(deps, () =>
      client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(returnUnitUpdate, { args: [{ actor, unitId, reason: body.reason }], ...(updateId ? { updateId } : {}) }),
    )
    return { ...result, progress: await cycleProgress(db, cycle.id) }
  })

  route(app, { method: 'post', path: '/api/cycles/:id/units/:unitId/quota-exception', summary: 'Leadership grants a unit a higher excellent-rating cap, with a written reason', tag: 'cycles', roles: ['leader', 'admin'], body: exceptionBody }, async ({ params, user, body }) => {
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
    return { cycleId: cycle.id, unitId, cap: body.cap, reason: body.reason }
  })

  route(app, { method: 'post', path: '/api/cycles/:id/cancel', summary: 'Cancel a running cycle (admin), with a reason', tag: 'cycles', roles: ['admin'], body: reasonBody }, async ({ c, params, user, body }) => {
    const cycle = await loadCycle(params)
    const { updateId } = actionOptions(c, user.id)
    if (!['LAUNCHING', 'OPEN'].includes(cycle.status)) throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá đã kết thúc hoặc đã hủy.', `The cycle is ${cycle.status}.`)
    await viaWorkflow(deps, () => client.workflow.getHandle(cycleWorkflowId(cycle.id)).executeUpdate(cancelCycleUpdate, { args: [{ actor: { id: user.id, roles: user.roles }, reason: body.reason }], ...(updateId ? { updateId } : {}) }))
    return toCycleView(await db.selectFrom('cycles').selectAll().where('id', '=', cycle.id).executeTakeFirstOrThrow())
  })
}

function toCycleView(c: CycleRow) {
  return {
    id: c.id,
    name: c.name,
    periodKind: c.period_kind,
    periodStart: c.period_start,
    periodEnd: c.period_end,
    /** staff, or unit: a unit cycle evaluates units (one evaluation per unit, by its head; see /api/unit-evaluations). */
    subject: c.subject,
    ruleSetId: c.ruleset_id,
    status: c.status,
    unitIds: c.unit_ids,
    durations: c.durations,
    createdAt: c.created_at,
    classifiedAt: c.classified_at,
    // Publication and petitions: the status stays CLASSIFIED; these say where the results stand.
    publishedAt: c.published_at,
    petitionClosesAt: c.petition_closes_at,
    resultsLockedAt: c.results_locked_at,
  }
}
