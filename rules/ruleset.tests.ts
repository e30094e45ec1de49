import { evaluateRuleSet } from './evaluate.js'
import type { RuleSetDefinition, TestCase } from './ruleset.types.js'

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

/** Runs a rule set's test cases: each expected total, level, value and failure against the actual result. */
export function runTestCases(def: RuleSetDefinition, tests: TestCase[] = def.tests ?? []): TestOutcome[] {
  return tests.map((test) => {
    const mismatches: TestMismatch[] = []
    let result: ReturnType<typeof evaluateRuleSet>
    try {
      result = evaluateRuleSet(def, test.inputs)
    } catch (err) {
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
  })
}
