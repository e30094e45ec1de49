import { describe, expect, it } from 'vitest'
import { defaultRuleSets, unitKpiRuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import { runTestCases } from '../../rules/ruleset.tests.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'

describe('the shipped unit KPI rule set (issue 14.2)', () => {
  it('is a valid unit rule set of weighted groups only, and its test cases (by hand) and quota test pass', () => {
    const def = unitKpiRuleSet()
    const checked = validateRuleSet(def)
    expect(checked.ok ? [] : checked.issues).toEqual([])
    expect(def.subject).toBe('unit')
    expect(def.computed.every((c) => 'weights' in c)).toBe(true)
    expect(def.bands.map((b) => b.level)).toEqual(['HTXS', 'HTT', 'HT', 'KHT'])
    const outcomes = runTestCases(def)
    expect(outcomes).toHaveLength(6)
    expect(outcomes.filter((o) => !o.passed)).toEqual([])
  })

  it('explains the three KPI groups in the trace', () => {
    const def = unitKpiRuleSet()
    const r = evaluateRuleSet(def, def.tests![0]!.inputs)
    expect(r.trace.map((l) => l.text.vi).slice(0, 4)).toEqual(['KPI nền tảng: 97,5', 'KPI chức năng: 84', 'KPI đặc thù: 77,5', 'Tổng điểm của đơn vị: 86,75'])
  })

  it('is appended to the defaults, so the rule sets published first keep their ids (1 and 2)', () => {
    expect(defaultRuleSets().map((d) => d.code)).toEqual(['nd335-cong-chuc', 'khung-kpi-don-vi', 'nd335-xep-loai-nam', 'kpi-don-vi'])
  })
})
