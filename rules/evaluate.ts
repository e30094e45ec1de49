import jsonLogic from 'json-logic-js'
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

/** Evaluates one evaluation's inputs with a rule set. Pure: same inputs, same result. */
export function evaluateRuleSet(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>): EvaluationResult {
  const scope: Record<string, unknown> = { ...inputs }
  const values: Record<string, number | null> = {}
  const trace: TraceLine[] = []
  const roundKeys = new Set(ruleSet.rounding.keys)
  const problems: { key: string; message: string }[] = []
  for (const item of ruleSet.computed) {
    const raw =
      'weights' in item
        ? Object.entries(item.weights).reduce((sum, [k, w]) => sum + (w * (Number(scope[k]) || 0)) / 100, 0)
        : (jsonLogic.apply(item.formula as jsonLogic.RulesLogic, scope) as unknown)
    const value = toNumberOrNull(raw)
    if (typeof raw !== 'number' && !(raw === null && 'formula' in item && item.nullable)) {
      problems.push({ key: item.key, message: `returned ${JSON.stringify(raw) ?? 'undefined'} (${raw === null ? 'null' : typeof raw}) where a number is due` })
    } else if (value !== null && item.scale && (value < item.scale.min - 1e-9 || value > item.scale.max + 1e-9)) {
      problems.push({ key: item.key, message: `returned ${value}, outside its scale ${item.scale.min}–${item.scale.max}` })
    }
    const shown = value === null ? null : roundKeys.has(item.key) ? roundHalfUp(value, ruleSet.rounding.precision) : Number(value.toPrecision(15))
    values[item.key] = shown
    scope[item.key] = shown
    if (shown !== null) trace.push(line(item.key, item.label, shown))
  }
  const failures = ruleSet.requirements
    .filter((r) => jsonLogic.truthy(jsonLogic.apply(r.failsWhen as jsonLogic.RulesLogic, scope)))
    .map((r) => ({ code: r.code, message: r.message }))
  for (const [i, note] of (ruleSet.notes ?? []).entries()) trace.push(...renderNote(note, i, scope))
  const total = values[ruleSet.totalKey] ?? 0
  const baseLevel = bandOf(ruleSet, total)
  const hit = ruleSet.overrides.find((o) => jsonLogic.truthy(jsonLogic.apply(o.when as jsonLogic.RulesLogic, scope)))
  const level = hit ? hit.level : baseLevel
  const bandLabel = { vi: 'Xếp loại theo điểm', en: 'Level by score' }
  trace.push({
    key: 'level',
    label: bandLabel,
    value: baseLevel,
    text: { vi: `${bandLabel.vi}: ${baseLevel} (${LEVEL_NAMES[baseLevel].vi})`, en: `${bandLabel.en}: ${baseLevel} (${LEVEL_NAMES[baseLevel].en})` },
  })
  if (hit) {
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
function renderNote(note: Note, index: number, scope: Record<string, unknown>): TraceLine[] {
  const items = note.each ? jsonLogic.apply({ var: note.each }, scope) : [scope]
  if (!Array.isArray(items)) return []
  const out: TraceLine[] = []
  for (const item of items) {
    const data = note.each ? { ...(item as object), $: scope } : item
    if (!jsonLogic.truthy(jsonLogic.apply(note.when as jsonLogic.RulesLogic, data))) continue
    const named = Object.fromEntries(Object.entries(note.values ?? {}).map(([k, f]) => [k, jsonLogic.apply(f as jsonLogic.RulesLogic, data) as unknown]))
    const fill = (template: string, format: Intl.NumberFormat) =>
      template.replace(/\{(\w+)\}/g, (m, name: string) => (name in named ? (typeof named[name] === 'number' ? format.format(named[name] as number) : String(named[name])) : m))
    out.push({ key: `note:${index}`, label: note.text, value: null, text: { vi: fill(note.text.vi, viNumber), en: fill(note.text.en, enNumber) } })
  }
  return out
}

function toNumberOrNull(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : null
}
