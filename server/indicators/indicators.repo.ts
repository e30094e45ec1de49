import { sql } from 'kysely'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { Caller } from '../integrations/systems.repo.js'
import { declaredIndicators, indicatorKey, type DeclaredIndicator } from './declarations.js'
import { indicatorRow, planIndicators, valueKeyOf, type IndicatorLookups, type IndicatorRejectedRow } from './indicators.plan.js'

export interface IndicatorBatchResult {
  rows: number
  created: number
  updated: number
  unchanged: number
  /** Refused rows, late ones (409 PERIOD_LOCKED) included. */
  rejected: IndicatorRejectedRow[]
}

/** The indicators the published rule sets declare, by `system/code`. */
export async function publishedDeclarations(db: Db): Promise<Map<string, DeclaredIndicator>> {
  const rows = await db.selectFrom('rulesets').select(['id', 'definition']).where('status', '=', 'published').orderBy('id').execute()
  return declaredIndicators(rows.map((r) => ({ id: r.id, definition: r.definition as RuleSetDefinition })))
}

/**
 * Upserts a batch of indicator values from a system, keyed by (system, code, subject, period): one
 * read of everything the rows name, then one transaction writing the accepted rows, the late ones
 * (for the admin's list) and one audit event for the batch. Rows are independent: a refused row
 * writes nothing and is listed with its reason; the accepted ones are written whole or not at all.
 */
export async function ingestIndicators(db: Db, caller: Pick<Caller, 'systemId' | 'systemCode'>, rows: unknown[], now = new Date()): Promise<IndicatorBatchResult> {
  const lookups = await readLookups(db, caller, rows)
  const { decisions, rejected } = planIndicators(rows, lookups, now)
  const result: IndicatorBatchResult = { rows: rows.length, created: 0, updated: 0, unchanged: 0, rejected }
  const changes: Record<string, unknown>[] = []
  await db.transaction().execute(async (trx) => {
    for (const d of decisions) {
      const f = d.fields
      if (d.kind === 'unchanged') {
        result.unchanged++
        continue
      }
      if (d.kind === 'late') {
        await trx
          .insertInto('indicator_late_rows')
          .values({ system_id: caller.systemId, code: f.code, subject: f.subject, period_start: f.periodStart, period_end: f.periodEnd, value: f.value, closed_at: d.closedAt })
          .onConflict((oc) => oc.columns(['system_id', 'code', 'subject', 'period_start', 'period_end', 'value']).doNothing())
          .execute()
        changes.push({ row: d.row, code: f.code, subject: f.subject, period: [f.periodStart, f.periodEnd], late: f.value })
        continue
      }
      // An upsert even for a planned insert: a concurrent batch may have written the key meanwhile.
      await trx
        .insertInto('indicator_values')
        .values({ system_id: caller.systemId, code: f.code, subject: f.subject, staff_id: f.staffId, unit_id: f.unitId, period_start: f.periodStart, period_end: f.periodEnd, value: f.value, note: f.note, received_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['system_id', 'code', 'subject', 'period_start', 'period_end']).doUpdateSet({ value: f.value, note: f.note, updated_at: now, version: sql`indicator_values.version + 1` }))
        .execute()
      if (d.kind === 'insert') result.created++
      else result.updated++
      changes.push({ row: d.row, code: f.code, subject: f.subject, period: [f.periodStart, f.periodEnd], value: f.value, ...(d.kind === 'update' ? { before: d.before } : {}) })
    }
    if (changes.length) {
      await appendAudit(trx, { actor_id: null, entity: 'integration', entity_id: `system:${caller.systemId}`, action: 'indicators', reason: null, data: { system: caller.systemCode, created: result.created, updated: result.updated, unchanged: result.unchanged, rejected: rejected.length, changes } })
    }
  })
  return result
}

/** The declarations, people, units and existing values a batch names, in four statements. */
async function readLookups(db: Db, caller: Pick<Caller, 'systemId' | 'systemCode'>, rows: unknown[]): Promise<IndicatorLookups> {
  const parsed = rows.flatMap((r) => {
    const p = indicatorRow.safeParse(r)
    return p.success ? [p.data] : []
  })
  const declared = await publishedDeclarations(db)
  const personalIds = [...new Set(parsed.flatMap((r) => (r.personalId ? [r.personalId] : [])))]
  const usernames = [...new Set(parsed.flatMap((r) => (!r.personalId && r.username ? [r.username] : [])))]
  const people = personalIds.length || usernames.length
    ? await db
        .selectFrom('staff')
        .select(['id', 'username', 'personal_id'])
        .where('active', '=', true)
        .where((eb) => eb.or([...(personalIds.length ? [eb(sql<boolean>`personal_id = any(${personalIds}::text[])`, '=', true)] : []), ...(usernames.length ? [eb(sql<boolean>`username = any(${usernames}::text[])`, '=', true)] : [])]))
        .execute()
    : []
  const byPersonalId = new Map(people.flatMap((p) => (p.personal_id ? [[p.personal_id, p] as const] : [])))
  const byUsername = new Map(people.map((p) => [p.username, p]))
  const unitCodes = [...new Set(parsed.flatMap((r) => (r.unitCode ? [r.unitCode] : [])))]
  const units = new Map(unitCodes.length ? (await db.selectFrom('units').select(['id', 'code']).where('code', 'in', unitCodes).execute()).map((u) => [u.code, u]) : [])
  const codes = [...new Set(parsed.map((r) => r.indicatorCode))]
  const values = codes.length
    ? await db.selectFrom('indicator_values').select(['id', 'code', 'subject', 'period_start', 'period_end', 'value', 'note']).where('system_id', '=', caller.systemId).where('code', 'in', codes).execute()
    : []
  const existing = new Map(values.map((v) => [valueKeyOf({ code: v.code, subject: v.subject, periodStart: v.period_start, periodEnd: v.period_end }), v]))
  return {
    indicator: (code) => declared.get(indicatorKey(caller.systemCode, code)),
    person: (r) => {
      const p = r.personalId ? byPersonalId.get(r.personalId) : byUsername.get(r.username!)
      return p && { id: p.id }
    },
    unit: (code) => units.get(code),
    existing: (key) => existing.get(valueKeyOf(key)),
  }
}
