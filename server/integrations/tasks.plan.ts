import { z } from 'zod'
import type { RejectedRow } from '../db/schema.integrations.js'
import type { WorkItemStatus } from '../db/schema.js'
import { isoDate, isForPosition, type Product } from '../worklog/catalogue.repo.js'

/** Task states a task-assignment system sends, and the work-log state each becomes. */
export const TASK_STATUSES = ['assigned', 'in_progress', 'done', 'extended', 'cancelled'] as const

/** One task from a system (JSON body, or a CSV/XLSX row with the same column names). */
export const taskRow = z
  .object({
    externalId: z.string().trim().min(1).max(100),
    /** The assignee: personal ID (12 digits) or username; the personal ID wins when both are sent. */
    personalId: z.string().trim().regex(/^\d{12}$/, '12 chữ số / 12 digits').optional(),
    username: z.string().trim().min(1).max(60).optional(),
    productCode: z.string().trim().min(1).max(40),
    title: z.string().trim().max(300).optional(),
    quantity: z.number().gt(0).max(10_000),
    doneQuantity: z.number().min(0).max(10_000).optional(),
    assignedOn: isoDate,
    dueOn: isoDate,
    completedOn: isoDate.optional(),
    extendedTo: isoDate.optional(),
    status: z.enum(TASK_STATUSES),
  })
  .refine((t) => t.personalId || t.username, { message: 'cần personalId hoặc username / personalId or username required', path: ['personalId'] })
  .refine((t) => t.dueOn >= t.assignedOn, { message: 'hạn trước ngày giao / due before assignment', path: ['dueOn'] })
  .refine((t) => t.status !== 'done' || t.completedOn, { message: 'việc đã xong cần completedOn / a done task needs completedOn', path: ['completedOn'] })
  .refine((t) => !t.completedOn || t.completedOn >= t.assignedOn, { message: 'ngày xong trước ngày giao / completed before assignment', path: ['completedOn'] })
  .refine((t) => t.status !== 'extended' || (t.extendedTo && t.extendedTo > t.dueOn), { message: 'việc gia hạn cần extendedTo sau dueOn / an extended task needs extendedTo after dueOn', path: ['extendedTo'] })
export type TaskRow = z.infer<typeof taskRow>

/** What the plan needs to know about the people and products a batch names. */
export interface TaskLookups {
  person(row: TaskRow): { id: number; unitId: number | null; positionCode: string | null } | undefined
  /** The product's version valid on the assignment date. */
  product(code: string, on: string): Pick<Product, 'id' | 'code' | 'positions'> | undefined
  /** The item this system already sent under the external id. */
  existing(externalId: string): ExistingItem | undefined
}

export interface ExistingItem {
  id: number
  status: WorkItemStatus
  fields: ItemFields
}

/** The work-item columns a task decides. */
export interface ItemFields {
  staff_id: number
  unit_id: number
  product_id: number
  product_code: string
  title: string | null
  quantity: number
  done_quantity: number
  assigned_on: string
  due_on: string
  extended_to: string | null
  completed_on: string | null
  status: WorkItemStatus
}

export type TaskDecision = { kind: 'insert'; row: number; task: TaskRow; fields: ItemFields } | { kind: 'update'; row: number; task: TaskRow; id: number; fields: ItemFields; changed: string[] } | { kind: 'unchanged'; row: number; id: number; externalId: string }

const STATE: Record<TaskRow['status'], WorkItemStatus> = { assigned: 'OPEN', in_progress: 'OPEN', extended: 'OPEN', done: 'DONE', cancelled: 'REJECTED' }

const reject = (row: number, externalId: string | null, code: string, vi: string, en: string): RejectedRow => ({ row, externalId, code, message: vi, messageEn: en })

/**
 * Decides each row of a batch (pure): a new item, an update that moves the existing one (done,
 * extended, cancelled…), nothing when it is unchanged (an idempotent replay), or a refusal with its
 * reason. A refused row writes nothing; the others are written whole.
 */
