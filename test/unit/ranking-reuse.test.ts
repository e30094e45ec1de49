import { describe, expect, it } from 'vitest'
import { reusableScores, type StoredSummary } from '../../server/cycles/cycle-scoring.js'

const pinned = { id: 7, hash: 'abc' }
const stored: StoredSummary = { values: { total: 82 }, total: 82, baseLevel: 'HTT', level: 'HTT', override: null, ruleSetId: 7, ruleHash: 'abc', capped: false }
const person = { ruleRole: 'staff' as const, stored, documentScored: true }

/** When ranking may take the scores an approval stored instead of scoring the document again. */
describe('reusable scores', () => {
  it('takes the scores of a person whose document is the one scored, by the pinned version', () => {
    expect(reusableScores(person, pinned)).toBe(stored)
  })

  it('scores again a document changed or adjusted since, or never scored', () => {
    expect(reusableScores({ ...person, documentScored: false }, pinned)).toBeNull()
    expect(reusableScores({ ...person, stored: null }, pinned)).toBeNull()
  })

  it('scores again what another version (or another content under the same id) scored', () => {
    expect(reusableScores(person, { id: 8, hash: 'abc' })).toBeNull()
    expect(reusableScores(person, { id: 7, hash: 'abd' })).toBeNull()
  })

  it("scores a leader again: their d counts their subordinates' results, unknown at approval", () => {
    expect(reusableScores({ ...person, ruleRole: 'leader' }, pinned)).toBeNull()
  })

  it("scores again scores a ranking capped: they are its output, with the cap's trace line", () => {
    expect(reusableScores({ ...person, stored: { ...stored, capped: true } }, pinned)).toBeNull()
  })
})
