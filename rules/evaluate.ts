import { contentKey } from './content.cache.js'
import { BAND_LABEL, LEVEL_NAMES, planOf, type NoteStep, type Plan, type TemplatePart, type ValuesPlan } from './evaluate.plan.js'
import { FORMULA_BUDGET, FormulaBudgetExceeded, meterMark, meterRewind, stepsUsed, withinBudget, type Budget } from './formula.budget.js'
import { formatNumber, type NumberLocale } from './number.format.js'
import { truthy, type EngineName } from './program.js'
import { fifteenDigits, roundHalfUp } from './rounding.js'
import type { Level, RuleSetDefinition, Text } from './ruleset.types.js'

export { LEVEL_NAMES }

export interface TraceLine {
  key: string
  label: Text
  value: number | string | null
  /** The line as a person reads it, in Vietnamese and English. */
  text: Text
}

export interface RequirementFailure {
  code: string
  message: Text
}

export interface EvaluationResult {
  /**
   * Every computed value as shown and stored: rounded as the rule set declares (`rounding.keys` and
   * `rounding.display`), others normalised (no 0.30000000000000004). A `display` value was used in full.
   */
  values: Record<string, number | null>
  total: number
  /** Level from the bands alone. */
  baseLevel: Level
  /** Level after overrides (before quota). */
  level: Level
  override: { code: string; label: Text } | null
  failures: RequirementFailure[]
  /** Formulas that returned something other than a number in their scale (a broken rule set; the publish gate catches these). */
  problems: { key: string; message: string }[]
  /** Every intermediate value, then the plain-language notes, the band and any override. */
  trace: TraceLine[]
}

export interface EvaluateOptions {
  /** `compiled` (default) or `interpreted` (json-logic-js, the reference). */
  engine?: EngineName
  /**
   * true (default): the trace — what every stored score keeps and the evaluation page shows.
   * false: no trace lines and no notes (simulation of a whole cycle needs only values and levels).
   */
  explain?: boolean
  /** Steps and time the whole evaluation may take (default FORMULA_BUDGET). */
  budget?: Budget
}

/**
 * Evaluates one evaluation's inputs with a rule set. Pure: same inputs, same result — or
 * FormulaBudgetExceeded, naming the formula, when the formulas take more than the budget.
 */
export function evaluateRuleSet(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>, options: EvaluateOptions = {}): EvaluationResult {
  const plan = planOf(ruleSet, options.engine)
  return withinBudget(() => evaluate(plan, inputs, options.explain ?? true), options.budget ?? FORMULA_BUDGET)
}

/** The steps one evaluation takes (the measure the budget applies to). */
export function evaluationSteps(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>, options: EvaluateOptions = {}): number {
  const plan = planOf(ruleSet, options.engine)
  return withinBudget(() => {
    evaluate(plan, inputs, options.explain ?? true)
    return stepsUsed()
  }, options.budget ?? FORMULA_BUDGET)
}

/**
 * The same inputs evaluated with each rule set, as `evaluateRuleSet` gives them one by one (or the
 * FormulaBudgetExceeded it throws), in order. Rule sets sharing their computed values (the same
 * formulas and rounding: a candidate that changes bands, overrides or requirements) compute them
 * once, each then running the rest of its formulas from where the budget stood after them; equal
 * rule sets share one result. Results are shared as they are: read them, do not change them.
 */
export function evaluateRuleSets(ruleSets: RuleSetDefinition[], inputs: Record<string, unknown>, options: EvaluateOptions = {}): (EvaluationResult | FormulaBudgetExceeded)[] {
  const plans = ruleSets.map((r) => planOf(r, options.engine))
  const explain = options.explain ?? true
  const out: (EvaluationResult | FormulaBudgetExceeded | undefined)[] = plans.map(() => undefined)
  for (let i = 0; i < plans.length; i++) {
    if (out[i] !== undefined) continue
    const shared = plans[i]!.values
    try {
      withinBudget(() => {
        const computed = computeValues(shared, inputs, explain)
        const mark = meterMark()
        for (let j = i; j < plans.length; j++) {
          if (plans[j]!.values !== shared || out[j] !== undefined) continue
          meterRewind(mark)
          let result: EvaluationResult | FormulaBudgetExceeded
          try {
            result = verdict(plans[j]!, computed, explain, j > i)
          } catch (err) {
            if (!(err instanceof FormulaBudgetExceeded)) throw err
            result = err
          }
          for (let k = j; k < plans.length; k++) if (plans[k] === plans[j]) out[k] = result
        }
      }, options.budget ?? FORMULA_BUDGET)
    } catch (err) {
      // The shared values ran out of the budget: so does each rule set computing them.
      if (!(err instanceof FormulaBudgetExceeded)) throw err
      for (let j = i; j < plans.length; j++) if (plans[j]!.values === shared && out[j] === undefined) out[j] = err
    }
  }
  return out as (EvaluationResult | FormulaBudgetExceeded)[]
}

