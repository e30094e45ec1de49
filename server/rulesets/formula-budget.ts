import { FormulaBudgetExceeded } from '../../rules/formula.budget.js'
import type { Text } from '../../rules/ruleset.types.js'
import { ApiError } from '../errors.js'

/** 400 FORMULA_BUDGET_EXCEEDED: names the formula (its path in the rule set) and, where known, the inputs it ran on. */
export function formulaBudgetError(err: FormulaBudgetExceeded, on?: Text, details?: unknown): ApiError {
  const { vi, en } = err.text
  return new ApiError(400, 'FORMULA_BUDGET_EXCEEDED', on ? `${vi} (${on.vi})` : vi, on ? `${en} (${on.en})` : en, details ?? { path: err.path, formula: err.formula, reason: err.reason, steps: err.steps, budget: err.budget })
}

/** Runs work that evaluates formulas; a runaway formula becomes 400 FORMULA_BUDGET_EXCEEDED instead of a 500. */
export async function refuseRunaway<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof FormulaBudgetExceeded) throw formulaBudgetError(err)
    throw err
  }
}
