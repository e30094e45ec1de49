import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/errors.js'
import { planRecord, type RecordContext } from '../../server/worklog/work-item.record.js'

const head = { id: 1, username: 'tp', fullName: 'Trưởng phòng', roles: ['unit_head'], unitId: 10 }
const clerk = { id: 2, username: 'cv', fullName: 'Chuyên viên', roles: ['staff'], unitId: 10 }
const outsider = { id: 3, username: 'tp2', fullName: 'Trưởng phòng khác', roles: ['unit_head'], unitId: 20 }
const admin = { id: 4, username: 'admin', fullName: 'Quản trị', roles: ['admin'], unitId: null }

const memo = { id: 7, code: 'B01', name: 'Soạn thảo công văn', k: 1, positions: ['CV'] }
const context = (over: Partial<RecordContext> = {}): RecordContext => ({ staff: { id: 2, unitId: 10, positionCode: 'CV', fullName: 'Chuyên viên' }, headsUnit: false, product: memo, ...over })
const input = { productCode: 'B01', assignedOn: '2026-11-02' }

/** The error code (and status) a plan is refused with. */
function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return `${err.status} ${err.code}`
    throw err
  }
  return 'accepted'
}

describe('who records which work item (pure)', () => {
  it('lets the unit head assign to their staff, and staff plan or declare their own', () => {
    expect(planRecord(head, { ...input, staffId: 2 }, context())).toMatchObject({ staffId: 2, staffName: 'Chuyên viên', unitId: 10, kind: 'assigned', status: 'OPEN', product: memo })
    expect(planRecord(clerk, input, context())).toMatchObject({ staffId: 2, kind: 'planned', status: 'OPEN' })
    expect(planRecord(clerk, { ...input, kind: 'arising' }, context())).toMatchObject({ kind: 'arising', status: 'PROPOSED' })
    // The unit's recorded head and admins assign too, whatever their own unit.
    expect(planRecord(outsider, { ...input, staffId: 2 }, context({ headsUnit: true })).kind).toBe('assigned')
    expect(planRecord(admin, { ...input, staffId: 2 }, context()).kind).toBe('assigned')
  })

  it('refuses, in this order: no such staff member, no unit, not their head, wrong kind, unknown product, wrong position', () => {
    expect(refusal(() => planRecord(head, { ...input, staffId: 99 }, { staff: undefined, headsUnit: false, product: undefined }))).toBe('404 NOT_FOUND')
    expect(refusal(() => planRecord(head, { ...input, staffId: 2 }, context({ staff: { id: 2, unitId: null, positionCode: 'CV', fullName: 'x' }, product: undefined })))).toBe('400 VALIDATION_FAILED')
    expect(refusal(() => planRecord(outsider, { ...input, staffId: 2 }, context({ product: undefined })))).toBe('403 FORBIDDEN')
    expect(refusal(() => planRecord(clerk, { ...input, staffId: 2, kind: 'assigned' }, context()))).toBe('400 VALIDATION_FAILED')
    expect(refusal(() => planRecord(head, { ...input, staffId: 2, kind: 'planned' }, context()))).toBe('400 VALIDATION_FAILED')
    expect(refusal(() => planRecord(head, { ...input, staffId: 2 }, context({ product: undefined })))).toBe('400 UNKNOWN_PRODUCT')
    expect(refusal(() => planRecord(head, { ...input, staffId: 2 }, context({ product: { ...memo, positions: ['TP'] } })))).toBe('400 PRODUCT_NOT_FOR_POSITION')
    // A product that lists no position is for everyone.
    expect(refusal(() => planRecord(head, { ...input, staffId: 2 }, context({ product: { ...memo, positions: [] } })))).toBe('accepted')
  })
})
