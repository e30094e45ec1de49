import { readFileSync } from 'node:fs'
import type { RuleSetDefinition } from './ruleset.types.js'

const here = new URL('./defaults/', import.meta.url)

/** The default NĐ 335 rule set shipped as data (rules/defaults/nd335.ruleset.json). */
export function nd335RuleSet(): RuleSetDefinition {
  return JSON.parse(readFileSync(new URL('nd335.ruleset.json', here), 'utf8')) as RuleSetDefinition
}
