import { describe, expect, it } from 'vitest'
import { Org } from '../../server/org/parties.js'

// Sở (1) → Văn phòng (2), Phòng TCBM (3). Director 10 heads the Sở, deputy 11; heads 20, 30; staff 21, 31; admin 99.
const org = new Org(
  [
    { id: 1, parentId: null, headId: 10 },
    { id: 2, parentId: 1, headId: 20 },
    { id: 3, parentId: 1, headId: 30 },
  ],
  [
    { id: 10, unitId: 1, roles: ['leader'], scopeUnitIds: [] },
    { id: 11, unitId: 1, roles: ['leader'], scopeUnitIds: [] },
    { id: 12, unitId: 1, roles: ['leader'], scopeUnitIds: [3] },
    { id: 20, unitId: 2, roles: ['unit_head', 'staff'], scopeUnitIds: [] },
    { id: 21, unitId: 2, roles: ['staff'], scopeUnitIds: [] },
    { id: 30, unitId: 3, roles: ['unit_head', 'staff'], scopeUnitIds: [] },
    { id: 31, unitId: 3, roles: ['staff'], scopeUnitIds: [] },
    { id: 99, unitId: null, roles: ['admin'], scopeUnitIds: [] },
  ],
)
const person = (id: number, unitId: number, roles: string[], scopeUnitIds: number[] = []) => ({ id, unitId, roles, scopeUnitIds })

describe('who reviews and signs off whom', () => {
  it('has staff reviewed by their unit head and signed off by the leaders over the unit', () => {
    expect(org.partiesOf(person(21, 2, ['staff']))).toEqual({ reviewerIds: [20], signOffIds: [10, 11, 99], ruleRole: 'staff' })
    expect(org.partiesOf(person(31, 3, ['staff'])).signOffIds).toEqual([10, 11, 12, 99])
  })

  it('has a unit head reviewed by leadership (never by themselves) and scored as a leader', () => {
    expect(org.partiesOf(person(20, 2, ['unit_head', 'staff']))).toEqual({ reviewerIds: [10, 11], signOffIds: [10, 11, 99], ruleRole: 'leader' })
  })

  it('has a deputy reviewed by the director, and the director by the competent authority (admin)', () => {
    expect(org.partiesOf(person(11, 1, ['leader'])).reviewerIds).toEqual([10])
    expect(org.partiesOf(person(10, 1, ['leader'])).reviewerIds).toEqual([99])
    expect(org.partiesOf(person(10, 1, ['leader'])).signOffIds).toEqual([11, 99])
  })

  it('limits a leader with a declared scope to that subtree', () => {
    expect([...org.leaderScope(person(12, 1, ['leader'], [3]))]).toEqual([3])
    expect([...org.leaderScope(person(10, 1, ['leader']))].sort()).toEqual([1, 2, 3])
  })
})
