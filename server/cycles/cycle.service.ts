import { WorkflowNotFoundError, type Client } from '@temporalio/client'
import { sql } from 'kysely'
import { z } from 'zod'
import type { CycleWorkflowInput } from '../../workflows/cycle.workflow.js'
import { cycleWorkflowId } from '../../workflows/definitions.js'
import { cycleCalendar, dueAt } from '../../workflows/stages.js'
import { appendAudit } from '../audit/audit.repo.js'
import { cycleLaunchDurations } from '../calendar/calendar.service.js'
import { isIsoDay, vnDay } from '../calendar/working-days.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { dbId } from '../http/schemas.js'
import { loadOrg } from '../org/org.repo.js'
import { pickRuleSet, type Assignable } from '../rulesets/assignment.js'
import { findRuleSet } from '../rulesets/ruleset.repo.js'
import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import { hasProducts, productFiguresByStaff } from '../worklog/worklog.summary.js'
import { annualPolicyFor, launchPeriod, recordExclusions, rollUpPeople } from '../annual/annual-launch.js'
import { subjectOf, unitMembers } from '../units/unit-launch.js'

const DAY = 86_400
/** A real day (V8's Date.parse takes 2026-02-30 for 02/03). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isIsoDay, 'ngày không hợp lệ / invalid date')

export const launchInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    periodKind: z.enum(['month', 'quarter', 'year']),
    /** The period; an annual cycle may give its `year` instead (1 January – 31 December). */
    periodStart: isoDate.optional(),
    periodEnd: isoDate.optional(),
    year: z.number().int().min(2000).max(2100).optional(),
    ruleSetId: dbId,
    /** Who is evaluated; the rule set decides (a unit rule set launches a unit cycle: one evaluation per unit, by its head) and this, when given, must agree. */
    subject: z.enum(['staff', 'unit']).optional(),
    /** Apply published rule sets that declare `appliesTo` (by unit, position, role); the rest use ruleSetId. Default true. */
    assignRuleSets: z.boolean().optional(),
    /** Units in scope with their subtrees; omitted = the whole organisation. */
    unitIds: z.array(dbId).max(5000).optional(),
    /**
     * Deadlines in working days (default 5, 5 and 1: see server/calendar/cycle-deadlines.ts), counted
     * from the later of the launch day and the period's end, each due at 23:59:59 Asia/Ho_Chi_Minh.
     * A `*Seconds` value given instead wins for its deadline (tests count in seconds).
     */
    durations: z
      .object({
        selfAssessmentWorkingDays: z.number().int().min(1).max(60),
        reviewWorkingDays: z.number().int().min(1).max(60),
        reminderWorkingDays: z.number().int().min(0).max(10),
        selfAssessmentSeconds: z.number().int().min(1).max(366 * DAY),
        reviewSeconds: z.number().int().min(1).max(366 * DAY),
        reminderBeforeSeconds: z.number().int().min(0).max(366 * DAY),
        /** Petitions after publication: the window (default 5 working days) and the authority's answer time (default 10). */
        petitionWorkingDays: z.number().int().min(1).max(30),
        petitionAnswerWorkingDays: z.number().int().min(1).max(60),
        petitionSeconds: z.number().int().min(1).max(366 * DAY),
        petitionAnswerSeconds: z.number().int().min(1).max(366 * DAY),
      })
      .partial()
      .optional(),
  })
  .refine((v) => v.year !== undefined || (v.periodStart !== undefined && v.periodEnd !== undefined), { message: 'cần periodStart và periodEnd (hoặc year cho kỳ năm) / periodStart and periodEnd (or year, for a year) are required', path: ['periodStart'] })
  .refine((v) => v.year === undefined || v.periodKind === 'year', { message: 'year chỉ dùng cho kỳ năm / year is for periodKind "year" only', path: ['year'] })
  .refine((v) => !v.periodStart || !v.periodEnd || v.periodStart <= v.periodEnd, { message: 'periodStart phải trước periodEnd / must not be after periodEnd', path: ['periodEnd'] })
export type LaunchInput = z.infer<typeof launchInput>

