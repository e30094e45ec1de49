/** Shared rule-set vocabulary; the rule-set shape itself is inferred from ruleset.schema.ts. */
export type { AnnualPolicy, ComputedValue, ExternalInput, Note, QuotaPolicy, QuotaTestCase, RuleSetDefinition, TestCase, WeightedValue } from './ruleset.schema.js'

export type Level = 'HTXS' | 'HTT' | 'HT' | 'KHT'
export const LEVELS: readonly Level[] = ['HTXS', 'HTT', 'HT', 'KHT']

export interface Text {
  vi: string
  en: string
}
