import { describe, expect, it } from 'vitest'
import { productLines } from '../../server/worklog/worklog.figures.js'

describe('product lines of the month summary (pure)', () => {
  it('merges versions of a product with the same coefficient, keeps other coefficients apart, orders by code then k', () => {
    const versions = new Map([
      [1, { code: 'B01', name: 'Công văn (cũ)', k: 1 }],
      [2, { code: 'B01', name: 'Công văn', k: 1 }],
      [3, { code: 'B01', name: 'Công văn mới', k: 1.2 }],
      [4, { code: 'C03', name: 'Hồ sơ', k: 0.5 }],
    ])
    const lines = productLines(
      [
        [4, 1, 2, 3],
        [2, 0.1, 0.2, 3],
        [2, 0.1, 0.2, 1],
        [0, 1, 0, 0],
        [1, 0, 1, 0],
      ],
      versions,
    )
    expect(lines).toEqual([
      { code: 'B01', name: 'Công văn (cũ)', k: 1, assigned: 0.3, done: 0.3, qualityFailures: 1, delays: 1 },
      { code: 'B01', name: 'Công văn mới', k: 1.2, assigned: 3, done: 1, qualityFailures: 0, delays: 0 },
      { code: 'C03', name: 'Hồ sơ', k: 0.5, assigned: 2, done: 2, qualityFailures: 0, delays: 1 },
    ])
    expect(productLines(null, versions)).toEqual([])
    expect(() => productLines([[9], [1], [1], [0], [0]], versions)).toThrow(/version 9/)
  })
})
