import { describe, expect, it } from 'vitest'
import { isLate, productFigures, workingDays, type ItemFacts } from '../../server/worklog/worklog.figures.js'

const item = (over: Partial<ItemFacts>): ItemFacts => ({
  productCode: 'B01',
  k: 1,
  status: 'CONFIRMED',
  quantity: 1,
  doneQuantity: 1,
  dueOn: '2026-11-10',
  extendedTo: null,
  completedOn: '2026-11-09',
  qualityFailures: 0,
  ...over,
})

describe('work-log figures', () => {
  it('counts an item late when completed after its due date, unless extended', () => {
    expect(isLate(item({ completedOn: '2026-11-11' }), '2026-11-30')).toBe(true)
    expect(isLate(item({ completedOn: '2026-11-11', extendedTo: '2026-11-12' }), '2026-11-30')).toBe(false)
    expect(isLate(item({ completedOn: null, status: 'OPEN' }), '2026-11-10')).toBe(false)
    expect(isLate(item({ completedOn: null, status: 'OPEN' }), '2026-11-11')).toBe(true)
  })

  it('sums per product: assigned from accepted items, done and failures only once confirmed', () => {
    const figures = productFigures(
      [
        item({ quantity: 2, doneQuantity: 2 }),
        item({ quantity: 1, doneQuantity: 1, qualityFailures: 1, completedOn: '2026-11-12' }),
        item({ quantity: 3, doneQuantity: 3, status: 'DONE' }),
        item({ quantity: 5, status: 'PROPOSED' }),
        item({ quantity: 5, status: 'REJECTED' }),
        item({ productCode: 'B02', k: 3, quantity: 0.5, doneQuantity: 0.5 }),
        item({ productCode: 'B02', k: 3, quantity: 0.25, doneQuantity: 0.25, status: 'OPEN', completedOn: null }),
      ],
      '2026-11-30',
    )
    expect(figures).toEqual([
      { code: 'B01', k: 1, assigned: 6, done: 3, qualityFailures: 1, delays: 1 },
      { code: 'B02', k: 3, assigned: 0.75, done: 0.5, qualityFailures: 0, delays: 1 },
    ])
  })

  it('counts working days, Monday to Friday', () => {
    expect(workingDays('2026-11-01', '2026-11-30')).toBe(21)
    expect(workingDays('2026-11-23', '2026-11-23')).toBe(1)
    expect(workingDays('2026-11-22', '2026-11-22')).toBe(0)
  })
})
