import { describe, expect, it } from 'vitest'
import { classify } from '../../rules/classify.js'
import { capTraceLine, cycleCaps, leaderCap } from '../../server/units/leader-cap.js'
import { unitsByHead } from '../../server/units/unit-results.repo.js'
import { unitKpiRuleSet, nd335RuleSet } from '../../rules/defaults.js'

const cchc = { unitId: 7, unitName: 'Phòng CCHC', level: 'HTT' as const }

describe("the leader cap: a leader's level may not exceed their unit's", () => {
  it('lowers HTXS to the unit’s HTT and says why, in both languages', () => {
    expect(leaderCap('HTXS', [cchc])).toEqual({
      unitId: 7,
      unitName: 'Phòng CCHC',
      unitLevel: 'HTT',
      from: 'HTXS',
      to: 'HTT',
      text: { vi: 'HTXS → HTT: đơn vị xếp loại HTT (Phòng CCHC)', en: 'HTXS → HTT: the unit is rated HTT (Phòng CCHC)' },
    })
    expect(capTraceLine(leaderCap('HTXS', [cchc])!)).toMatchObject({ key: 'leaderCap', value: 'HTT', text: { vi: 'HTXS → HTT: đơn vị xếp loại HTT (Phòng CCHC)' } })
  })

  it('leaves a level at or below the unit’s alone, and a leader without a unit result', () => {
    expect(leaderCap('HTT', [cchc])).toBeNull()
    expect(leaderCap('KHT', [cchc])).toBeNull()
    expect(leaderCap('HTXS', [{ ...cchc, level: 'HTXS' }])).toBeNull()
    expect(leaderCap('HTXS', [])).toBeNull()
  })

  it('takes the lowest of several headed units (min over units)', () => {
    const cap = leaderCap('HTXS', [cchc, { unitId: 9, unitName: 'Văn phòng', level: 'HT' }, { unitId: 10, unitName: 'TCBM', level: 'HTXS' }])
    expect([cap?.unitId, cap?.to]).toEqual([9, 'HT'])
  })

  it('caps only the members who answered for a unit, by evaluation', () => {
    const caps = cycleCaps(
      [
        { id: 1, staffId: 100, level: 'HTXS' },
        { id: 2, staffId: 101, level: 'HTXS' },
        { id: 3, staffId: 102, level: 'HT' },
      ],
      new Map([
        [100, [cchc]],
        [102, [cchc]],
      ]),
    )
    expect([...caps.keys()]).toEqual([1])
    expect(caps.get(1)?.to).toBe('HTT')
  })

  it('waits for a unit of the period that is not classified yet, naming it', () => {
    const { byHead, pending } = unitsByHead([
      { headId: 100, unitId: 7, unitName: 'Phòng CCHC', level: 'HTT', cycleId: 4, classified: true },
      { headId: 101, unitId: 8, unitName: 'Văn phòng', level: 'KHT', cycleId: 4, classified: false },
    ])
    expect(byHead.get(100)).toEqual([cchc])
    expect(byHead.has(101)).toBe(false)
    expect(pending).toContain('Văn phòng (kỳ / cycle #4)')
    expect(unitsByHead([]).pending).toBeNull()
  })

  it('a capped level enters the quota as the unit’s level: it takes no HTXS place', () => {
    const policy = nd335RuleSet().quota
    const candidates = [1, 2, 3, 4, 5].map((id) => ({ id, unitId: 1, positionCode: null, level: 'HTT' as const, values: { total: 80 } }))
    // The head (id 6) scored HTXS but is capped to HTT; one other HTXS fits 20 % of six HTT.
    const out = classify([...candidates, { id: 6, unitId: 1, positionCode: null, level: 'HTT', values: { total: 95 } }, { id: 7, unitId: 1, positionCode: null, level: 'HTXS', values: { total: 91 } }], policy)
    expect(out.find((c) => c.id === 7)).toMatchObject({ finalLevel: 'HTXS', cutByQuota: false })
    expect(out.find((c) => c.id === 6)).toMatchObject({ finalLevel: 'HTT', cutByQuota: false })
  })

  it('units have no quota: the unit rule set keeps every HTXS', () => {
    const out = classify([1, 2, 3].map((id) => ({ id, unitId: id, positionCode: null, level: 'HTXS' as const, values: { total: 95 } })), unitKpiRuleSet().quota)
    expect(out.map((c) => c.finalLevel)).toEqual(['HTXS', 'HTXS', 'HTXS'])
  })
})
