import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet, evaluationSteps } from '../../rules/evaluate.js'
import { FORMULA_BUDGET, FormulaBudgetExceeded } from '../../rules/formula.budget.js'
import { largestInputs } from '../../rules/inputs.sample.js'
import { programOf } from '../../rules/program.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { nestedReduceAttack, zeros } from '../support/formula-attack.js'

const ENGINES = ['compiled', 'interpreted'] as const

/** NĐ 335 with one computed value's formula replaced. */
function withFormula(key: string, formula: unknown, def: RuleSetDefinition = nd335RuleSet()): { def: RuleSetDefinition; at: number } {
  const at = def.computed.findIndex((c) => c.key === key)
  def.computed[at] = { ...def.computed[at]!, formula }
  return { def, at }
}

function refusal(run: () => unknown): FormulaBudgetExceeded {
  try {
    run()
  } catch (err) {
    if (err instanceof FormulaBudgetExceeded) return err
    throw err
  }
  throw new Error('the evaluation was not refused')
}

describe('the formula budget at evaluation', () => {
  it('stops the nested-reduce attack (10⁹ steps) at the budget and names the formula, in both engines', () => {
    expect(JSON.stringify(nestedReduceAttack()).length).toBeGreaterThan(6000)
    const { def, at } = withFormula('A', nestedReduceAttack())
    for (const engine of ENGINES) {
      const err = refusal(() => evaluateRuleSet(def, def.tests![0]!.inputs, { engine }))
      expect(err).toMatchObject({ path: `computed[${at}].formula`, formula: `computed[${at}].formula ("A")`, reason: 'steps' })
      expect(err.steps).toBeGreaterThan(FORMULA_BUDGET.steps)
      expect(err.text.vi).toContain(`Công thức computed[${at}].formula ("A") vượt quá giới hạn tính toán (1.000.000 bước`)
      expect(err.text.en).toContain(`Formula computed[${at}].formula ("A") exceeds the computation budget (1,000,000 steps`)
    }
  })

  it('keeps NĐ 335 far within the budget: its test cases and the largest inputs its schema allows (500 products)', () => {
    const def = nd335RuleSet()
    const perTest = def.tests!.map((t) => evaluationSteps(def, t.inputs))
    // Measured: 26–132 steps per test case; 16,5xx with 500 products; the same count in both engines.
    expect(Math.max(...perTest)).toBeLessThan(1_000)
    for (const t of def.tests!) expect(evaluationSteps(def, t.inputs, { engine: 'interpreted' })).toBe(evaluationSteps(def, t.inputs))
    const largest = largestInputs(def.inputSchema).map((inputs) => evaluationSteps(def, inputs))
    expect((largestInputs(def.inputSchema)[1]!['products'] as unknown[]).length).toBe(500)
    expect(Math.max(...largest)).toBeLessThan(FORMULA_BUDGET.steps / 50)
  })

  it('names the formula that spent the most, not the one that happened to take the last step', () => {
    // `A` spends ~900,000 steps; `generalScore` (~200,000), computed after it, tips the evaluation over.
    const sum = (n: number, body: unknown) => ({ reduce: [zeros(n), { '+': [{ var: 'accumulator' }, body] }, 0] })
    const heavy = sum(900, sum(499, 1))
    const light = { '+': [{ '*': [0, sum(1000, sum(99, 1))] }, { var: 'general.ethics' }] }
    const { def, at } = withFormula('A', heavy)
    withFormula('generalScore', light, def)
    expect(refusal(() => evaluateRuleSet(def, def.tests![0]!.inputs)).path).toBe(`computed[${at}].formula`)
  })

  it('counts every iteration, even of a body with no operation, and the size of what an operation builds', () => {
    const inputs = nd335RuleSet().tests![0]!.inputs
    // 1,000 × `all` over 1,000 items with a constant body: 1,001,000 steps, though only 1,000 operations run.
    expect(refusal(() => evaluateRuleSet(withFormula('A', { reduce: [zeros(1000), { all: [zeros(1000), true] }, 0] }).def, inputs)).reason).toBe('steps')
    // One operation building a 1,000,000-item array.
    const big = { merge: zeros(1000).map(() => zeros(1000)) }
    expect(refusal(() => evaluateRuleSet(withFormula('A', { '+': [0, { in: [1, big] }] }).def, inputs)).reason).toBe('steps')
    // A string doubled on each of 1,000 iterations would reach 2^1000 characters (V8 builds it lazily, then runs out of memory).
    const doubling = { reduce: [zeros(1000), { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'x'] }
    const doubled = withFormula('A', { '+': [0, { in: ['y', doubling] }] }).def
    expect(refusal(() => evaluateRuleSet(doubled, doubled.tests![0]!.inputs)).reason).toBe('steps')
    const arrays = { reduce: [zeros(1000), { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] }
    expect(refusal(() => evaluateRuleSet(withFormula('A', { '+': [0, { in: [2, arrays] }] }).def, inputs)).reason).toBe('steps')
  })

  it('has a wall-clock deadline as a second guard', () => {
    const { def } = withFormula('A', nestedReduceAttack())
    const err = refusal(() => evaluateRuleSet(def, def.tests![0]!.inputs, { budget: { steps: Number.MAX_SAFE_INTEGER, ms: 5 } }))
    expect(err.reason).toBe('time')
    expect(err.text.en).toMatch(/ran longer than 5 ms/)
  })

  it('gives a formula run on its own (outside an evaluation) a budget of its own', () => {
    const { def, at } = withFormula('A', nestedReduceAttack())
    expect(() => programOf(def).computed[at]!({})).toThrow(FormulaBudgetExceeded)
  })

  it('leaves nothing for the compiler to fold at build time, so both engines agree where folding got it wrong', () => {
    // The inner loop starts from the outer accumulator: 100 × 100 = 10,000. Folded into a constant at build time, it was 100.
    const acc = { var: 'accumulator' }
    const { def, at } = withFormula('A', { reduce: [zeros(100), { reduce: [zeros(100), { '+': [acc, 1] }, acc] }, 0] })
    for (const engine of ENGINES) expect(programOf(def, engine).computed[at]!({})).toBe(10_000)
  })

  it('changes no result: the shipped test cases still give their expected values', () => {
    const def = nd335RuleSet()
    for (const t of def.tests!) {
      const r = evaluateRuleSet(def, t.inputs)
      if (t.expect.total !== undefined && !t.expect.failure) expect(r.total).toBe(t.expect.total)
    }
  })
})

describe('the formula budget at save', () => {
  it('refuses the attack when the rule set is saved, even with no test case, naming the formula', () => {
    const { def, at } = withFormula('A', nestedReduceAttack())
    def.tests = []
    const result = validateRuleSet(def)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual([{ path: `computed[${at}].formula`, code: 'FORMULA_BUDGET_EXCEEDED', message: expect.stringContaining('with the largest inputs the input schema allows') }])
    expect(result.overBudget!.error.formula).toBe(`computed[${at}].formula ("A")`)
  })

  it('refuses a formula whose cost grows with the inputs: found with the largest inputs the schema allows', () => {
    // ~4,000 steps per product: harmless on the test cases (≤ 4 products), 2,000,000 steps with the 500 the schema allows.
    const perProduct = { reduce: [{ var: 'products' }, { '+': [{ var: 'accumulator' }, { reduce: [zeros(1000), { '+': [{ var: 'accumulator' }, { '*': [1, 1] }] }, 0] }] }, 0] }
    const { def, at } = withFormula('generalScore', { '+': [{ var: 'ethicsScore' }, { var: 'competenceScore' }, { var: 'innovationScore' }, { '*': [0, perProduct] }] })
    for (const t of def.tests!) expect(() => evaluateRuleSet(def, t.inputs)).not.toThrow()
    const result = validateRuleSet(def)
    expect(result.ok ? [] : result.issues).toEqual([{ path: `computed[${at}].formula`, code: 'FORMULA_BUDGET_EXCEEDED', message: expect.stringMatching(/more than 1000000 computation steps with the largest inputs/) }])
  })

  it('refuses "../" var paths (outer scopes in one engine, a plain key in the other) and checks var defaults and missing names like any formula', () => {
    const { def, at } = withFormula('A', { reduce: [{ map: [zeros(3), { var: '../../products' }] }, { '+': [{ var: 'accumulator' }, 1] }, 0] })
    expect(validateRuleSet(def).ok ? [] : (validateRuleSet(def) as { issues: unknown[] }).issues).toEqual([
      { path: `computed[${at}].formula.reduce[0].map[1].var`, message: '"../../products": a var path names keys of its own scope, never "../" outer ones' },
    ])
    const hidden = withFormula('A', { var: ['general.ethics', { eval: ['1'] }] })
    expect(validateRuleSet(hidden.def).ok).toBe(false)
    const inMissing = withFormula('A', { '+': [0, { missing: [{ eval: ['1'] }] }] })
    expect(validateRuleSet(inMissing.def).ok).toBe(false)
  })

  it('accepts the shipped NĐ 335 rule set', () => {
    expect(validateRuleSet(nd335RuleSet()).ok).toBe(true)
  })
})
