import { evaluateRuleSet, evaluateRuleSets, type EvaluateOptions, type EvaluationResult } from '../../rules/evaluate.js'
import { FormulaBudgetExceeded } from '../../rules/formula.budget.js'
import { validateInputs, validateInputsEach, type InputError } from '../../rules/inputs.validate.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { ApiError } from '../errors.js'
import { effectiveInputs } from './effective-inputs.js'

export type ScoreOutcome =
  | { ok: true; inputs: Record<string, unknown>; result: EvaluationResult }
  | { ok: false; code: string; errors: InputError[]; vi: string; en: string; details?: unknown }

/** Validates and scores one evaluation document; used by the API (pre-check) and the activities (of record). */
export function scoreDocument(
  ruleSet: RuleSetDefinition,
  data: Record<string, unknown>,
  adjustments: Record<string, unknown> | null | undefined,
  ruleRole: 'staff' | 'leader',
  extra: Record<string, unknown> = {},
  options: EvaluateOptions = {},
): ScoreOutcome {
  const inputs = effectiveInputs(data, adjustments, ruleRole, extra)
  const errors = validateInputs(ruleSet, inputs)
  if (errors.length) return invalid(errors)
  let result: EvaluationResult
  try {
    result = evaluateRuleSet(ruleSet, inputs, options)
  } catch (err) {
    if (!(err instanceof FormulaBudgetExceeded)) throw err
    return outcome(inputs, err)
  }
  return outcome(inputs, result)
}

/**
 * One document scored with each rule set, as scoreDocument gives it one by one: the inputs built
 * once, validated once per distinct schema, values computed once per distinct formulas (simulation
 * scores every evaluation with two versions that mostly agree).
 */
export function scoreDocumentEach(
  ruleSets: RuleSetDefinition[],
  data: Record<string, unknown>,
  adjustments: Record<string, unknown> | null | undefined,
  ruleRole: 'staff' | 'leader',
  extra: Record<string, unknown> = {},
  options: EvaluateOptions = {},
): ScoreOutcome[] {
  const inputs = effectiveInputs(data, adjustments, ruleRole, extra)
  const errors = validateInputsEach(ruleSets, inputs)
  const valid = ruleSets.filter((_, i) => !errors[i]!.length)
  const results = valid.length ? evaluateRuleSets(valid, inputs, options) : []
  let next = 0
  return errors.map((e) => (e.length ? invalid(e) : outcome(inputs, results[next++]!)))
}

/** The largest total the record holds (evaluations.total is numeric(6,2)). */
export const MAX_TOTAL = 9999.99

function invalid(errors: InputError[]): ScoreOutcome {
  const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ')
  return { ok: false, code: 'VALIDATION_FAILED', errors, vi: `Dữ liệu đánh giá không hợp lệ: ${list}`, en: `Invalid evaluation data: ${list}` }
}

function outcome(inputs: Record<string, unknown>, result: EvaluationResult | FormulaBudgetExceeded): ScoreOutcome {
  // A runaway formula is this document's failure, told like any other (never a retried activity or a 500).
  if (result instanceof FormulaBudgetExceeded) {
    const err = result
    return { ok: false, code: 'FORMULA_BUDGET_EXCEEDED', errors: [], vi: err.text.vi, en: err.text.en, details: { path: err.path, formula: err.formula, reason: err.reason, steps: err.steps, budget: err.budget } }
  }
  const failure = result.failures[0]
  if (failure) return { ok: false, code: failure.code, errors: [], vi: failure.message.vi, en: failure.message.en }
  // The record keeps a total as numeric(6,2): a rule set that yields more is refused here, never a failed write later.
  if (!Number.isFinite(result.total) || Math.abs(result.total) > MAX_TOTAL) {
    const shown = String(result.total).replace('.', ',')
    return {
      ok: false,
      code: 'TOTAL_OUT_OF_RANGE',
      errors: [],
      vi: `Tổng điểm ${shown} nằm ngoài khoảng hồ sơ lưu được (±9999,99); bộ quy tắc cần sửa.`,
      en: `The total ${result.total} is outside what the record holds (±9999.99); the rule set needs fixing.`,
    }
  }
  return { ok: true, inputs, result }
}

/** The API's answer to a document that cannot be scored: 400 with the failure's code and paths. */
export function scoreError(outcome: Extract<ScoreOutcome, { ok: false }>): ApiError {
  return new ApiError(400, outcome.code, outcome.vi, outcome.en, outcome.details ?? outcome.errors)
}

export interface StoredScores {
  values: Record<string, number | null>
  total: number
  baseLevel: EvaluationResult['baseLevel']
  level: EvaluationResult['level']
  override: EvaluationResult['override']
  trace: EvaluationResult['trace']
  ruleSetId: number
  ruleHash: string
}

/** What is stored beside an evaluation: enough to reproduce and explain every number. */
export function storedScores(result: EvaluationResult, ruleSetId: number, ruleHash: string): StoredScores {
  return {
    values: result.values,
    total: result.total,
    baseLevel: result.baseLevel,
    level: result.level,
    override: result.override,
    trace: result.trace,
    ruleSetId,
    ruleHash,
  }
}
