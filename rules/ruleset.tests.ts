import { evaluateRuleSet } from './evaluate.js'
import { classify } from './classify.js'
import { FormulaBudgetExceeded } from './formula.budget.js'
import type { QuotaTestCase, RuleSetDefinition, TestCase } from './ruleset.types.js'

export interface TestMismatch {
  field: string
  expected: unknown
  actual: unknown
}

export interface TestOutcome {
  name: string
  passed: boolean
  mismatches: TestMismatch[]
}

/** Runs a rule set's test cases (and its quota tests): each expectation against the actual result. Throws FormulaBudgetExceeded for a runaway formula. */
export function runTestCases(def: RuleSetDefinition, tests: TestCase[] = def.tests ?? [], quotaTests: QuotaTestCase[] = def.quotaTests ?? []): TestOutcome[] {
  return [...tests.map((test) => runCase(def, test)), ...quotaTests.map((test) => runQuotaCase(def, test))]
}

/** The quota on one unit: final levels after the cap, tie-breaks and ties cut. */
function runQuotaCase(def: RuleSetDefinition, test: QuotaTestCase): TestOutcome {
  const candidates = test.candidates.map((c, i) => ({ id: i + 1, unitId: 1, positionCode: c.positionCode ?? null, level: c.level, values: c.values }))
  const result = classify(candidates, def.quota, test.cap !== undefined ? new Map([[1, test.cap]]) : new Map())
  const mismatches: TestMismatch[] = []
  test.candidates.forEach((c, i) => {
    const expected = test.expect[c.id]
    const actual = result[i]!.finalLevel
    if (expected !== undefined && expected !== actual) mismatches.push({ field: `finalLevel.${c.id}`, expected, actual })
  })
  return { name: test.name, passed: mismatches.length === 0, mismatches }
}

function runCase(def: RuleSetDefinition, test: TestCase): TestOutcome {
  {
    const mismatches: TestMismatch[] = []
    let result: ReturnType<typeof evaluateRuleSet>
    try {
      result = evaluateRuleSet(def, test.inputs)
    } catch (err) {
      if (err instanceof FormulaBudgetExceeded) throw err
      return { name: test.name, passed: false, mismatches: [{ field: '(evaluation)', expected: 'a result', actual: (err as Error).message }] }
    }
    const failure = result.failures[0]?.code
    const check = (field: string, expected: unknown, actual: unknown) => {
      if (expected !== undefined && expected !== actual) mismatches.push({ field, expected, actual })
    }
    check('failure', test.expect.failure ?? (failure ? null : undefined), failure ?? null)
    if (!test.expect.failure) {
      check('total', test.expect.total, result.total)
      check('level', test.expect.level, result.level)
      for (const [key, value] of Object.entries(test.expect.values ?? {})) check(`values.${key}`, value, result.values[key] ?? null)
    }
    for (const p of result.problems) mismatches.push({ field: `values.${p.key}`, expected: 'a number in its scale', actual: p.message })
    return { name: test.name, passed: mismatches.length === 0, mismatches }
  }
}
