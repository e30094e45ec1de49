import type { ExternalInput, RuleSetDefinition } from '../../rules/ruleset.types.js'
import { inputNodeAt } from '../../rules/ruleset.validate.js'

/** One indicator (system + code) as the published rule sets declare it. */
export interface DeclaredIndicator {
  system: string
  code: string
  unit: string
  scope: 'person' | 'unit'
  /** The earliest closing day any declaring rule set gives (the strictest lock). */
  closingDay: number
  /** The range every declaring rule set's input schema allows at its path. */
  min: number | null
  max: number | null
  integer: boolean
  label: ExternalInput['label'] | null
  /** The rule sets (id, path) that declare it. */
  uses: { ruleSetId: number; path: string }[]
  /** Declarations that disagree on the scope: the indicator is refused until they agree. */
  conflict: boolean
}

export const indicatorKey = (system: string, code: string) => `${system}/${code}`

/** Collects the indicators declared by rule sets (pure): by `system/code`. */
export function declaredIndicators(ruleSets: { id: number; definition: RuleSetDefinition }[]): Map<string, DeclaredIndicator> {
  const out = new Map<string, DeclaredIndicator>()
  for (const rs of ruleSets) {
    for (const x of rs.definition.externalInputs ?? []) {
      const node = inputNodeAt(rs.definition.inputSchema, x.path)
      const min = typeof node?.minimum === 'number' ? node.minimum : null
      const max = typeof node?.maximum === 'number' ? node.maximum : null
      const integer = [node?.type].flat().includes('integer')
      const key = indicatorKey(x.system, x.code)
      const seen = out.get(key)
      if (!seen) {
        out.set(key, { system: x.system, code: x.code, unit: x.unit, scope: x.scope, closingDay: x.closingDay, min, max, integer, label: x.label ?? null, uses: [{ ruleSetId: rs.id, path: x.path }], conflict: false })
        continue
      }
      seen.closingDay = Math.min(seen.closingDay, x.closingDay)
      seen.min = min === null ? seen.min : seen.min === null ? min : Math.max(seen.min, min)
      seen.max = max === null ? seen.max : seen.max === null ? max : Math.min(seen.max, max)
      seen.integer ||= integer
      seen.conflict ||= seen.scope !== x.scope
      seen.label ??= x.label ?? null
      seen.uses.push({ ruleSetId: rs.id, path: x.path })
    }
  }
  return out
}
