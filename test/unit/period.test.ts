import { describe, expect, it } from 'vitest'
import { periodOf } from '../../admin-ui/src/period.js'

describe('the launch form period', () => {
  it('gives the month, quarter or year that contains the day, in Vietnam', () => {
    const day = new Date('2026-12-01T03:00:00Z')
    expect(periodOf('month', day)).toEqual({ name: 'Tháng 12/2026', start: '2026-12-01', end: '2026-12-31' })
    expect(periodOf('quarter', day)).toEqual({ name: 'Quý IV/2026', start: '2026-10-01', end: '2026-12-31' })
    expect(periodOf('year', day)).toEqual({ name: 'Năm 2026', start: '2026-01-01', end: '2026-12-31' })
    expect(periodOf('quarter', new Date('2026-05-15T00:00:00Z'))).toEqual({ name: 'Quý II/2026', start: '2026-04-01', end: '2026-06-30' })
  })

  it('takes the day in Asia/Ho_Chi_Minh: 31/12 at 20:00 UTC is already January there', () => {
    expect(periodOf('month', new Date('2026-12-31T20:00:00Z'))).toEqual({ name: 'Tháng 1/2027', start: '2027-01-01', end: '2027-01-31' })
  })
})
