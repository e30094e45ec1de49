import { nd335RuleSet } from '../../rules/defaults.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { compareYielding } from './simulate.service.js'
import { sampleMembers, sampleSide } from './simulation.sample.js'

/** Made-up evaluations the warm-up compares, and how many times: enough for V8 to optimise the scoring and ranking loops. */
const MEMBERS = 5000
const ROUNDS = 2

/**
 * Runs the simulation's code on made-up NĐ 335 evaluations (a band change, as an admin's first try
 * usually is) once the API is ready, so the first simulation an admin asks for after a start does not
 * also pay for V8 compiling and optimising that code: 0,3–0,5 s of a province's first simulation.
 * Yields between slices like any simulation; reads and writes nothing.
 */
export async function warmUpSimulation({ members = MEMBERS, rounds = ROUNDS }: { members?: number; rounds?: number } = {}): Promise<void> {
  const def = nd335RuleSet()
  const candidate: RuleSetDefinition = { ...def, bands: [{ level: 'HTXS', min: 88 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 50 }, { level: 'KHT', min: null }] }
  const sample = sampleMembers(members)
  for (let round = 0; round < rounds; round++) await compareYielding(0, sampleSide(def, 0), sampleSide(candidate, -1), sample, new Map())
}
