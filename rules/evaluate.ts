import jsonLogic from 'json-logic-js'
import { FORMULA_BUDGET, stepsUsed, withinBudget, type Budget } from './formula.budget.js'
import { programOf, truthy, type EngineName, type Program } from './program.js'
import { roundHalfUp } from './rounding.js'
import type { Level, Note, RuleSetDefinition, Text } from './ruleset.types.js'

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
  /** Every computed value, rounded as the rule set declares (others normalised: no 0.30000000000000004). */
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

export const LEVEL_NAMES: Record<Level, Text> = {
  HTXS: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent' },
  HTT: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good' },
  HT: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed' },
  KHT: { vi: 'Không hoàn thành nhiệm vụ', en: 'Not completed' },
}

export interface EvaluateOptions {
  /** `compiled` (default) or `interpreted` (json-logic-js, the reference). */
  engine?: EngineName
  /** false: no trace lines (simulation of a whole cycle needs only values and levels). */
  explain?: boolean
  /** Steps and time the whole evaluation may take (default FORMULA_BUDGET). */
  budget?: Budget
}

/**
 * Evaluates one evaluation's inputs with a rule set. Pure: same inputs, same result — or
 * FormulaBudgetExceeded, naming the formula, when the formulas take more than the budget.
 */
export function evaluateRuleSet(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>, options: EvaluateOptions = {}): EvaluationResult {
  return withinBudget(() => evaluate(ruleSet, inputs, options), options.budget ?? FORMULA_BUDGET)
}

/** The steps one evaluation takes (the measure the budget applies to). */
export function evaluationSteps(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>, options: EvaluateOptions = {}): number {
  return withinBudget(() => {
    evaluate(ruleSet, inputs, options)
    return stepsUsed()
  }, options.budget ?? FORMULA_BUDGET)
}

function evaluate(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>, options: EvaluateOptions): EvaluationResult {
  const program = programOf(ruleSet, options.engine)
  const explain = options.explain ?? true
  const scope: Record<string, unknown> = { ...inputs }
  const values: Record<string, number | null> = {}
  const trace: TraceLine[] = []
  const roundKeys = new Set(ruleSet.rounding.keys)
  const problems: { key: string; message: string }[] = []
  ruleSet.computed.forEach((item, i) => {
    const raw = 'weights' in item ? Object.entries(item.weights).reduce((sum, [path, w]) => sum + (w * (Number(valueAt(scope, path)) || 0)) / 100, 0) : program.computed[i]!(scope)
    const value = toNumberOrNull(raw)
    if (typeof raw !== 'number' && !(raw === null && 'formula' in item && item.nullable)) {
      problems.push({ key: item.key, message: `returned ${JSON.stringify(raw) ?? 'undefined'} (${raw === null ? 'null' : typeof raw}) where a number is due` })
    } else if (value !== null && item.scale && (value < item.scale.min - 1e-9 || value > item.scale.max + 1e-9)) {
      problems.push({ key: item.key, message: `returned ${value}, outside its scale ${item.scale.min}–${item.scale.max}` })
    }
    const shown = value === null ? null : roundKeys.has(item.key) ? roundHalfUp(value, ruleSet.rounding.precision) : Number(value.toPrecision(15))
    values[item.key] = shown
    scope[item.key] = shown
    if (explain && shown !== null) trace.push(line(item.key, item.label, shown))
  })
  const failures = ruleSet.requirements.filter((_, i) => truthy(program.requirements[i]!(scope))).map((r) => ({ code: r.code, message: r.message }))
  if (explain) (ruleSet.notes ?? []).forEach((note, i) => trace.push(...renderNote(note, i, program.notes[i]!, scope)))
  const total = values[ruleSet.totalKey] ?? 0
  const baseLevel = bandOf(ruleSet, total)
  const hit = ruleSet.overrides.find((_, i) => truthy(program.overrides[i]!(scope)))
  const level = hit ? hit.level : baseLevel
  const bandLabel = { vi: 'Xếp loại theo điểm', en: 'Level by score' }
  if (explain) trace.push({
    key: 'level',
    label: bandLabel,
    value: baseLevel,
    text: { vi: `${bandLabel.vi}: ${baseLevel} (${LEVEL_NAMES[baseLevel].vi})`, en: `${bandLabel.en}: ${baseLevel} (${LEVEL_NAMES[baseLevel].en})` },
  })
  if (hit && explain) {
    trace.push({
      key: 'override',
      label: hit.label,
      value: hit.level,
      text: { vi: `Xếp loại ${hit.level} do: ${hit.label.vi}`, en: `Rated ${hit.level} because: ${hit.label.en}` },
    })
  }
  return { values, total, baseLevel, level, override: hit ? { code: hit.code, label: hit.label } : null, failures, problems, trace }
}

/** The band a total falls in: the first band (highest first) whose minimum it reaches. */
export function bandOf(ruleSet: RuleSetDefinition, total: number): Level {
  const ordered = [...ruleSet.bands].sort((x, y) => (y.min ?? -Infinity) - (x.min ?? -Infinity))
  for (const band of ordered) if (band.min === null || total >= band.min) return band.level
  return ordered[ordered.length - 1]!.level
}

const viNumber = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6 })
const enNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })

function line(key: string, label: Text, value: number): TraceLine {
  return { key, label, value, text: { vi: `${label.vi}: ${viNumber.format(value)}`, en: `${label.en}: ${enNumber.format(value)}` } }
}

/** A note for the whole scope, or one per item of an input array, with {placeholders} filled. */
function renderNote(note: Note, index: number, program: Program['notes'][number], scope: Record<string, unknown>): TraceLine[] {
  const items = note.each ? jsonLogic.apply({ var: note.each }, scope) : [scope]
  if (!Array.isArray(items)) return []
  const out: TraceLine[] = []
  for (const item of items) {
    const data = note.each ? { ...(item as object), $: scope } : item
    if (!truthy(program.when(data))) continue
    const named = Object.fromEntries(program.values.map(([k, f]) => [k, f(data)]))
    const fill = (template: string, format: Intl.NumberFormat) =>
      template.replace(/\{(\w+)\}/g, (m, name: string) => (name in named ? (typeof named[name] === 'number' ? format.format(named[name]) : String(named[name])) : m))
    out.push({ key: `note:${index}`, label: note.text, value: null, text: { vi: fill(note.text.vi, viNumber), en: fill(note.text.en, enNumber) } })
  }
  return out
}

function valueAt(scope: Record<string, unknown>, path: string): unknown {
  let node: unknown = scope
  for (const seg of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined
  return node
}

function toNumberOrNull(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : null
}
