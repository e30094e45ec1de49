import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { compare } from '../../server/rulesets/simulate.service.js'
import { sampleMembers, sampleSide } from '../../server/rulesets/simulation.sample.js'
import { warmUpSimulation } from '../../server/rulesets/simulation.warmup.js'

describe("the simulation's warm-up at the API's start", () => {
  it('runs on sample evaluations the default NĐ 335 rule set scores (the scoring and ranking code, not the refusal path)', () => {
    const def = nd335RuleSet()
    const members = sampleMembers(500)
    const report = compare(0, sampleSide(def, 1), sampleSide({ ...def, bands: [{ level: 'HTXS', min: 88 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 50 }, { level: 'KHT', min: null }] }, 2), members, new Map())
    expect(report.summary.evaluations).toBe(500)
    expect(report.summary.skipped).toBe(0)
    // Leaders (one per unit of 100) are in the sample, and the band change moves someone: both sides' ranking ran.
    expect(members.filter((m) => m.ruleRole === 'leader')).toHaveLength(5)
    expect(report.summary.up + report.summary.down).toBeGreaterThan(0)
  })

  it('finishes without touching anything but its own sample (the same members each time)', async () => {
    expect(sampleMembers(50)).toEqual(sampleMembers(50))
    await expect(warmUpSimulation({ members: 300, rounds: 1 })).resolves.toBeUndefined()
  })
})
