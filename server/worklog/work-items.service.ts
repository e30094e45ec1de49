import { sql } from 'kysely'
import { z } from 'zod'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { WorkItemSourceColumns } from '../db/schema.integrations.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import type { SessionUser } from '../http/context.js'
import { dbId } from '../http/schemas.js'
import { isoDate } from './catalogue.repo.js'
import { planRecord, type RecordContext } from './work-item.record.js'
import { workLogAccess } from './work-items.access.js'
import { batched } from './batched.js'
import { insertWorkItems, readRecordContexts, type NewWorkItem, type RecordAsk, type WorkItemRow, type WorkItemView } from './work-items.repo.js'

export const createInput = z
  .object({
    /** Omitted: the signed-in user's own item. */
    staffId: dbId.optional(),
    productCode: z.string().min(1).max(40),
    title: z.string().trim().max(300).optional(),
    quantity: z.number().gt(0, 'phải lớn hơn 0 / must be greater than 0').max(10_000),
    assignedOn: isoDate,
    dueOn: isoDate,
    /** For one's own items: planned (from the catalogue) or arising (the unit head must accept it). */
    kind: z.enum(['assigned', 'planned', 'arising']).optional(),
  })
  .refine((v) => v.dueOn >= v.assignedOn, { message: 'hạn phải sau ngày giao / due date before assignment', path: ['dueOn'] })

export const updateInput = z
  .object({
    progress: z.object({ date: isoDate, hours: z.number().min(0).max(24), doneQuantity: z.number().min(0).max(10_000).optional(), note: z.string().max(1000).optional() }).optional(),
    complete: z.object({ date: isoDate, doneQuantity: z.number().min(0).max(10_000), hours: z.number().min(0).max(24).optional(), note: z.string().max(1000).optional() }).optional(),
    /** The version the client last saw: a concurrent change answers 409 instead of being overwritten. */
    expectedVersion: z.number().int().min(0).optional(),
  })
  .refine((v) => Boolean(v.progress) !== Boolean(v.complete), { message: 'gửi progress hoặc complete / send progress or complete' })

export const confirmInput = z.object({
  qualityFailures: z.array(z.object({ reason: z.string().trim().min(3).max(1000) })).max(100).default([]),
})
export const reasonInput = z.object({ reason: z.string().trim().min(3).max(1000) })
export const extendInput = z.object({ until: isoDate, reason: z.string().trim().min(3).max(1000) })

/**
 * Records a work item: the unit head assigns, a staff member plans or declares an arising task.
 * One read of what the rules check (planRecord), then the write of the item with its audit event;
 * each goes in one statement with those of concurrent requests (see recording()).
 */
export async function createWorkItem(db: Db, user: SessionUser, input: z.infer<typeof createInput>): Promise<WorkItemView> {
  const { read, write } = recording(db)
  const plan = planRecord(user, input, await read({ userId: user.id, staffId: input.staffId ?? user.id, productCode: input.productCode, on: input.assignedOn }))
  const row = await write({ actorId: user.id, plan, input, auditData: { ...input, kind: plan.kind } })
  return { ...row, full_name: plan.staffName, product_name: plan.product.name, k: plan.product.k }
}

interface Recording {
  read: (ask: RecordAsk) => Promise<RecordContext>
  write: (item: NewWorkItem) => Promise<WorkItemRow>
}
const recorders = new WeakMap<Db, Recording>()

/**
 * The database's batched reads and writes for recording items. Every item's audit event queues on
 * the audit chain's one lock until its commit is on disk, so concurrent items are written as one
 * statement (group commit); their reads go together too, so they do not queue one by one for the
 * pool. A batch the database refuses as a whole (a constraint, bad data such as a NUL in a text: nothing
 * written) is retried item by item, so only the bad item's request fails.
 */
function recording(db: Db): Recording {
  let r = recorders.get(db)
  if (!r) {
    r = {
      read: batched((asks: RecordAsk[]) => readRecordContexts(db, asks), { inFlight: 2, retryAlone: isStatementRefusal }),
      write: batched((items: NewWorkItem[]) => insertWorkItems(db, items), { inFlight: 2, retryAlone: isStatementRefusal }),
    }
    recorders.set(db, r)
  }
  return r
}

/** PostgreSQL refused the statement itself (data exception, integrity constraint): it wrote nothing. */
function isStatementRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^(22|23)/.test(code)
}