function evaluate(plan: Plan, inputs: Record<string, unknown>, explain: boolean): EvaluationResult {
  return verdict(plan, computeValues(plan.values, inputs, explain), explain, false)
}

/** The computed values of one evaluation: the scope later formulas read, the values as shown, their trace lines. */
interface Computed {
  scope: Record<string, unknown>
  values: Record<string, number | null>
  problems: { key: string; message: string }[]
  /** The values' trace lines; the first verdict on them appends its own. */
  trace: TraceLine[]
  /** How many lines of `trace` are the values' own. */
  lines: number
}

function computeValues(plan: ValuesPlan, inputs: Record<string, unknown>, explain: boolean): Computed {
  const scope: Record<string, unknown> = { ...inputs }
  const values: Record<string, number | null> = {}
  const trace: TraceLine[] = []
  const problems: { key: string; message: string }[] = []
  // Indexed loops throughout: for…of allocated an iterator per loop here (evaluation is the hot path of simulation).
  for (let i = 0; i < plan.computed.length; i++) {
    const item = plan.computed[i]!
    const raw = item.weights ? weighted(item.weights, scope) : item.formula!(scope)
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null
    if (typeof raw !== 'number' && !(raw === null && item.nullable)) {
      problems.push({ key: item.key, message: `returned ${JSON.stringify(raw) ?? 'undefined'} (${raw === null ? 'null' : typeof raw}) where a number is due` })
    } else if (value !== null && item.scale && (value < item.scale.min - 1e-9 || value > item.scale.max + 1e-9)) {
      problems.push({ key: item.key, message: `returned ${value}, outside its scale ${item.scale.min}–${item.scale.max}` })
    }
    // Only `round` keys are rounded in the arithmetic; a `display` key is shown rounded and used in full.
    const shown = value === null ? null : item.round || item.display ? roundHalfUp(value, plan.precision) : fifteenDigits(value)
    values[item.key] = shown
    scope[item.key] = item.display ? value : shown
    if (explain && shown !== null) {
      trace.push({ key: item.key, label: item.label, value: shown, text: { vi: item.prefix.vi + formatNumber(shown, 'vi'), en: item.prefix.en + formatNumber(shown, 'en') } })
    }
  }
  return { scope, values, problems, trace, lines: trace.length }
}

/** Requirements, notes, band and override on computed values; `again` when a verdict on the same values came first (its trace starts from the values' lines). */
function verdict(plan: Plan, computed: Computed, explain: boolean, again: boolean): EvaluationResult {
  const { scope, values, problems } = computed
  const trace = again ? computed.trace.slice(0, computed.lines) : computed.trace
  const failures: RequirementFailure[] = []
  for (let i = 0; i < plan.requirements.length; i++) {
    const r = plan.requirements[i]!
    if (truthy(r.failsWhen(scope))) failures.push({ code: r.code, message: r.message })
  }
  if (explain) renderNotes(plan.notes, scope, trace)
  const total = values[plan.totalKey] ?? 0
  const baseLevel = bandIn(plan.bands, total)
  let hit: Plan['overrides'][number] | undefined
  for (let i = 0; i < plan.overrides.length && !hit; i++) if (truthy(plan.overrides[i]!.when(scope))) hit = plan.overrides[i]
  if (explain) {
    const band = plan.bandText[baseLevel]
    trace.push({ key: 'level', label: BAND_LABEL, value: baseLevel, text: { vi: band.vi, en: band.en } })
  }
  if (hit && explain) trace.push({ key: 'override', label: hit.label, value: hit.level, text: { vi: hit.text.vi, en: hit.text.en } })
  return { values, total, baseLevel, level: hit ? hit.level : baseLevel, override: hit ? { code: hit.code, label: hit.label } : null, failures, problems, trace }
}