/**
 * Launches a cycle: one transaction writes the cycle and one evaluation per staff member in
 * scope (with who reviews and signs off), then the cycle workflow starts them in batches.
 * If Temporal refuses the start, the rows are removed again: nothing half-launched remains.
 */
export async function launchCycle(
  db: Db,
  client: Client,
  taskQueue: string,
  input: LaunchInput,
  actorId: number,
  tuning: Pick<CycleWorkflowInput, 'launchPageSize' | 'updatesPerRun'> = {},
): Promise<number> {
  const ruleSet = await findRuleSet(db, input.ruleSetId)
  if (!ruleSet || ruleSet.status !== 'published') {
    throw new ApiError(400, 'VALIDATION_FAILED', `Bộ quy tắc #${input.ruleSetId} chưa ban hành hoặc không tồn tại.`, `Rule set #${input.ruleSetId} is not published or does not exist.`)
  }
  const { periodStart, periodEnd } = launchPeriod(input)
  const subject = subjectOf(ruleSet.definition, input.subject)
  // A unit cycle may be of any period (a year included): the annual policy is the people's.
  const annual = subject === 'unit' ? null : annualPolicyFor(input.periodKind, ruleSet.definition)
  const org = await loadOrg(db)
  const allUnits = await db.selectFrom('units').select('id').execute()
  const known = new Set(allUnits.map((u) => u.id))
  const unknown = (input.unitIds ?? []).filter((id) => !known.has(id))
  if (unknown.length) throw new ApiError(400, 'VALIDATION_FAILED', `Không có đơn vị: ${unknown.join(', ')}.`, `Unknown units: ${unknown.join(', ')}.`)
  const scope = input.unitIds?.length ? org.subtree(input.unitIds) : known
  const active = await db.selectFrom('staff').select(['id', 'unit_id', 'roles', 'scope_unit_ids', 'position_code']).where('active', '=', true).execute()
  // A unit cycle evaluates each unit in scope "as" its head, placed in the unit.
  const people =
    subject === 'unit'
      ? unitMembers(await db.selectFrom('units').select(['id', 'name', 'parent_id', 'head_id']).execute(), active, scope)
      : active.filter((p) => p.unit_id !== null && scope.has(p.unit_id) && (p.roles).some((r) => r !== 'admin'))
  if (!people.length) throw new ApiError(400, 'VALIDATION_FAILED', 'Không có cán bộ nào trong phạm vi kỳ đánh giá.', 'No staff in the cycle scope.')
  const busy = await db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('c.status', 'in', ['LAUNCHING', 'OPEN', 'RANKED'])
    .where('c.period_kind', '=', input.periodKind)
    .where('c.period_start', '=', periodStart)
    .where('c.subject', '=', subject)
    .where(sql<boolean>`${sql.ref(subject === 'unit' ? 'e.unit_id' : 'e.staff_id')} = any(${people.map((p) => (subject === 'unit' ? p.unit_id! : p.id))}::int[])`)
    .executeTakeFirstOrThrow()
  if (busy.n > 0 && subject === 'unit') {
    throw new ApiError(409, 'DUPLICATE', `${busy.n} đơn vị đã có kỳ đánh giá đơn vị đang chạy cho cùng kỳ.`, `${busy.n} units already have a running unit cycle for the same period.`)
  }
  if (busy.n > 0) {
    throw new ApiError(409, 'DUPLICATE', `${busy.n} cán bộ đã có kỳ đánh giá đang chạy cho cùng kỳ.`, `${busy.n} staff already have a running cycle for the same period.`)
  }
  // (An annual cycle is launched before its year ends: its deadlines count from the launch day.)
  // The workflows count their deadlines in seconds from the cycle's created_at (launchEvaluations
  // passes it as opensAt): it is set here, at a whole second, and the seconds computed from it land
  // each deadline on 23:59:59 of its working day.
  const opensAt = new Date(Math.floor(Date.now() / 1000) * 1000)
  // Other settings in `durations` (a feature's own windows) are kept as given.
  const durations = { ...input.durations, ...(await cycleLaunchDurations(db, opensAt, annual ? vnDay(opensAt) : periodEnd, input.durations ?? {})) }
  // An annual cycle classifies everyone with its annual rule set; period rule sets do not apply.
  const assignable = input.assignRuleSets === false || annual || subject === 'unit' ? [] : await assignableRuleSets(db)
  const unitCodes = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.id, u.code]))
  const hashes = new Map<number, string>([[ruleSet.id, ruleSet.hash], ...assignable.map((a) => [a.id, a.hash] as [number, string])])
  const initial = new Map<number, Record<string, unknown> | undefined>([[ruleSet.id, ruleSet.definition.initialInputs], ...assignable.map((a) => [a.id, a.initialInputs] as [number, Record<string, unknown> | undefined])])
  // Products pre-filled from each person's confirmed work log of the period (rule sets with a `products` input).
  const workLog = await productFiguresByStaff(db, { staffIds: people.map((p) => p.id) }, periodStart, periodEnd, periodEnd)
  const withProducts = new Set([ruleSet, ...(await Promise.all(assignable.map((a) => findRuleSet(db, a.id))))].filter((r) => r && hasProducts(r)).map((r) => r!.id))
  const prefilledFor = (staffId: number, pinned: number) => (withProducts.has(pinned) ? (workLog.get(staffId) ?? []).map((l) => ({ ...l, source: 'worklog' })) : [])
  // An annual cycle: each person's classified periods of the year; too few months worked → "không xếp loại", no evaluation.
  const year = annual ? await rollUpPeople(db, people, annual, periodStart, periodEnd) : null
  const evaluated = year ? people.filter((p) => year.get(p.id)!.classified) : people
  if (!evaluated.length) throw new ApiError(400, 'VALIDATION_FAILED', `Không ai trong phạm vi có đủ ${annual!.minMonths} tháng kết quả trong năm.`, `Nobody in scope has results for ${annual!.minMonths} months of the year.`)
  const documentFor = (staffId: number, pinned: number) => {
    const base = initial.get(pinned) ?? {}
    if (year) return { ...base, periods: year.get(staffId)!.periods }
    const lines = prefilledFor(staffId, pinned)
    return lines.length ? { ...base, products: lines } : base
  }
  const { cycleId, unitIds } = await db.transaction().execute(async (trx) => {
    const cycle = await trx
      .insertInto('cycles')
      .values({
        name: input.name,
        period_kind: input.periodKind,
        period_start: periodStart,
        period_end: periodEnd,
        ruleset_id: ruleSet.id,
        subject,
        status: 'LAUNCHING',
        unit_ids: JSON.stringify([...new Set(people.map((p) => p.unit_id!))].sort((a, b) => a - b)),
        durations: JSON.stringify(durations),
        created_by: actorId,
        created_at: opensAt.toISOString(),
      })
      .returning(['id', 'unit_ids', 'created_at'])
      .executeTakeFirstOrThrow()
    const now = new Date(cycle.created_at)
    const deadline = new Date(dueAt('SELF_ASSESSMENT', now.getTime(), cycleCalendar(now.getTime(), durations))!)
    const partiesOf = new Map(people.map((p) => [p.id, org.partiesOf({ id: p.id, unitId: p.unit_id, roles: p.roles, scopeUnitIds: p.scope_unit_ids })]))
    const rows = evaluated.map((p) => {
      const parties = partiesOf.get(p.id)!
      const pinned = pickRuleSet({ ruleRole: parties.ruleRole, positionCode: p.position_code, unitCode: unitCodes.get(p.unit_id!)! }, assignable, ruleSet.id)
      return {
        cycle_id: cycle.id,
        staff_id: p.id,
        unit_id: p.unit_id!,
        position_code: p.position_code,
        // A unit is scored as itself (no leader branch); its row names the unit it evaluates.
        rule_role: subject === 'unit' ? ('staff' as const) : parties.ruleRole,
        subject_unit_id: subject === 'unit' ? p.unit_id! : null,
        stage: 'SELF_ASSESSMENT',
        round: 1,
        version: 0,
        data: JSON.stringify(documentFor(p.id, pinned)),
        prefilled_products: JSON.stringify(prefilledFor(p.id, pinned)),
        reviewer_ids: JSON.stringify(parties.reviewerIds),
        sign_off_ids: JSON.stringify(parties.signOffIds),
        ruleset_id: pinned,
        rule_hash: hashes.get(pinned)!,
        deadline_at: deadline,
        updated_at: now,
      }
    })
    // The evaluations and, as rows the inboxes index, who is party to each.
    for (let i = 0; i < rows.length; i += 1000) {
      const inserted = await trx.insertInto('evaluations').values(rows.slice(i, i + 1000)).returning(['id', 'staff_id']).execute()
      const parties = inserted.flatMap((e) => {
        const p = partiesOf.get(e.staff_id)!
        return [{ person_id: e.staff_id, role: 'owner' as const, evaluation_id: e.id }, ...p.reviewerIds.map((r) => ({ person_id: r, role: 'reviewer' as const, evaluation_id: e.id })), ...p.signOffIds.map((s) => ({ person_id: s, role: 'signoff' as const, evaluation_id: e.id }))]
      })
      for (let j = 0; j < parties.length; j += 5000) await trx.insertInto('evaluation_parties').values(parties.slice(j, j + 5000)).onConflict((oc) => oc.doNothing()).execute()
    }
    if (year) await recordExclusions(trx, cycle.id, people, year)
    await appendAudit(trx, { actor_id: actorId, entity: 'cycle', entity_id: String(cycle.id), action: 'launch', reason: null, data: { ...input, subject, periodStart, periodEnd, evaluations: rows.length, ...(year ? { notClassified: people.length - rows.length } : {}) }, ruleset_id: ruleSet.id, rule_hash: ruleSet.hash })
    return { cycleId: cycle.id, unitIds: cycle.unit_ids }
  })
  await refreshStatistics(db)
  try {
    await startCycleWorkflow(client, taskQueue, { cycleId, unitIds, ...tuning })
  } catch (err) {
    // A start that timed out may still have started the workflow: then the launch stands.
    const started = await cycleWorkflowExists(client, cycleId)
    if (started === true) return cycleId
    if (started === undefined) {
      // Temporal cannot say whether it started it: the rows stay, LAUNCHING; the reconciler's launch sweep starts the
      // workflow (or finds it started) once Temporal answers — undone here, a started workflow would run on rows removed.
      throw new ApiError(
        503,
        'LAUNCH_PENDING',
        'Kỳ đánh giá đã được ghi nhưng chưa khởi động được quy trình vì máy chủ quy trình (Temporal) không liên lạc được; hệ thống sẽ tự khởi động khi Temporal hoạt động trở lại. Không cần mở lại kỳ.',
        'The cycle is recorded but its workflow could not be started (Temporal is unreachable); it starts by itself once Temporal is back. Do not launch it again.',
        { cycleId },
      )
    }
    // Nothing was started: the cycle and its rows go, as the answer says (the audit keeps the attempt).
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('evaluations').where('cycle_id', '=', cycleId).execute()
      await trx.deleteFrom('cycles').where('id', '=', cycleId).execute()
      await appendAudit(trx, { actor_id: actorId, entity: 'cycle', entity_id: String(cycleId), action: 'launchFailed', reason: String(err).slice(0, 500) })
    })
    throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Không khởi động được quy trình (Temporal); chưa có gì được ghi.', `Could not start the workflow (Temporal): ${String(err)}`)
  }
  return cycleId
}

