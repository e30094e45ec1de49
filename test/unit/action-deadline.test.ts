import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { actionDeadline } from '../../server/http/temporal-errors.js'

describe('how long an action waits for its workflow', () => {
  it('an action on one evaluation waits the configured deadline', () => {
    expect(actionDeadline({ actionDeadlineMs: 60_000 })).toBe(60_000)
  })

  it("a unit's sign-off of 2,000 evaluations is given the time it takes (about 70 s on two cores), not a 503 at 60 s", () => {
    const config = loadConfig({})
    expect(config.unitActionMsPerEvaluation).toBe(100)
    expect(actionDeadline(config, 2000)).toBe(60_000 + 200_000)
    expect(actionDeadline(config, 5)).toBe(60_500)
  })

  it('the allowance per evaluation is configurable', () => {
    const config = loadConfig({ ACTION_DEADLINE_SECONDS: '10', UNIT_ACTION_MS_PER_EVALUATION: '50' })
    expect(actionDeadline(config, 100)).toBe(15_000)
  })
})
