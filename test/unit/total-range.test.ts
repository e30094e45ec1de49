import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { ruleSetDefinitionSchema } from '../../rules/ruleset.schema.js'
import { scoreDocument } from '../../server/evaluations/scoring.js'
import { doc } from '../support/documents.js'

/** The record keeps a total as numeric(6,2): what a rule set may produce must fit. */
describe('totals the record holds', () => {
  const base = nd335RuleSet()
  const scaledTotal = (factor: number) => ({
    ...base,
    computed: base.computed.map((c) => (c.key === 'total' ? { ...c, formula: { '*': [factor, { '+': [{ var: 'generalScore' }, { var: 'task' }] }] }, scale: undefined } : c)),
  })

  it('scores a document whose total fits, and refuses one whose total does not (never a failed write later)', () => {
    const fits = scoreDocument(base, doc(9, 9), null, 'staff')
    expect(fits.ok).toBe(true)
    const tooLarge = scoreDocument(scaledTotal(1000), doc(9, 9), null, 'staff')
    expect(tooLarge).toMatchObject({ ok: false, code: 'TOTAL_OUT_OF_RANGE' })
    expect(tooLarge.ok === false && tooLarge.vi).toContain('±9999,99')
  })

  it('refuses a rule set rounding to more than two decimals', () => {
    expect(ruleSetDefinitionSchema.safeParse({ ...base, rounding: { ...base.rounding, precision: 2 } }).success).toBe(true)
    const three = ruleSetDefinitionSchema.safeParse({ ...base, rounding: { ...base.rounding, precision: 3 } })
    expect(three.success).toBe(false)
    expect(three.error?.issues[0]?.path).toEqual(['rounding', 'precision'])
  })
})
