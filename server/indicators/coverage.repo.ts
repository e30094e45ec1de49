import { sql } from 'kysely'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import { notFound } from '../errors.js'
import { loadOrg } from '../org/org.repo.js'
import { pickRuleSet, type Assignable } from '../rulesets/assignment.js'
import { coverage, type CoverageMember, type SubjectName } from './coverage.js'

/** Missing and late values of a launched cycle: its evaluations, each with its pinned rule set. */
export async function cycleCoverage(db: Db, cycleId: number, now = new Date()) {
  const cycle = await db.selectFrom('cycles').select(['id', 'period_start', 'period_end']).where('id', '=', cycleId).executeTakeFirst()
  if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
  const members = (await db.selectFrom('evaluations').select(['staff_id', 'unit_id', 'ruleset_id']).where('cycle_id', '=', cycleId).execute()).map((e) => ({ staffId: e.staff_id, unitId: e.unit_id, ruleSetId: e.ruleset_id }))
  return { cycleId, ...(await coverageOf(db, cycle.period_start, cycle.period_end, members, now)) }
}

/**
 * What a launch would find: the people a launch with these settings would evaluate (active staff of
 * the units and their subtrees, admins aside), each with the rule set the launch would pin.
 */
export async function launchCoverage(db: Db, input: { ruleSetId: number; periodStart: string; periodEnd: string; unitIds?: number[] | undefined; assignRuleSets?: boolean | undefined }, now = new Date()) {
  const ruleSet = await db.selectFrom('rulesets').select('id').where('id', '=', input.ruleSetId).executeTakeFirst()
  if (!ruleSet) throw notFound('bộ quy tắc / rule set', input.ruleSetId)
  const org = await loadOrg(db)
  const units = await db.selectFrom('units').select(['id', 'code']).execute()
  const unitCodes = new Map(units.map((u) => [u.id, u.code]))
  const scope = input.unitIds?.length ? org.subtree(input.unitIds.filter((id) => unitCodes.has(id))) : new Set(unitCodes.keys())
  const people = (await db.selectFrom('staff').select(['id', 'unit_id', 'roles', 'scope_unit_ids', 'position_code']).where('active', '=', true).execute()).filter(
    (p) => p.unit_id !== null && scope.has(p.unit_id) && p.roles.some((r) => r !== 'admin'),
  )
  const assignable = input.assignRuleSets === false ? [] : await assignableRuleSets(db)
  const members: CoverageMember[] = people.map((p) => {
    const ruleRole = org.partiesOf({ id: p.id, unitId: p.unit_id, roles: p.roles, scopeUnitIds: p.scope_unit_ids }).ruleRole
    return { staffId: p.id, unitId: p.unit_id!, ruleSetId: pickRuleSet({ ruleRole, positionCode: p.position_code, unitCode: unitCodes.get(p.unit_id!)! }, assignable, input.ruleSetId) }
  })
  return coverageOf(db, input.periodStart, input.periodEnd, members, now)
}

async function coverageOf(db: Db, periodStart: string, periodEnd: string, members: CoverageMember[], now: Date) {
  const ruleSetIds = [...new Set(members.map((m) => m.ruleSetId))]
  const ruleSets = ruleSetIds.length ? await db.selectFrom('rulesets').select(['id', 'definition']).where('id', 'in', ruleSetIds).execute() : []
  const declared = new Map(ruleSets.map((r) => [r.id, (r.definition as RuleSetDefinition).externalInputs ?? []]))
  const any = [...declared.values()].some((d) => d.length)
  const systems = new Map((await db.selectFrom('integration_systems').select(['code', 'name']).execute()).map((s) => [s.code, s.name]))
  const values = any
    ? await db.selectFrom('indicator_values as v').innerJoin('integration_systems as s', 's.id', 'v.system_id').select(['s.code as system', 'v.code', 'v.subject', 'v.value', 'v.received_at', 'v.updated_at']).where('v.period_start', '=', periodStart).where('v.period_end', '=', periodEnd).execute()
    : []
  const late = any
    ? await db.selectFrom('indicator_late_rows as l').innerJoin('integration_systems as s', 's.id', 'l.system_id').select(['s.code as system', 'l.code', 'l.subject', 'l.value', 'l.at']).where('l.period_start', '=', periodStart).where('l.period_end', '=', periodEnd).orderBy('l.id').execute()
    : []
  const staff = any ? new Map((await db.selectFrom('staff as s').leftJoin('units as u', 'u.id', 's.unit_id').select(['s.id', 's.full_name', 's.username', 'u.name as unit_name']).where(sql<boolean>`s.id = any(${[...new Set(members.map((m) => m.staffId))]}::int[])`).execute()).map((s) => [s.id, s])) : new Map()
  const unitRows = any ? new Map((await db.selectFrom('units').select(['id', 'code', 'name']).execute()).map((u) => [u.id, u])) : new Map()
  const nameOf = (subject: string): SubjectName => {
    const [kind, raw] = subject.split(':') as [string, string]
    const id = Number(raw)
    if (kind === 'staff') {
      const s = staff.get(id)
      return { subject, name: s?.full_name ?? subject, handle: s?.username ?? '', unitName: s?.unit_name ?? null }
    }
    const u = unitRows.get(id)
    return { subject, name: u?.name ?? subject, handle: u?.code ?? '', unitName: u?.name ?? null }
  }
  return coverage({
    periodStart,
    periodEnd,
    members,
    declared,
    values: values.map((v) => ({ system: v.system, code: v.code, subject: v.subject, value: v.value, receivedAt: v.received_at, updatedAt: v.updated_at })),
    late: late.map((l) => ({ system: l.system, code: l.code, subject: l.subject, value: l.value, at: l.at })),
    systemName: (code) => systems.get(code) ?? null,
    nameOf,
    now,
  })
}

/** The newest published version of each rule set that declares whom it applies to (as a launch picks them). */
async function assignableRuleSets(db: Db): Promise<Assignable[]> {
  const rows = await db.selectFrom('rulesets').select(['id', 'code', 'definition']).where('status', '=', 'published').orderBy('version', 'desc').execute()
  const newest = new Map<string, (typeof rows)[number]>()
  for (const r of rows) if (!newest.has(r.code)) newest.set(r.code, r)
  return [...newest.values()].flatMap((r) => {
    const def = r.definition as { appliesTo?: Assignable['appliesTo'] }
    return def.appliesTo && Object.keys(def.appliesTo).length ? [{ id: r.id, appliesTo: def.appliesTo }] : []
  })
}
