import jsonLogic from 'json-logic-js'
import { roundHalfUp } from './rounding.js'
import type { Level, RuleSetDefinition, Text } from './ruleset.types.js'

export interface TraceLine {
  key: string
  label: Text
  value: number | string | null
}

export interface RequirementFailure {
  code: string
  message: Text
}

export interface EvaluationResult {
  /** Every computed value, rounded as the rule set declares. */
  values: Record<string, number | null>
  total: number
  /** Level from the bands alone. */
  baseLevel: Level
  /** Level after overrides (before quota). */
  level: Level
  override: { code: string; label: Text } | null
  failures: RequirementFailure[]
  trace: TraceLine[]
}

/** Evaluates one evaluation's inputs with a rule set. Pure: same inputs, same result. */
export function evaluateRuleSet(ruleSet: RuleSetDefinition, inputs: Record<string, unknown>): EvaluationResult {
  const scope: Record<string, unknown> = { ...inputs }
  const values: Record<string, number | null> = {}
  const trace: TraceLine[] = []
  const roundKeys = new Set(ruleSet.rounding.keys)
  for (const item of ruleSet.computed) {
    const raw = jsonLogic.apply(item.formula as jsonLogic.RulesLogic, scope) as unknown
    const value = toNumberOrNull(raw)
    const shown = value !== null && roundKeys.has(item.key) ? roundHalfUp(value, ruleSet.rounding.precision) : value
    values[item.key] = shown
    scope[item.key] = shown
    trace.push({ key: item.key, label: item.label, value: shown })
  }
  const failures = ruleSet.requirements
    .filter((r) => truthy(jsonLogic.apply(r.failsWhen as jsonLogic.RulesLogic, scope)))
    .map((r) => ({ code: r.code, message: r.message }))
  const total = values[ruleSet.totalKey] ?? 0
  const baseLevel = bandOf(ruleSet, total)
  const hit = ruleSet.overrides.find((o) => truthy(jsonLogic.apply(o.when as jsonLogic.RulesLogic, scope)))
  const level = hit ? hit.level : baseLevel
  trace.push({ key: 'level', label: { vi: 'Xếp loại theo điểm', en: 'Level by score' }, value: baseLevel })
  if (hit) trace.push({ key: 'override', label: hit.label, value: hit.level })
  return { values, total, baseLevel, level, override: hit ? { code: hit.code, label: hit.label } : null, failures, trace }
}

/** The band a total falls in: the first band (highest first) whose minimum it reaches. */
export function bandOf(ruleSet: RuleSetDefinition, total: number): Level {
  const ordered = [...ruleSet.bands].sort((x, y) => (y.min ?? -Infinity) - (x.min ?? -Infinity))
  for (const band of ordered) if (band.min === null || total >= band.min) return band.level
  return ordered[ordered.length - 1]!.level
}

function toNumberOrNull(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null
  const n = typeof raw === 'number' ? raw : Number(raw)
  return Number.isFinite(n) ? n : null
}

function truthy(value: unknown): boolean {
  return jsonLogic.truthy(value)
}