/** The owner's progress (hours, quantity so far) or completion. Confirmed items are closed. */
export async function updateWorkItem(db: Db, user: SessionUser, id: number, input: z.infer<typeof updateInput>): Promise<WorkItemRow> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, id)
    if (item.staff_id !== user.id) throw forbidden('Chỉ người thực hiện cập nhật tiến độ.', 'Only the assignee updates progress.')
    if (item.source_system_id) throw systemItem()
    if (item.status !== 'OPEN') throw new ApiError(409, 'WRONG_STAGE', `Việc đang ở trạng thái ${item.status}: không cập nhật được.`, `The item is ${item.status}: it cannot be updated.`)
    if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) throw new ApiError(409, 'CONFLICT', 'Việc vừa được cập nhật ở nơi khác; hãy tải lại.', 'The item was just changed elsewhere; reload it.')
    const step = input.progress ?? input.complete!
    if (step.date < item.assigned_on) {
      throw new ApiError(400, 'DATE_BEFORE_ASSIGNMENT', `Ngày ${step.date} trước ngày giao việc ${item.assigned_on}.`, `${step.date} is before the assignment date ${item.assigned_on}.`)
    }
    const hours = ('hours' in step ? step.hours : 0) ?? 0
    const done = step.doneQuantity ?? item.done_quantity
    const row = await trx
      .updateTable('work_items')
      .set({
        hours: sql`hours + ${hours}`,
        done_quantity: done,
        ...(input.complete ? { status: 'DONE', completed_on: input.complete.date } : {}),
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx.insertInto('work_item_updates').values({ work_item_id: id, kind: input.complete ? 'complete' : 'progress', on_date: step.date, hours, done_quantity: step.doneQuantity ?? null, note: step.note ?? null, by_id: user.id }).execute()
    return row
  })
}

/** The unit head's decisions: confirm (with quality failures), accept or reject an arising task, extend a deadline. */
export async function decideWorkItem(
  db: Db,
  user: SessionUser,
  id: number,
  decision: { kind: 'confirm'; failures: { reason: string }[] } | { kind: 'accept' } | { kind: 'reject'; reason: string } | { kind: 'extend'; until: string; reason: string },
): Promise<WorkItemRow> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, id)
    const access = await workLogAccess(trx, user)
    if (item.staff_id === user.id) throw forbidden('Không tự xác nhận việc của chính mình.', 'Nobody confirms their own work.')
    if (!(access.reads === 'all' || access.heads.has(item.unit_id))) throw forbidden('Chỉ trưởng đơn vị của người thực hiện mới xác nhận.', "Only the assignee's unit head decides.")
    // The system that sent the task owns its deadline; the unit head still confirms its quality.
    if (item.source_system_id && decision.kind === 'extend') throw systemItem()
    const expected = { confirm: 'DONE', accept: 'PROPOSED', reject: 'PROPOSED', extend: 'OPEN' }[decision.kind]
    if (item.status !== expected) throw new ApiError(409, 'WRONG_STAGE', `Việc đang ở trạng thái ${item.status}.`, `The item is ${item.status}, expected ${expected}.`)
    const today = new Date().toISOString().slice(0, 10)
    let set: Partial<Record<keyof WorkItemRow, unknown>>
    if (decision.kind === 'confirm') set = { status: 'CONFIRMED', quality_failures: decision.failures.length, confirmed_by: user.id, confirmed_at: new Date() }
    else if (decision.kind === 'accept') set = { status: 'OPEN' }
    else if (decision.kind === 'reject') set = { status: 'REJECTED' }
    else {
      if (decision.until <= (item.extended_to ?? item.due_on)) throw new ApiError(400, 'VALIDATION_FAILED', 'Hạn mới phải sau hạn hiện tại.', 'The new deadline must be after the current one.')
      set = { extended_to: decision.until }
    }
    const row = await trx.updateTable('work_items').set({ ...set, version: sql`version + 1` } as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    const reason = 'reason' in decision ? decision.reason : null
    await trx.insertInto('work_item_updates').values({ work_item_id: id, kind: decision.kind, on_date: today, note: reason, by_id: user.id }).execute()
    if (decision.kind === 'confirm') {
      for (const f of decision.failures) await trx.insertInto('work_item_updates').values({ work_item_id: id, kind: 'qualityFailure', on_date: today, note: f.reason, by_id: user.id }).execute()
    }
    await appendAudit(trx, { actor_id: user.id, entity: 'work_item', entity_id: String(id), action: decision.kind, reason, data: decision.kind === 'confirm' ? { qualityFailures: decision.failures } : decision.kind === 'extend' ? { until: decision.until } : null })
    return row
  })
}

/** 409: the item came from a connected system (e-Office…), which alone changes it. */
const systemItem = () =>
  new ApiError(409, 'SYSTEM_ITEM_READ_ONLY', 'Việc này được đồng bộ từ hệ thống giao việc; hãy cập nhật trên hệ thống đó.', 'This task comes from the task-assignment system; update it there.')

async function lockItem(db: Db, id: number): Promise<WorkItemRow & { source_system_id: number | null }> {
  const item = await db.withTables<WorkItemSourceColumns>().selectFrom('work_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (!item) throw notFound('công việc / work item', id)
  return item
}
