import { ApiError, forbidden, notFound } from '../errors.js'
import type { SessionUser } from '../http/context.js'
import { isForPosition, type Product } from './catalogue.repo.js'

export type WorkItemKind = 'assigned' | 'planned' | 'arising'

/** What recording an item needs to know, read in one statement (work-items.repo.ts recordContext). */
export interface RecordContext {
  /** The active staff member the item is for; undefined when there is none. */
  staff: { id: number; unitId: number | null; positionCode: string | null; fullName: string } | undefined
  /** Whether the user is the recorded head of that staff member's unit. */
  headsUnit: boolean
  /** The product's version valid on the assignment date; undefined when the catalogue has none. */
  product: Pick<Product, 'id' | 'code' | 'name' | 'k' | 'positions'> | undefined
}

export interface RecordPlan {
  staffId: number
  staffName: string
  unitId: number
  kind: WorkItemKind
  status: 'OPEN' | 'PROPOSED'
  product: NonNullable<RecordContext['product']>
}

/**
 * Who may record which item (pure): the unit head assigns to their staff; a staff member plans
 * their own items or declares an arising task, which waits for the head's acceptance. The product
 * must be in the catalogue on the assignment date and be for the staff member's position.
 */
export function planRecord(user: SessionUser, input: { staffId?: number; productCode: string; assignedOn: string; kind?: WorkItemKind }, ctx: RecordContext): RecordPlan {
  const staffId = input.staffId ?? user.id
  const { staff, product } = ctx
  if (!staff) throw notFound('cán bộ / staff member', staffId)
  if (staff.unitId === null) throw new ApiError(400, 'VALIDATION_FAILED', 'Cán bộ chưa thuộc đơn vị nào.', 'The staff member belongs to no unit.')
  const own = staffId === user.id
  // The same heads as workLogAccess: admins, the unit's recorded head, a unit head of their own unit.
  const isHead = user.roles.includes('admin') || ctx.headsUnit || (user.roles.includes('unit_head') && user.unitId === staff.unitId)
  if (!own && !isHead) throw forbidden('Chỉ trưởng đơn vị giao việc cho cán bộ của đơn vị mình.', 'Only the unit head assigns work to their staff.')
  const kind = input.kind ?? (own ? 'planned' : 'assigned')
  if (kind === 'assigned' && (own || !isHead)) throw new ApiError(400, 'VALIDATION_FAILED', 'Việc "được giao" do trưởng đơn vị giao cho người khác.', '"Assigned" items are given by the unit head to someone else.')
  if (!own && kind !== 'assigned') throw new ApiError(400, 'VALIDATION_FAILED', 'Việc giao cho người khác có loại "assigned".', 'Items for someone else are of kind "assigned".')
  if (!product) {
    throw new ApiError(400, 'UNKNOWN_PRODUCT', `Không có sản phẩm mã ${input.productCode} trong danh mục ngày ${input.assignedOn}.`, `No product ${input.productCode} in the catalogue on ${input.assignedOn}.`)
  }
  if (!isForPosition(product, staff.positionCode)) {
    throw new ApiError(400, 'PRODUCT_NOT_FOR_POSITION', `Sản phẩm ${product.code} không thuộc vị trí việc làm của cán bộ (${staff.positionCode ?? 'chưa có'}).`, `Product ${product.code} is not for the staff member's job position (${staff.positionCode ?? 'none'}).`, [{ path: 'productCode', message: 'not for the position' }])
  }
  return { staffId, staffName: staff.fullName, unitId: staff.unitId, kind, status: kind === 'arising' ? 'PROPOSED' : 'OPEN', product }
}
