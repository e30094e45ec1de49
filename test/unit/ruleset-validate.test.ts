import { describe, expect, it } from 'vitest'
import { departmentKpiRuleSet, nd335FlatRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import { runTestCases } from '../../rules/ruleset.tests.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { mutants } from '../support/mutate.js'

const base = (): RuleSetDefinition => nd335RuleSet()
const index = (def: RuleSetDefinition, key: string) => def.computed.findIndex((c) => c.key === key)
/** Replaces the formula of one computed value. */
const withFormula = (key: string, formula: unknown) => {
  const def = base()
  const i = index(def, key)
  def.computed[i] = { ...def.computed[i]!, formula }
  return def
}
const issuesOf = (raw: unknown) => {
  const r = validateRuleSet(raw)
  return r.ok ? [] : r.issues
}

describe('rule-set validation on save', () => {
  it('accepts the shipped NĐ 335 rule set, and every one of its test cases passes', () => {
    expect(issuesOf(base())).toEqual([])
    const outcomes = runTestCases(base())
    expect(outcomes.length).toBeGreaterThanOrEqual(29)
    expect(outcomes.filter((o) => o.name.startsWith('Tỷ lệ'))).toHaveLength(5)
    expect(outcomes.filter((o) => !o.passed)).toEqual([])
  })

  it('accepts the example department KPI set (weighted groups, no code) and its test cases pass', () => {
    const def = departmentKpiRuleSet()
    expect(issuesOf(def)).toEqual([])
    expect(runTestCases(def).filter((o) => !o.passed)).toEqual([])
    const r = evaluateRuleSet(def, def.tests![0]!.inputs)
    expect(r.trace.map((l) => l.text.vi).slice(0, 3)).toEqual(['Nhiệm vụ theo kế hoạch: 95,25', 'Nhiệm vụ phát sinh: 95', 'Nhiệm vụ khác: 80'])
  })

  it('rejects an unknown operation with its path', () => {
    const def = withFormula('b', { if: [true, { eval: ['1+1'] }, 0] })
    expect(issuesOf(def)).toEqual([{ path: `computed[${index(def, 'b')}].formula.if[1].eval`, message: 'unknown operation "eval"' }])
  })

  it('rejects `method` (calling JavaScript methods) and objects with two operations', () => {
    expect(issuesOf(withFormula('a', { method: [{ var: 'products' }, 'toString'] }))[0]!.message).toBe('unknown operation "method"')
    expect(issuesOf(withFormula('a', { '+': [1, 2], '-': [3, 1] }))[0]!.message).toMatch(/exactly one key, found 2/)
  })

  it('rejects a var that is neither an input nor computed earlier', () => {
    const def = withFormula('c', { '*': [{ var: 'products.0.weight' }, 2] })
    expect(issuesOf(def)).toEqual([{ path: `computed[${index(def, 'c')}].formula.*[0].var`, message: '"products.0.weight" is not in the input schema nor a value computed before this formula' }])
    // Later values are not visible yet: `a` may not use `task`.
    expect(issuesOf(withFormula('a', { var: 'task' }))[0]!.message).toMatch(/"task" is not in the input schema/)
    // Inside map/reduce, names resolve against the array items.
    expect(issuesOf(withFormula('a', { reduce: [{ map: [{ var: 'products' }, { var: 'nope' }] }, { '+': [{ var: 'accumulator' }, { var: 'current' }] }, 0] }))[0]!.message).toMatch(/"nope"/)
  })

  it('requires the weights of a weighted group to sum to 100', () => {
    const def = base()
    def.computed.splice(index(def, 'task'), 0, { key: 'mix', label: { vi: 'Tổng hợp', en: 'Mix' }, weights: { a: 40, b: 40, c: 30 } })
    expect(issuesOf(def)).toEqual([{ path: `computed[${index(def, 'mix')}].weights`, message: 'weights sum to 110, not 100' }])
    def.computed[index(def, 'mix')] = { key: 'mix', label: { vi: 'Tổng hợp', en: 'Mix' }, weights: { a: 40, b: 30, c: 30 } }
    expect(issuesOf(def)).toEqual([])
    // 93.33 × 0.4 + 89.17 × 0.3 + 91.67 × 0.3 = 91.584 → 91.58 once rounded
    def.rounding.keys.push('mix')
    expect(evaluateRuleSet(def, def.tests![0]!.inputs).values['mix']).toBe(91.58)
  })

  it('refuses a 10,000-level nesting and a 1 MB rule set without falling over', () => {
    let deep: unknown = 1
    for (let i = 0; i < 10_000; i++) deep = { '+': [deep, 1] }
    expect(issuesOf(withFormula('a', deep))).toEqual([{ path: '(root)', message: 'nested deeper than 200 levels' }])
    let fairlyDeep: unknown = 1
    for (let i = 0; i < 80; i++) fairlyDeep = { '+': [fairlyDeep, 1] }
    const def = withFormula('a', fairlyDeep)
    expect(issuesOf(def)[0]).toEqual({ path: expect.stringMatching(new RegExp(`^computed\\[${index(def, 'a')}\\]\\.formula\\.\\+`)), message: 'nested deeper than 64 levels' })
    const huge = base()
    huge.description = { vi: 'x'.repeat(1_000_000), en: 'x' }
    expect(issuesOf(huge)).toEqual([{ path: '(root)', message: expect.stringMatching(/about \d{3,4} KiB, more than 256 KiB/) }])
  })

  it('refuses a formula that returns a string where a number is due, found on the test cases', () => {
    const def = withFormula('c', { cat: ['9', '0'] })
    expect(issuesOf(def)[0]).toEqual({ path: `computed[${index(def, 'c')}].formula`, message: expect.stringMatching(/returned "90" \(string\) where a number is due/) })
    const outOfScale = withFormula('a', { '*': [{ var: 'A' }, 100] })
    expect(issuesOf(outOfScale)[0]!.message).toMatch(/outside its scale 0–100/)
  })

  it('names inconsistent references: total, rounding, tie-break, bands', () => {
    const def = base()
    def.totalKey = 'sum'
    def.quota.tieBreak = ['total', 'nope']
    def.bands = [{ level: 'HTXS', min: 90 }, { level: 'HTXS', min: 70 }]
    expect(issuesOf(def).map((i) => i.path)).toEqual(['totalKey', 'quota.tieBreak[1]', 'bands', 'bands'])
  })

  it('fails a quota test whose expectation does not hold', () => {
    const def = base()
    def.quotaTests = [{ ...def.quotaTests![3]!, cap: undefined, name: 'quên ngoại lệ' }]
    expect(runTestCases(def, [])).toEqual([{ name: 'quên ngoại lệ', passed: false, mismatches: [{ field: 'finalLevel.X2', expected: 'HTXS', actual: 'HTT' }] }])
  })

  it('fails a test case whose expectation does not hold, showing expected and actual', () => {
    const def = base()
    def.tests = [{ name: 'sai kỳ vọng', inputs: def.tests![0]!.inputs, expect: { total: 91, level: 'HTT', values: { a: 93.33 } } }]
    expect(runTestCases(def, def.tests, [])).toEqual([
      {
        name: 'sai kỳ vọng',
        passed: false,
        mismatches: [
          { field: 'total', expected: 91, actual: 90.97 },
          { field: 'level', expected: 'HTT', actual: 'HTXS' },
        ],
      },
    ])
  })
})

describe('exact arithmetic', () => {
  it('shows no float artefacts, rounded or not', () => {
    const def = base()
    def.computed.push({ key: 'tenths', label: { vi: 'Thử', en: 'Try' }, formula: { '+': [0.1, 0.2] } })
    def.computed.push({ key: 'thirds', label: { vi: 'Thử', en: 'Try' }, formula: { '*': [{ '/': [1, 3] }, 3] } })
    const r = evaluateRuleSet(def, def.tests![0]!.inputs)
    expect(r.values['tenths']).toBe(0.3)
    expect(r.values['thirds']).toBe(1)
  })
})

describe('explanations', () => {
  it('explains a score in plain Vietnamese (stable trace)', () => {
    // The first content's trace (its three general boxes); Mẫu 01's is asserted in mau01-rules.test.ts.
    const flat = nd335FlatRuleSet()
    const r = evaluateRuleSet(flat, flat.tests![0]!.inputs)
    expect(r.trace.map((l) => l.text.vi)).toMatchInlineSnapshot(`
      [
        "Tổng sản phẩm quy đổi được giao: 15",
        "Điểm tiêu chí chung: 27",
        "Số lượng (%): 93,33",
        "Chất lượng (%): 89,17",
        "Tiến độ (%): 91,67",
        "Điểm kết quả thực hiện nhiệm vụ: 63,97",
        "Tổng điểm: 90,97",
        "Chất lượng: −25% sản phẩm BC do 1 lần trả lại",
        "Tiến độ: −25% sản phẩm VB do 1 lần chậm",
        "Số lượng: sản phẩm VB hoàn thành 9/10",
        "Xếp loại theo điểm: HTXS (Hoàn thành xuất sắc nhiệm vụ)",
      ]
    `)
    const leader = evaluateRuleSet(flat, { ...flat.tests![0]!.inputs, role: 'leader', leader: { subordinatesNotCompleted: 2, unitPlanScore: 80 }, overrides: { discipline: 'warning' } })
    expect(leader.trace.slice(-3).map((l) => l.text.vi)).toEqual([
      'Kết quả cấp dưới: 2 người không hoàn thành nhiệm vụ nên chỉ được 50%',
      'Xếp loại theo điểm: HTT (Hoàn thành tốt nhiệm vụ)',
      'Xếp loại KHT do: Bị kỷ luật từ khiển trách trở lên trong kỳ',
    ])
  })
})

describe('fuzz: random mutations of a valid rule set', () => {
  it('either accepts and evaluates, or refuses with a path — never throws', () => {
    let accepted = 0
    let refused = 0
    for (const def of mutants(base(), 400, 20261122)) {
      const result = validateRuleSet(def)
      if (result.ok) {
        accepted++
        for (const t of result.definition.tests ?? []) expect(() => evaluateRuleSet(result.definition, t.inputs)).not.toThrow()
      } else {
        refused++
        for (const issue of result.issues) {
          expect(issue.path).toMatch(/^[\w$[\].*+\-!=<>?:/%]+$|^\(root\)$/)
          expect(issue.message.length).toBeGreaterThan(0)
        }
      }
    }
    expect(accepted).toBeGreaterThan(0)
    expect(refused).toBeGreaterThan(0)
  })
})
