/** The shape of a rule set: versioned data, never code. See README "Rules". */

export type JsonLogic = unknown
export type Level = 'HTXS' | 'HTT' | 'HT' | 'KHT'
export const LEVELS: readonly Level[] = ['HTXS', 'HTT', 'HT', 'KHT']

export interface Text {
  vi: string
  en: string
}

/** One named value computed in order; later formulas may use earlier keys via `var`. */
export interface ComputedValue {
  key: string
  label: Text
  formula: JsonLogic
}

/** A condition that blocks submission (e.g. nothing assigned). */
export interface Requirement {
  code: string
  /** JSON Logic; truthy means the requirement is violated. */
  failsWhen: JsonLogic
  message: Text
}

export interface Band {
  level: Level
  /** Inclusive lower bound of the total; null for the lowest band. */
  min: number | null
}

export interface Override {
  code: string
  when: JsonLogic
  level: Level
  label: Text
}

export interface QuotaPolicy {
  /** The level whose count is capped (HTXS). */
  level: Level
  /** The level the capped count is measured against (HTT). */
  ofLevel: Level
  /** Max ratio, e.g. 0.2 → HTXS ≤ 20 % of the final HTT count. */
  cap: number
  /** Level given to candidates that are cut. */
  cutTo: Level
  /** Keys of the computed values used to order candidates, all descending. */
  tieBreak: string[]
  /** Optional position groups: quota applies per unit and per group. positionCode → group. */
  positionGroups?: Record<string, string>
}

export interface Rounding {
  precision: number
  mode: 'half-up'
  /** Computed keys rounded as soon as they are computed. */
  keys: string[]
}

export interface RuleSetDefinition {
  code: string
  name: Text
  description?: Text
  inputSchema: Record<string, unknown>
  uiSchema?: Record<string, unknown>
  /** Input keys only a reviewer may set (adjustments), never the staff member. */
  reviewerOnly?: string[]
  requirements: Requirement[]
  computed: ComputedValue[]
  /** Key of the computed value that bands apply to. */
  totalKey: string
  bands: Band[]
  overrides: Override[]
  quota: QuotaPolicy
  rounding: Rounding
}
