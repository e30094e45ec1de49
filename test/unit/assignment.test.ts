import { describe, expect, it } from 'vitest'
import { pickRuleSet } from '../../server/rulesets/assignment.js'

const candidates = [
  { id: 10, appliesTo: { roles: ['leader'] } },
  { id: 11, appliesTo: { positionCodes: ['CVC', 'CV'] } },
  { id: 12, appliesTo: { unitCodes: ['TTr'] } },
  { id: 13, appliesTo: { unitCodes: ['TTr'], roles: ['leader'] } },
  { id: 14, appliesTo: {} },
]

describe('which rule set applies to whom', () => {
  it('falls back to the cycle default when nothing matches', () => {
    expect(pickRuleSet({ ruleRole: 'staff', positionCode: 'PTP', unitCode: 'VP' }, candidates, 1)).toBe(1)
  })
  it('prefers unit over position over role', () => {
    expect(pickRuleSet({ ruleRole: 'leader', positionCode: 'TP', unitCode: 'VP' }, candidates, 1)).toBe(10)
    expect(pickRuleSet({ ruleRole: 'staff', positionCode: 'CV', unitCode: 'VP' }, candidates, 1)).toBe(11)
    expect(pickRuleSet({ ruleRole: 'staff', positionCode: 'CV', unitCode: 'TTr' }, candidates, 1)).toBe(12)
    expect(pickRuleSet({ ruleRole: 'leader', positionCode: 'TP', unitCode: 'TTr' }, candidates, 1)).toBe(13)
  })
  it('ignores a rule set that declares no criterion', () => {
    expect(pickRuleSet({ ruleRole: 'staff', positionCode: null, unitCode: 'X' }, [{ id: 14, appliesTo: {} }], 1)).toBe(1)
  })
})
