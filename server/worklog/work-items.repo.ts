import { sql, type Selectable } from 'kysely'
import type { Db } from '../db/database.js'
import type { WorkItemTable } from '../db/schema.js'
import type { RecordContext, RecordPlan } from './work-item.record.js'

export type WorkItemRow = Selectable<WorkItemTable>

/** A work item with the names its views show (as the item list joins them). */
export type WorkItemView = WorkItemRow & { full_name: string; product_name: string; k: number }

/** What one recording asks: who records, for whom, which product on which date. */
export interface RecordAsk {
  userId: number
  staffId: number
  productCode: string
  on: string
}

/**
 * Everything recording items checks, for several at once in one statement: each active staff
 * member, whether the user is the recorded head of their unit, and the product's version valid
 * on the assignment date (by its code). One context per ask, in order.
 */
export async function readRecordContexts(db: Db, asks: RecordAsk[]): Promise<RecordContext[]> {
  const values = asks.map((a, ord) => sql`(${ord}::integer, ${a.userId}::integer, ${a.staffId}::integer, ${a.productCode}::text, ${a.on}::date)`)
  const { rows } = await sql<{ ord: number; id: number | null; unit_id: number | null; position_code: string | null; full_name: string | null; heads_unit: boolean; product_id: number | null; code: string | null; name: string | null; k: number | null; position_codes: string[] | null }>`
    select v.ord, s.id, s.unit_id, s.position_code, s.full_name,
      exists (select 1 from units u where u.id = s.unit_id and u.head_id = v.user_id) as heads_unit,
      p.id as product_id, p.code, p.name, p.k, p.position_codes
    from (values ${sql.join(values)}) as v (ord, user_id, staff_id, product_code, on_date)
    left join staff s on s.id = v.staff_id and s.active
    left join lateral (
      select id, code, name, k, position_codes from catalogue_products
      where code = v.product_code and valid_from <= v.on_date and (valid_to is null or valid_to >= v.on_date)
      order by valid_from desc limit 1
    ) p on true`.execute(db)
  const contexts = new Array<RecordContext>(asks.length)
  for (const r of rows) {
    contexts[r.ord] = {
      staff: r.id === null ? undefined : { id: r.id, unitId: r.unit_id, positionCode: r.position_code, fullName: r.full_name! },
      headsUnit: r.heads_unit,
      product: r.product_id === null ? undefined : { id: r.product_id, code: r.code!, name: r.name!, k: r.k!, positions: r.position_codes! },
    }
  }
  return contexts
}

/** One item to record, as planned, with its audit event's actor and data. */
export interface NewWorkItem {
  actorId: number
  plan: RecordPlan
  input: { title?: string | undefined; quantity: number; assignedOn: string; dueOn: string }
  auditData: Record<string, unknown>
}

/**
 * Inserts items and their audit events in one statement (one implicit transaction, one round trip),
 * returning the rows in the order given. Ids are drawn first, so each audit event names its own
 * item whatever order the rows are written in. The audit events are inserted last and the statement
 * commits at once: the audit chain's lock (taken by its trigger, held to commit, system-wide) is
 * never held across a round trip, and it is taken once for the whole group.
 */
export async function insertWorkItems(db: Db, items: NewWorkItem[]): Promise<WorkItemRow[]> {
  const values = items.map(
    (e, ord) =>
      sql`(${ord}::integer, ${e.plan.staffId}::integer, ${e.plan.unitId}::integer, ${e.plan.product.id}::integer, ${e.plan.product.code}::text, ${e.input.title ?? null}::text, ${e.plan.kind}::text, ${e.plan.status}::text, ${e.input.quantity}::float8, ${e.input.assignedOn}::date, ${e.input.dueOn}::date, ${e.actorId}::integer, ${JSON.stringify(e.auditData)}::jsonb)`,
  )
  const result = await sql<WorkItemRow & { ord: number }>`
    with d as materialized (
      select nextval(pg_get_serial_sequence('work_items', 'id'))::integer as id, v.*
      from (values ${sql.join(values)}) as v (ord, staff_id, unit_id, product_id, product_code, title, kind, status, quantity, assigned_on, due_on, actor_id, data)
    ), w as (
      insert into work_items (id, staff_id, unit_id, product_id, product_code, title, kind, status, quantity, assigned_on, due_on, created_by)
      select id, staff_id, unit_id, product_id, product_code, title, kind, status, quantity, assigned_on, due_on, actor_id from d order by ord
      returning *
    ), a as (
      insert into audit_events (actor_id, entity, entity_id, action, reason, data)
      select d.actor_id, 'work_item', d.id::text, 'create', null, d.data from w join d on d.id = w.id order by d.ord
    )
    select w.*, d.ord from w join d on d.id = w.id`.execute(db)
  const rows: WorkItemRow[] = new Array<WorkItemRow>(items.length)
  for (const { ord, ...row } of result.rows) rows[ord] = row
  return rows
}
