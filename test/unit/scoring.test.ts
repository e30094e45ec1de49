import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import { validateInputs } from '../../rules/inputs.validate.js'
import { roundHalfUp } from '../../rules/rounding.js'
import { assessment, general } from '../support/documents.js'

const ruleSet = nd335RuleSet()

const workedExample = {
  role: 'staff',
  general: general(9),
  assessment,
  products: [
    { code: 'VB', k: 1, assigned: 10, done: 9, qualityFailures: 0, delays: 1 },
    { code: 'BC', k: 2.5, assigned: 2, done: 2, qualityFailures: 1, delays: 0 },
  ],
  leader: { subordinatesNotCompleted: 0, unitPlanScore: 100 },
  overrides: { discipline: 'none', degradation: false, unitCorruption: false },
}

describe('NĐ 335 default rule set', () => {
  it('scores the worked example of domain.md §5: 90.97 → HTXS', () => {
    const r = evaluateRuleSet(ruleSet, workedExample)
    expect(r.values).toMatchObject({ A: 15, ethicsScore: 9, competenceScore: 9, innovationScore: 9, generalScore: 27, a: 93.33, b: 89.17, c: 91.67, task: 63.97, total: 90.97 })
    expect(r.values['d']).toBeNull()
    expect(r.level).toBe('HTXS')
    expect(r.override).toBeNull()
    expect(r.failures).toEqual([])
  })

  it('turns the same inputs into KHT when disciplined (reprimand), naming the override', () => {
    const r = evaluateRuleSet(ruleSet, { ...workedExample, overrides: { discipline: 'reprimand' } })
    expect(r.total).toBe(90.97)
    expect(r.baseLevel).toBe('HTXS')
    expect(r.level).toBe('KHT')
    expect(r.override?.code).toBe('DISCIPLINE')
  })

  it('refuses an evaluation with nothing assigned', () => {
    const r = evaluateRuleSet(ruleSet, { ...workedExample, products: [] })
    expect(r.failures.map((f) => f.code)).toEqual(['NOTHING_ASSIGNED'])
    expect(r.values['a']).toBe(0)
  })

  it('caps quantity, quality and timeliness at 100 % when more is done than assigned', () => {
    const r = evaluateRuleSet(ruleSet, {
      ...workedExample,
      products: [{ code: 'VB', k: 1, assigned: 4, done: 9, qualityFailures: 0, delays: 0 }],
    })
    expect(r.values).toMatchObject({ a: 100, b: 100, c: 100, task: 70, total: 97 })
  })

  it('never takes a product below zero however many failures it had', () => {
    const r = evaluateRuleSet(ruleSet, {
      ...workedExample,
      products: [{ code: 'VB', k: 1, assigned: 2, done: 2, qualityFailures: 40, delays: 40 }],
    })
    expect(r.values).toMatchObject({ a: 100, b: 0, c: 0 })
  })

  it('scores a leader on five components, d from subordinates not completed', () => {
    const leader = { ...workedExample, role: 'leader', leader: { subordinatesNotCompleted: 0, unitPlanScore: 80 } }
    const ok = evaluateRuleSet(ruleSet, leader)
    // (93.33 + 89.17 + 91.67 + 100 + 80) / 5 × 0.7 = 63.5838 → 63.58
    expect(ok.values).toMatchObject({ d: 100, dd: 80, task: 63.58, total: 90.58 })
    const weak = evaluateRuleSet(ruleSet, { ...leader, leader: { subordinatesNotCompleted: 2, unitPlanScore: 80 } })
    expect(weak.values).toMatchObject({ d: 50, task: 56.58, total: 83.58 })
    expect(weak.level).toBe('HTT')
  })

  it('applies unit corruption only to leaders', () => {
    const staff = evaluateRuleSet(ruleSet, { ...workedExample, overrides: { unitCorruption: true } })
    expect(staff.level).toBe('HTXS')
    const leader = evaluateRuleSet(ruleSet, { ...workedExample, role: 'leader', overrides: { unitCorruption: true } })
    expect(leader.level).toBe('KHT')
    expect(leader.override?.code).toBe('UNIT_CORRUPTION')
  })

  it('bands at the exact thresholds 90 / 70 / 50', () => {
    const at = (e: number, c: number, i: number, done: number) =>
      evaluateRuleSet(ruleSet, {
        role: 'staff',
        general: general(e, c, i),
        assessment,
        products: [{ code: 'X', k: 1, assigned: 10, done, qualityFailures: 0, delays: 0 }],
      })
    expect(at(10, 10, 0, 10)).toMatchObject({ total: 90, level: 'HTXS' }) // 20 + 70
    expect(at(0, 0, 0, 10)).toMatchObject({ total: 70, level: 'HTT' })
    expect(at(10, 5, 0, 5)).toMatchObject({ total: 50, level: 'HT' }) // 15 + 35
    expect(at(10, 4.75, 0, 5)).toMatchObject({ total: 49.75, level: 'KHT' })
  })

  it('validates inputs against the input schema with readable paths', () => {
    expect(validateInputs(ruleSet, workedExample)).toEqual([])
    const errors = validateInputs(ruleSet, {
      role: 'staff',
      general: { ...general(9), ethics: { politics: 5.5, discipline: 4.5 } },
      products: [{ code: 'VB', k: 1, assigned: -1, done: 1, qualityFailures: 0, delays: 0 }],
    })
    expect(errors.map((e) => e.path).sort()).toEqual(['general.ethics.politics', 'products[0].assigned'])
  })
})

describe('roundHalfUp', () => {
  it('rounds decimal halves up, without float artefacts', () => {
    expect(roundHalfUp(1.005, 2)).toBe(1.01)
    expect(roundHalfUp(0.1 + 0.2, 2)).toBe(0.3)
    expect(roundHalfUp(90.975, 2)).toBe(90.98)
    expect(roundHalfUp(63.9722, 2)).toBe(63.97)
    expect(roundHalfUp(-2.345, 2)).toBe(-2.35)
  })
})