/** Starts a cycle's workflow (its id is the cycle's: starting it twice is refused by Temporal, never doubled). */
export async function startCycleWorkflow(client: Client, taskQueue: string, input: CycleWorkflowInput): Promise<void> {
  await client.workflow.start('cycleWorkflow', { taskQueue, workflowId: cycleWorkflowId(input.cycleId), args: [input] })
}

/** Whether the cycle's workflow exists: true, false, or undefined when Temporal cannot say (unreachable). */
export async function cycleWorkflowExists(client: Client, cycleId: number): Promise<boolean | undefined> {
  try {
    await client.workflow.getHandle(cycleWorkflowId(cycleId)).describe()
    return true
  } catch (err) {
    return err instanceof WorkflowNotFoundError ? false : undefined
  }
}

/**
 * The planner's statistics of the evaluations and their parties, after a launch added a cycle's
 * rows: the inboxes then go from the person's party rows to their evaluations (1,3 ms at 50,000),
 * where statistics taken before the launch send them along the stage index through the whole cycle
 * (12 ms, and 85 inboxes a second instead of 316). Autovacuum would get there within minutes, or
 * never where it is off. Taken only by the tables' owner: for another role PostgreSQL skips it with a warning.
 */
async function refreshStatistics(db: Db): Promise<void> {
  await sql`analyze evaluations, evaluation_parties`.execute(db)
}

