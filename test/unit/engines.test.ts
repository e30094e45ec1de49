import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { formulaVariants, mutants } from '../support/mutate.js'

/** Random but valid inputs: staff and leaders, nothing assigned, over-achievers, failures, overrides. */
function randomInputs(count: number, seed: number): Record<string, unknown>[] {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  return Array.from({ length: count }, () => ({
    role: random() < 0.2 ? 'leader' : 'staff',
    general: { ethics: int(0, 10), competence: int(0, 20) / 2, innovation: int(0, 100) / 10 },
    products: Array.from({ length: int(0, 4) }, (_, i) => {
      const assigned = int(0, 30)
      return { code: `P${i}`, k: [0.25, 0.5, 1, 1.5, 2.5, 8][int(0, 5)]!, assigned, done: int(0, assigned + 5), qualityFailures: int(0, 3), delays: int(0, 3) }
    }),
    leader: { subordinatesNotCompleted: int(0, 2), unitPlanScore: int(0, 100) },
    overrides: { discipline: random() < 0.05 ? 'reprimand' : 'none', degradation: random() < 0.03, unitCorruption: random() < 0.03 },
  }))
}

const same = (def: RuleSetDefinition, inputs: Record<string, unknown>) =>
  expect(evaluateRuleSet(def, inputs, { engine: 'compiled' })).toEqual(evaluateRuleSet(def, inputs, { engine: 'interpreted' }))

describe('compiled (json-logic-engine) and interpreted (json-logic-js) evaluation agree', () => {
  it('on every test case and 3,000 random inputs of the NĐ 335 rule set', () => {
    const def = nd335RuleSet()
    for (const t of def.tests!) same(def, t.inputs)
    for (const inputs of randomInputs(3000, 7)) same(def, inputs)
  })

  it('on every rule set the fuzzer produces that validation accepts', () => {
    let compared = 0
    for (const raw of [...mutants(nd335RuleSet(), 300, 99), ...formulaVariants(nd335RuleSet(), 200, 5)]) {
      const result = validateRuleSet(raw)
      if (!result.ok) continue
      for (const t of result.definition.tests ?? []) same(result.definition, t.inputs)
      for (const inputs of randomInputs(20, compared)) same(result.definition, inputs)
      compared++
    }
    expect(compared).toBeGreaterThan(50)
  })
})
