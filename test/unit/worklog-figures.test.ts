import { describe, expect, it } from 'vitest'
import { isLate, workingDays } from '../../server/worklog/worklog.figures.js'

const item = (over: Partial<{ dueOn: string; extendedTo: string | null; completedOn: string | null; status: string }>) => ({ dueOn: '2026-11-10', extendedTo: null, completedOn: '2026-11-09', ...over })

describe('work-log figures', () => {
  it('counts an item late when completed after its due date, unless extended', () => {
    expect(isLate(item({ completedOn: '2026-11-11' }), '2026-11-30')).toBe(true)
    expect(isLate(item({ completedOn: '2026-11-11', extendedTo: '2026-11-12' }), '2026-11-30')).toBe(false)
    expect(isLate(item({ completedOn: null, status: 'OPEN' }), '2026-11-10')).toBe(false)
    expect(isLate(item({ completedOn: null, status: 'OPEN' }), '2026-11-11')).toBe(true)
  })

  it('counts working days, Monday to Friday', () => {
    expect(workingDays('2026-11-01', '2026-11-30')).toBe(21)
    expect(workingDays('2026-11-23', '2026-11-23')).toBe(1)
    expect(workingDays('2026-11-22', '2026-11-22')).toBe(0)
  })
})
