/** A published rule set that declares whom it applies to. */
export interface Assignable {
  id: number
  appliesTo: { roles?: string[]; positionCodes?: string[]; unitCodes?: string[] }
}

export interface Assignee {
  ruleRole: string
  positionCode: string | null
  unitCode: string
}

/**
 * Which rule set applies to a person: the most specific one whose `appliesTo` matches
 * (unit beats position beats role; on a tie the newest), else the cycle's default.
 */
export function pickRuleSet(person: Assignee, candidates: Assignable[], defaultId: number): number {
  let best: { id: number; specificity: number } | undefined
  for (const c of candidates) {
    const { roles, positionCodes, unitCodes } = c.appliesTo
    if (roles && !roles.includes(person.ruleRole)) continue
    if (positionCodes && !(person.positionCode && positionCodes.includes(person.positionCode))) continue
    if (unitCodes && !unitCodes.includes(person.unitCode)) continue
    const specificity = (unitCodes ? 4 : 0) + (positionCodes ? 2 : 0) + (roles ? 1 : 0)
    if (specificity === 0) continue
    if (!best || specificity > best.specificity || (specificity === best.specificity && c.id > best.id)) best = { id: c.id, specificity }
  }
  return best?.id ?? defaultId
}
