import { evaluateRuleSet } from './evaluate.js'
import { FormulaBudgetExceeded } from './formula.budget.js'
import { largestInputs } from './inputs.sample.js'
import type { RuleSetDefinition, Text } from './ruleset.types.js'

/** A formula that ran out of the budget before the rule set was saved, and on which inputs. */
export interface BudgetFailure {
  error: FormulaBudgetExceeded
  /** The inputs it ran on, as the person reads it: a test case's name or the largest inputs. */
  on: Text
}

/**
 * Runs every formula on the rule set's test cases, then on the largest inputs its schema allows
 * (inputs.sample.ts): the first evaluation that takes more than the budget is the answer. A
 * runaway formula is so refused when it is saved, not when a cycle scores with it.
 */
export function checkFormulaBudget(def: RuleSetDefinition): BudgetFailure | null {
  const runs: { inputs: Record<string, unknown>; on: Text }[] = [
    ...(def.tests ?? []).map((t) => ({ inputs: t.inputs, on: { vi: `với ca kiểm thử "${t.name}"`, en: `on test case "${t.name}"` } })),
    ...largestInputs(def.inputSchema).map((inputs) => ({ inputs, on: { vi: 'với dữ liệu lớn nhất mà lược đồ đầu vào cho phép', en: 'with the largest inputs the input schema allows' } })),
  ]
  for (const run of runs) {
    try {
      evaluateRuleSet(def, run.inputs, { explain: true })
    } catch (err) {
      if (err instanceof FormulaBudgetExceeded) return { error: err, on: run.on }
      // Anything else is not this check's business: the test cases report it.
    }
  }
  return null
}