export function planTasks(rows: unknown[], lookups: TaskLookups): { decisions: TaskDecision[]; rejected: RejectedRow[] } {
  const decisions: TaskDecision[] = []
  const rejected: RejectedRow[] = []
  const seen = new Set<string>()
  rows.forEach((raw, i) => {
    const row = i + 1
    const parsed = taskRow.safeParse(raw)
    const externalId = typeof (raw as { externalId?: unknown } | null)?.externalId === 'string' ? ((raw as { externalId: string }).externalId) : null
    if (!parsed.success) {
      const list = parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ')
      rejected.push(reject(row, externalId, 'VALIDATION_FAILED', `Dòng không hợp lệ: ${list}`, `Invalid row: ${list}`))
      return
    }
    const task = parsed.data
    if (seen.has(task.externalId)) {
      rejected.push(reject(row, task.externalId, 'DUPLICATE_IN_BATCH', `Mã ${task.externalId} xuất hiện nhiều lần trong lô.`, `${task.externalId} appears more than once in the batch.`))
      return
    }
    seen.add(task.externalId)
    const who = task.personalId ?? task.username!
    const person = lookups.person(task)
    if (!person) {
      rejected.push(reject(row, task.externalId, 'UNKNOWN_PERSON', `Không có cán bộ đang làm việc với ${task.personalId ? 'số định danh' : 'tên đăng nhập'} ${who}.`, `No active staff member with ${task.personalId ? 'personal ID' : 'username'} ${who}.`))
      return
    }
    if (person.unitId === null) {
      rejected.push(reject(row, task.externalId, 'UNKNOWN_PERSON', `Cán bộ ${who} chưa thuộc đơn vị nào.`, `Staff member ${who} belongs to no unit.`))
      return
    }
    const product = lookups.product(task.productCode, task.assignedOn)
    if (!product) {
      rejected.push(reject(row, task.externalId, 'UNKNOWN_PRODUCT', `Không có sản phẩm mã ${task.productCode} trong danh mục ngày ${task.assignedOn}.`, `No product ${task.productCode} in the catalogue on ${task.assignedOn}.`))
      return
    }
    if (!isForPosition(product, person.positionCode)) {
      rejected.push(reject(row, task.externalId, 'PRODUCT_NOT_FOR_POSITION', `Sản phẩm ${product.code} không thuộc vị trí việc làm của cán bộ ${who}.`, `Product ${product.code} is not for the job position of ${who}.`))
      return
    }
    const status = STATE[task.status]
    const fields: ItemFields = {
      staff_id: person.id,
      unit_id: person.unitId,
      product_id: product.id,
      product_code: product.code,
      title: task.title ?? null,
      quantity: task.quantity,
      done_quantity: task.doneQuantity ?? (status === 'DONE' ? task.quantity : 0),
      assigned_on: task.assignedOn,
      due_on: task.dueOn,
      extended_to: task.extendedTo ?? null,
      completed_on: status === 'DONE' ? task.completedOn! : null,
      status,
    }
    const existing = lookups.existing(task.externalId)
    if (!existing) return void decisions.push({ kind: 'insert', row, task, fields })
    // A confirmed item is closed by the unit head: the system can no longer move it.
    const current: ItemFields = existing.status === 'CONFIRMED' ? { ...existing.fields, status: 'DONE' } : existing.fields
    const changed = (Object.keys(fields) as (keyof ItemFields)[]).filter((k) => fields[k] !== current[k])
    if (!changed.length) return void decisions.push({ kind: 'unchanged', row, id: existing.id, externalId: task.externalId })
    if (existing.status === 'CONFIRMED') {
      rejected.push(reject(row, task.externalId, 'ITEM_CONFIRMED', `Việc ${task.externalId} đã được trưởng đơn vị xác nhận hoàn thành; không thay đổi được (${changed.join(', ')}).`, `Task ${task.externalId} was confirmed by the unit head; it cannot change (${changed.join(', ')}).`))
      return
    }
    decisions.push({ kind: 'update', row, task, id: existing.id, fields, changed })
  })
  return { decisions, rejected }
}

/** A CSV/XLSX row (text cells) as a task: numbers with a decimal comma or point, empty cells omitted. */
export function taskFromCells(r: Record<string, string>): Record<string, unknown> {
  const text = (k: string) => (r[k] ? r[k] : undefined)
  const num = (k: string) => (r[k] ? Number(r[k].replace(',', '.')) : undefined)
  const out: Record<string, unknown> = {
    externalId: text('externalId'),
    personalId: text('personalId'),
    username: text('username'),
    productCode: text('productCode'),
    title: text('title'),
    quantity: num('quantity'),
    doneQuantity: num('doneQuantity'),
    assignedOn: text('assignedOn'),
    dueOn: text('dueOn'),
    completedOn: text('completedOn'),
    extendedTo: text('extendedTo'),
    status: text('status'),
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined))
}