/** The band a total falls in: the first band (highest first) whose minimum it reaches. */
export function bandOf(ruleSet: RuleSetDefinition, total: number): Level {
  return bandIn([...ruleSet.bands].sort((x, y) => (y.min ?? -Infinity) - (x.min ?? -Infinity)), total)
}

/**
 * What scoring one document reads of a rule set, but the bands: two rule sets equal in this give
 * every document the same values, requirements and override, and differ at most in the band its
 * total falls in. Names, the form's layout, notes (the trace only), tests and the quota (applied
 * after scoring) are left out; everything else counts, so an unknown field errs towards scoring again.
 */
const scoringButBands = ({ bands: _b, name: _n, description: _d, uiSchema: _u, notes: _no, tests: _t, quotaTests: _q, quota: _qu, initialInputs: _i, ...rest }: RuleSetDefinition) => contentKey(rest)

/** Whether `b` scores every document as `a` does but for its bands (a candidate moving a threshold). */
export function scoresAlikeButBands(a: RuleSetDefinition, b: RuleSetDefinition): boolean {
  return a === b || scoringButBands(a) === scoringButBands(b)
}

/**
 * A result of one rule set as another that scores alike but for its bands (`scoresAlikeButBands`)
 * gives it: the same values and total, the band of the total in its bands, and the same override
 * (an override's condition reads the inputs and values, never the band), so its level stays.
 */
export function rebanded<T extends Pick<EvaluationResult, 'total' | 'baseLevel' | 'level' | 'override'>>(ruleSet: RuleSetDefinition, result: T): T {
  const baseLevel = bandIn(planOf(ruleSet).bands, result.total)
  return { ...result, baseLevel, level: result.override ? result.level : baseLevel }
}

function bandIn(ordered: Plan['bands'], total: number): Level {
  for (let i = 0; i < ordered.length; i++) {
    const band = ordered[i]!
    if (band.min === null || total >= band.min) return band.level
  }
  return ordered[ordered.length - 1]!.level
}

/**
 * Each note for the whole scope, or once per item of an input array, with {placeholders} filled.
 * Notes over the same array share each item's data (the item and `$`, the whole scope).
 */
function renderNotes(notes: NoteStep[], scope: Record<string, unknown>, trace: TraceLine[]): void {
  let shared: { each: string[]; data: unknown[] } | null = null
  for (let n = 0; n < notes.length; n++) {
    const note = notes[n]!
    let data: unknown[]
    if (!note.each) data = [scope]
    else if (shared && sameArray(shared.each, note.each)) data = shared.data
    else {
      const items = varAt(scope, note.each)
      if (!Array.isArray(items)) continue
      data = items.map((item: unknown) => ({ ...(item as object), $: scope }))
      shared = { each: note.each, data }
    }
    for (let i = 0; i < data.length; i++) {
      const item = data[i]
      if (!truthy(note.when(item))) continue
      const named: unknown[] = []
      for (let v = 0; v < note.values.length; v++) named.push(note.values[v]!(item))
      trace.push({ key: note.key, label: note.text, value: null, text: { vi: fill(note.vi, named, 'vi'), en: fill(note.en, named, 'en') } })
    }
  }
}

function fill(parts: TemplatePart[], named: unknown[], locale: NumberLocale): string {
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (typeof part === 'string') out += part
    else {
      const value = named[part]
      out += typeof value === 'number' ? formatNumber(value, locale) : String(value)
    }
  }
  return out
}

/** Σ weight × value / 100, a missing or non-numeric value counting 0. */
function weighted(weights: { path: string[]; weight: number }[], scope: Record<string, unknown>): number {
  let sum = 0
  for (let i = 0; i < weights.length; i++) {
    const { path, weight } = weights[i]!
    let node: unknown = scope
    for (let j = 0; j < path.length; j++) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[path[j]!] : undefined
    sum += (weight * (Number(node) || 0)) / 100
  }
  return sum
}

/** json-logic-js `{ var: path }` on the scope (null when a step is missing), without going through its interpreter. */
function varAt(scope: unknown, path: string[]): unknown {
  let node = scope
  for (let i = 0; i < path.length; i++) {
    if (node === null || node === undefined) return null
    node = (node as Record<string, unknown>)[path[i]!]
    if (node === undefined) return null
  }
  return node
}

function sameArray(x: string[], y: string[]): boolean {
  return x.length === y.length && x.every((s, i) => s === y[i])
}
