import { describe, expect, it } from 'vitest'
import { classify, quotaLimit, type Candidate } from '../../rules/classify.js'
import { nd335RuleSet } from '../../rules/defaults.js'
import type { Level } from '../../rules/ruleset.types.js'

const policy = nd335RuleSet().quota

function candidate(id: number, total: number, level: Level, unitId = 1, task = total - 27, general = 27): Candidate {
  return { id, unitId, positionCode: 'CV', level, values: { total, task, generalScore: general } }
}

describe('quota (HTXS ≤ 20 % of final HTT)', () => {
  it('keeps the top 4 of 8 excellent candidates beside 17 good ones (domain.md example)', () => {
    const excellent = Array.from({ length: 8 }, (_, i) => candidate(i + 1, 98 - i, 'HTXS'))
    const good = Array.from({ length: 17 }, (_, i) => candidate(100 + i, 85 - i, 'HTT'))
    const out = classify([...excellent, ...good], policy)
    const final = new Map(out.map((r) => [r.id, r]))
    expect([1, 2, 3, 4].map((id) => final.get(id)!.finalLevel)).toEqual(['HTXS', 'HTXS', 'HTXS', 'HTXS'])
    expect([5, 6, 7, 8].map((id) => final.get(id)!.finalLevel)).toEqual(['HTT', 'HTT', 'HTT', 'HTT'])
    expect(final.get(5)!.cutByQuota).toBe(true)
    expect(out.filter((r) => r.finalLevel === 'HTT')).toHaveLength(21)
  })

  it('computes the limit from the final counts', () => {
    expect(quotaLimit(8, 17, 0.2)).toBe(4)
    expect(quotaLimit(1, 5, 0.2)).toBe(1)
    expect(quotaLimit(1, 4, 0.2)).toBe(0)
    expect(quotaLimit(3, 0, 0.2)).toBe(0)
    expect(quotaLimit(2, 10, 0.5)).toBe(2)
  })

  it('cuts every candidate of a tie that straddles the cut and flags them', () => {
    const out = classify(
      [candidate(1, 95, 'HTXS'), candidate(2, 92, 'HTXS'), candidate(3, 92, 'HTXS'), ...Array.from({ length: 9 }, (_, i) => candidate(10 + i, 80, 'HTT'))],
      policy,
    )
    // 3 candidates, 9 HTT: limit is 2 (2 ≤ 0.2 × 10), but #2 and #3 are tied on every key.
    const final = new Map(out.map((r) => [r.id, r]))
    expect(final.get(1)).toMatchObject({ finalLevel: 'HTXS', tieFlag: false })
    expect(final.get(2)).toMatchObject({ finalLevel: 'HTT', cutByQuota: true, tieFlag: true })
    expect(final.get(3)).toMatchObject({ finalLevel: 'HTT', cutByQuota: true, tieFlag: true })
  })

  it('breaks equal totals by task score, then general score', () => {
    const out = classify(
      [candidate(1, 92, 'HTXS', 1, 62, 30), candidate(2, 92, 'HTXS', 1, 65, 27), ...Array.from({ length: 5 }, (_, i) => candidate(10 + i, 80, 'HTT'))],
      policy,
    )
    const final = new Map(out.map((r) => [r.id, r]))
    expect(final.get(2)!.finalLevel).toBe('HTXS')
    expect(final.get(1)).toMatchObject({ finalLevel: 'HTT', tieFlag: false })
  })

  it('applies the quota per unit, and a unit exception raises its cap', () => {
    const unitA = [candidate(1, 95, 'HTXS', 1), candidate(2, 93, 'HTXS', 1), ...Array.from({ length: 4 }, (_, i) => candidate(10 + i, 80, 'HTT', 1))]
    const unitB = [candidate(3, 95, 'HTXS', 2), candidate(4, 93, 'HTXS', 2), ...Array.from({ length: 4 }, (_, i) => candidate(20 + i, 80, 'HTT', 2))]
    const out = classify([...unitA, ...unitB], policy, new Map([[2, 0.5]]))
    const level = (id: number) => out.find((r) => r.id === id)!.finalLevel
    expect([level(1), level(2)]).toEqual(['HTXS', 'HTT'])
    expect([level(3), level(4)]).toEqual(['HTXS', 'HTXS'])
  })

  it('applies the quota per position group when groups are defined', () => {
    const grouped = { ...policy, positionGroups: { TP: 'lead', PTP: 'lead', CV: 'pro' } }
    const lead = { ...candidate(1, 95, 'HTXS'), positionCode: 'TP' }
    const leadGood = Array.from({ length: 5 }, (_, i) => ({ ...candidate(10 + i, 80, 'HTT'), positionCode: 'PTP' }))
    const pro = candidate(2, 97, 'HTXS')
    const proGood = Array.from({ length: 2 }, (_, i) => candidate(20 + i, 80, 'HTT'))
    const out = classify([lead, ...leadGood, pro, ...proGood], grouped)
    const level = (id: number) => out.find((r) => r.id === id)!.finalLevel
    expect(level(1)).toBe('HTXS')
    expect(level(2)).toBe('HTT')
  })
})

describe('ranks', () => {
  it('ranks by final level then total, equal pairs sharing a rank (1, 2, 2, 4)', () => {
    const out = classify(
      [candidate(1, 85, 'HTT'), candidate(2, 88, 'HTT'), candidate(3, 85, 'HTT'), candidate(4, 40, 'KHT'), candidate(5, 60, 'HT', 2), candidate(6, 95, 'KHT', 2)],
      policy,
    )
    const r = new Map(out.map((x) => [x.id, x]))
    expect([1, 2, 3, 4].map((id) => r.get(id)!.rankInUnit)).toEqual([2, 1, 2, 4])
    expect([5, 6].map((id) => r.get(id)!.rankInUnit)).toEqual([1, 2])
    // Across the cycle an overridden KHT with 95 points still ranks below every HT.
    expect([2, 1, 3, 5, 6, 4].map((id) => r.get(id)!.rankInCycle)).toEqual([1, 2, 2, 4, 5, 6])
  })
})