/** The newest published version of each rule set that declares whom it applies to. */
async function assignableRuleSets(db: Db): Promise<(Assignable & { hash: string; initialInputs?: Record<string, unknown> })[]> {
  const rows = await db.selectFrom('rulesets').select(['id', 'code', 'hash', 'definition']).where('status', '=', 'published').orderBy('version', 'desc').execute()
  const newest = new Map<string, (typeof rows)[number]>()
  for (const r of rows) if (!newest.has(r.code)) newest.set(r.code, r)
  return [...newest.values()].flatMap((r) => {
    const def = r.definition as { appliesTo?: Assignable['appliesTo']; initialInputs?: Record<string, unknown> }
    // A unit rule set never applies to a person.
    return def.appliesTo && Object.keys(def.appliesTo).length && (r.definition as { subject?: string }).subject !== 'unit' ? [{ id: r.id, hash: r.hash, appliesTo: def.appliesTo, ...(def.initialInputs ? { initialInputs: def.initialInputs } : {}) }] : []
  })
}

export interface CycleProgress {
  byStage: Record<string, number>
  byUnit: { unitId: number; unitName: string; total: number; byStage: Record<string, number>; signedOff: boolean; overdue: number; levels: Record<Level, number> }[]
}

/** Counts per stage and per unit (with each level as scored), from the read model. */
export async function cycleProgress(db: Db, cycleId: number): Promise<CycleProgress> {
  const rows = await db
    .selectFrom('evaluations as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select(['e.unit_id', 'u.name', 'e.stage', sql<number>`count(*)::int`.as('n'), sql<number>`count(*) filter (where e.overdue)::int`.as('overdue')])
    // Each level as scored, before the quota: what a leader's sign-off will meet (HTXS candidates against the cap).
    .select(LEVELS.map((l) => sql<number>`count(*) filter (where e.level = ${l})::int`.as(`level_${l}`)))
    .where('e.cycle_id', '=', cycleId)
    .groupBy(['e.unit_id', 'u.name', 'e.stage'])
    .execute()
  const signed = new Set((await db.selectFrom('unit_sign_offs').select('unit_id').where('cycle_id', '=', cycleId).execute()).map((r) => r.unit_id))
  const byStage: Record<string, number> = {}
  const units = new Map<number, CycleProgress['byUnit'][number]>()
  for (const r of rows) {
    byStage[r.stage] = (byStage[r.stage] ?? 0) + r.n
    const u = units.get(r.unit_id) ?? { unitId: r.unit_id, unitName: r.name, total: 0, byStage: {}, signedOff: signed.has(r.unit_id), overdue: 0, levels: { HTXS: 0, HTT: 0, HT: 0, KHT: 0 } }
    u.total += r.n
    u.overdue += r.overdue
    for (const l of LEVELS) u.levels[l] += (r as unknown as Record<string, number>)[`level_${l}`]!
    u.byStage[r.stage] = r.n
    units.set(r.unit_id, u)
  }
  return { byStage, byUnit: [...units.values()].sort((a, b) => a.unitId - b.unitId) }
}

/** The progress of the units a user may see: per unit, and per stage summed over those units. */
export function scopedProgress(progress: CycleProgress, visible: 'all' | Set<number>): CycleProgress {
  if (visible === 'all') return progress
  const byUnit = progress.byUnit.filter((u) => visible.has(u.unitId))
  const byStage: Record<string, number> = {}
  for (const u of byUnit) for (const [stage, n] of Object.entries(u.byStage)) byStage[stage] = (byStage[stage] ?? 0) + n
  return { byStage, byUnit }
}
