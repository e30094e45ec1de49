import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { ruleSetHash } from '../../rules/ruleset.hash.js'
import { scoreCycle, type CycleMember, type MemberScore, type RuleSetRef } from '../../server/cycles/cycle-scoring.js'
import { scoreDocument } from '../../server/evaluations/scoring.js'
import { doc } from '../support/documents.js'

const definition = nd335RuleSet()
const ruleSet: RuleSetRef = { id: 1, hash: ruleSetHash(definition), definition }

const member = (staffId: number, role: 'staff' | 'leader', data: Record<string, unknown>, reviewerIds: number[]): CycleMember => ({
  id: 100 + staffId,
  staffId,
  unitId: 1,
  positionCode: role === 'leader' ? 'TP' : 'CV',
  ruleRole: role,
  data,
  adjustments: role === 'leader' ? { leader: { unitPlanScore: 90 } } : null,
  reviewerIds,
  ruleSetId: 1,
})

const strong = doc(9, 10)
const weak = doc(3, 2)
const strongLeader = doc(9, 10, 'L01')
const weakLeader = doc(3, 2, 'L01')

const valuesOf = (s: MemberScore | undefined) => (s?.ok ? s.scores.values : null)
const levelOf = (s: MemberScore | undefined) => (s?.ok ? s.scores.level : null)

describe('scoreCycle: a leader\'s "d" from their direct subordinates, bottom-up', () => {
  it('the documents chosen: the weak ones are KHT, the strong ones are not', () => {
    expect(scoreDocument(definition, weak, null, 'staff')).toMatchObject({ ok: true, result: { level: 'KHT' } })
    expect(scoreDocument(definition, strong, null, 'staff')).toMatchObject({ ok: true, result: { level: expect.not.stringMatching(/^KHT$/) } })
  })

  it('counts KHT subordinates only, only a leader\'s own, and settles a leader scored before their subordinate leader', () => {
    // Listed top-down, so the first pass scores the director before the deputy has a level.
    const members = [
      member(1, 'leader', strongLeader, []), // director
      member(2, 'leader', weakLeader, [1]), // deputy, KHT on their own document: the director's one KHT subordinate
      member(3, 'staff', weak, [2]), // KHT, under the deputy
      member(4, 'staff', strong, [2, 5]), // under the deputy; 5 also reviews them, but 5 is no leader
      member(5, 'staff', strong, [1]),
    ]
    const scores = scoreCycle(() => ruleSet, members)
    expect(scores).toHaveLength(members.length)
    expect(levelOf(scores[1])).toBe('KHT')
    expect(valuesOf(scores[1])!['d']).toBe(50) // the deputy: staff 3 is KHT
    expect(valuesOf(scores[0])!['d']).toBe(50) // the director: the deputy is KHT
    expect(valuesOf(scores[2])!['d']).toBeNull() // staff have no "d"
  })

  it('a leader with no KHT subordinate keeps 100 %', () => {
    const scores = scoreCycle(() => ruleSet, [member(5, 'staff', strong, [1]), member(1, 'leader', strongLeader, [])])
    expect(valuesOf(scores[1])!['d']).toBe(100)
  })

  it('takes the scores it is given by position instead of scoring those members again', () => {
    const members = [member(1, 'leader', strongLeader, []), member(3, 'staff', strong, [1]), member(4, 'staff', strong, [1])]
    // Member 4's document is strong, but the score handed over for its position says KHT: that is what the leader counts.
    const handed: MemberScore = { ok: true, scores: { values: {}, total: 10, baseLevel: 'KHT', level: 'KHT', override: null, trace: [], ruleSetId: 1, ruleHash: ruleSet.hash } }
    const scores = scoreCycle(() => ruleSet, members, {}, [undefined, undefined, handed])
    expect(scores[2]).toBe(handed)
    expect(levelOf(scores[1])).not.toBe('KHT')
    expect(valuesOf(scores[0])!['d']).toBe(50)
  })
})
