import { sql } from 'kysely'
import { appendAuditMany } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { RejectedRow, WorkItemSourceColumns } from '../db/schema.integrations.js'
import { planTasks, taskRow, type ExistingItem, type TaskLookups } from './tasks.plan.js'
import type { Caller } from './systems.repo.js'

export interface TaskBatchResult {
  rows: number
  created: number
  updated: number
  unchanged: number
  rejected: RejectedRow[]
  /** The work items of the accepted rows, by external id. */
  items: { externalId: string; workItemId: number | null; outcome: 'created' | 'updated' | 'unchanged' | 'dryRun' }[]
}

/**
 * Upserts a batch of tasks from a system as work items (kind `assigned`), keyed by (system,
 * external id): one read of everything the rows name, then one transaction writing the accepted
 * rows and their audit events. A row refused (unknown person or product, bad data, an item the
 * unit head already confirmed) writes nothing and is listed with its reason.
 */
export async function ingestTasks(db: Db, caller: Pick<Caller, 'systemId' | 'systemCode' | 'ownerId'>, rows: unknown[], options: { dryRun?: boolean } = {}): Promise<TaskBatchResult> {
  const lookups = await readLookups(db, caller.systemId, rows)
  const { decisions, rejected } = planTasks(rows, lookups)
  const result: TaskBatchResult = { rows: rows.length, created: 0, updated: 0, unchanged: 0, rejected, items: [] }
  if (options.dryRun) {
    for (const d of decisions) result.items.push({ externalId: d.kind === 'unchanged' ? d.externalId : d.task.externalId, workItemId: d.kind === 'insert' ? null : d.id, outcome: 'dryRun' })
    return result
  }
  const typed = db.withTables<WorkItemSourceColumns>()
  await typed.transaction().execute(async (trx) => {
    const audits: Parameters<typeof appendAuditMany>[1] = []
    for (const d of decisions) {
      if (d.kind === 'unchanged') {
        result.unchanged++
        result.items.push({ externalId: d.externalId, workItemId: d.id, outcome: 'unchanged' })
        continue
      }
      if (d.kind === 'insert') {
        const row = await trx
          .insertInto('work_items')
          .values({ ...d.fields, kind: 'assigned', created_by: caller.ownerId, source_system_id: caller.systemId, external_id: d.task.externalId })
          .returning('id')
          .executeTakeFirstOrThrow()
        result.created++
        result.items.push({ externalId: d.task.externalId, workItemId: row.id, outcome: 'created' })
        audits.push({ actor_id: null, entity: 'work_item', entity_id: String(row.id), action: 'systemCreate', reason: null, data: { system: caller.systemCode, ...d.task } })
      } else {
        await trx.updateTable('work_items').set({ ...d.fields, version: sql`version + 1` }).where('id', '=', d.id).execute()
        result.updated++
        result.items.push({ externalId: d.task.externalId, workItemId: d.id, outcome: 'updated' })
        audits.push({ actor_id: null, entity: 'work_item', entity_id: String(d.id), action: 'systemUpdate', reason: null, data: { system: caller.systemCode, changed: d.changed, ...d.task } })
      }
    }
    // Audit last: the chain's lock is then held only to the commit.
    await appendAuditMany(trx as unknown as Db, audits)
  })
  return result
}

/** The people, product versions and existing items a batch names, in three statements. */
async function readLookups(db: Db, systemId: number, rows: unknown[]): Promise<TaskLookups> {
  const tasks = rows.flatMap((r) => {
    const p = taskRow.safeParse(r)
    return p.success ? [p.data] : []
  })
  const personalIds = [...new Set(tasks.flatMap((t) => (t.personalId ? [t.personalId] : [])))]
  const usernames = [...new Set(tasks.flatMap((t) => (!t.personalId && t.username ? [t.username] : [])))]
  const people = personalIds.length || usernames.length
    ? await db
        .selectFrom('staff')
        .select(['id', 'username', 'personal_id', 'unit_id', 'position_code'])
        .where('active', '=', true)
        .where((eb) => eb.or([...(personalIds.length ? [eb(sql<boolean>`personal_id = any(${personalIds}::text[])`, '=', true)] : []), ...(usernames.length ? [eb(sql<boolean>`username = any(${usernames}::text[])`, '=', true)] : [])]))
        .execute()
    : []
  const byPersonalId = new Map(people.flatMap((p) => (p.personal_id ? [[p.personal_id, p] as const] : [])))
  const byUsername = new Map(people.map((p) => [p.username, p]))
  const codes = [...new Set(tasks.map((t) => t.productCode))]
  const versions = codes.length ? await db.selectFrom('catalogue_products').select(['id', 'code', 'position_codes', 'valid_from', 'valid_to']).where('code', 'in', codes).orderBy('valid_from', 'desc').execute() : []
  const externalIds = [...new Set(tasks.map((t) => t.externalId))]
  const typed = db.withTables<WorkItemSourceColumns>()
  const items = externalIds.length
    ? await typed
        .selectFrom('work_items')
        .select(['id', 'external_id', 'status', 'staff_id', 'unit_id', 'product_id', 'product_code', 'title', 'quantity', 'done_quantity', 'assigned_on', 'due_on', 'extended_to', 'completed_on'])
        .where('source_system_id', '=', systemId)
        .where(sql<boolean>`external_id = any(${externalIds}::text[])`)
        .execute()
    : []
  const existing = new Map<string, ExistingItem>(items.map(({ id, external_id, ...fields }) => [external_id!, { id, status: fields.status, fields }]))
  return {
    person: (t) => {
      const p = t.personalId ? byPersonalId.get(t.personalId) : byUsername.get(t.username!)
      return p && { id: p.id, unitId: p.unit_id, positionCode: p.position_code }
    },
    product: (code, on) => {
      const v = versions.find((x) => x.code === code && x.valid_from <= on && (x.valid_to === null || x.valid_to >= on))
      return v && { id: v.id, code: v.code, positions: v.position_codes }
    },
    existing: (externalId) => existing.get(externalId),
  }
}
