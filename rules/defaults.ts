import { readFileSync } from 'node:fs'
import type { RuleSetDefinition } from './ruleset.types.js'

const here = new URL('./defaults/', import.meta.url)

const load = (file: string) => JSON.parse(readFileSync(new URL(file, here), 'utf8')) as RuleSetDefinition

/** The default NĐ 335 rule set shipped as data (rules/defaults/nd335.ruleset.json): staff and leaders. */
export function nd335RuleSet(): RuleSetDefinition {
  return load('nd335.ruleset.json')
}

/**
 * The first NĐ 335 content (rules/defaults/nd335-v1.ruleset.json): three 0–10 boxes of general
 * criteria and every intermediate value rounded as it is computed. No longer published on first
 * start; kept because cycles launched on it keep scoring with it, so its behaviour stays tested.
 */
export function nd335FlatRuleSet(): RuleSetDefinition {
  return load('nd335-v1.ruleset.json')
}

/** An example of a department's own KPI set (Khung KPIs style): a different structure, no code. */
export function departmentKpiRuleSet(): RuleSetDefinition {
  return load('department-kpi.ruleset.json')
}

/**
 * The annual classification (issue 14, rules/defaults/nd335-annual.ruleset.json): the mean of the
 * year's classified period totals over the months worked, overrides, bands and quota as data.
 */
export function nd335AnnualRuleSet(): RuleSetDefinition {
  return load('nd335-annual.ruleset.json')
}

/**
 * Unit evaluation (issue 14.2, rules/defaults/unit-kpi.ruleset.json): foundational, functional and
 * unit-specific KPIs of the Ban's framework from weighted groups only, the four levels, no quota.
 */
export function unitKpiRuleSet(): RuleSetDefinition {
  return load('unit-kpi.ruleset.json')
}

/** Every rule set shipped with the product, published on first start (NĐ 335 first: the default; new ones are appended). */
export function defaultRuleSets(): RuleSetDefinition[] {
  return [nd335RuleSet(), departmentKpiRuleSet(), nd335AnnualRuleSet(), unitKpiRuleSet()]
}
