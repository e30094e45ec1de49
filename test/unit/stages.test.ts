import { describe, expect, it } from 'vitest'
import { checkpointApplies, checkpoints, cycleCalendar, mayAct, nextStage, STAGES, transition, type Action, type Stage } from '../../workflows/stages.js'

describe('stage transitions', () => {
  it('follows self-assessment ⇄ review → sign-off → classification', () => {
    expect(nextStage('SELF_ASSESSMENT', 'submit')).toBe('UNIT_REVIEW')
    expect(nextStage('UNIT_REVIEW', 'return')).toBe('SELF_ASSESSMENT')
    expect(nextStage('UNIT_REVIEW', 'approve')).toBe('AWAITING_SIGN_OFF')
    expect(nextStage('AWAITING_SIGN_OFF', 'leaderReturn')).toBe('UNIT_REVIEW')
    expect(nextStage('AWAITING_SIGN_OFF', 'signOff')).toBe('SIGNED_OFF')
    expect(nextStage('SIGNED_OFF', 'classify')).toBe('CLASSIFIED')
  })

  it('refuses every action out of turn', () => {
    const allowed = new Set(['SELF_ASSESSMENT:save', 'SELF_ASSESSMENT:submit', 'UNIT_REVIEW:return', 'UNIT_REVIEW:approve', 'AWAITING_SIGN_OFF:leaderReturn', 'AWAITING_SIGN_OFF:signOff', 'SIGNED_OFF:classify', 'CLASSIFIED:reopen'])
    const actions: Action[] = ['save', 'submit', 'approve', 'return', 'leaderReturn', 'signOff', 'classify', 'reopen']
    for (const stage of STAGES) {
      for (const action of actions) {
        expect(nextStage(stage, action) !== null, `${stage}:${action}`).toBe(allowed.has(`${stage}:${action}`))
      }
    }
  })

  it('reopens a classified evaluation at unit review (an accepted petition): next version, next round, no calendar due date, decided by the system alone', () => {
    const calendar = cycleCalendar(0, { selfAssessmentSeconds: 10, reviewSeconds: 10, reminderBeforeSeconds: 1 })
    const t = transition({ evaluationId: 7, stage: 'CLASSIFIED', version: 9, round: 2 }, 'reopen', { id: 0, roles: ['system'] }, { reason: 'kiến nghị', petitionId: 3 }, 50_000, calendar)
    expect(t).toMatchObject({ action: 'reopen', from: 'CLASSIFIED', to: 'UNIT_REVIEW', version: 10, round: 3, deadlineAt: null })
    expect(transition({ evaluationId: 7, stage: 'UNIT_REVIEW', version: 10, round: 3 }, 'reopen', { id: 0, roles: ['system'] }, {}, 50_000, calendar)).toBeNull()
    const parties = { ownerId: 1, reviewerIds: [2], signOffIds: [3] }
    expect(mayAct({ id: 0, roles: ['system'] }, 'reopen', parties)).toBe(true)
    for (const id of [1, 2, 3]) expect(mayAct({ id, roles: ['leader', 'admin'] }, 'reopen', parties)).toBe(false)
  })

  it('cancels anything not yet classified (a cycle is cancelled before ranking)', () => {
    expect(nextStage('UNIT_REVIEW', 'cancel')).toBe('CANCELLED')
    expect(nextStage('SIGNED_OFF', 'cancel')).toBe('CANCELLED')
    expect(nextStage('CANCELLED', 'cancel')).toBeNull()
    expect(nextStage('CLASSIFIED', 'cancel')).toBeNull()
  })
})

describe('who may act', () => {
  const parties = { ownerId: 5, reviewerIds: [2, 5], signOffIds: [1, 9] }
  it('lets only the owner submit', () => {
    expect(mayAct({ id: 5, roles: ['staff'] }, 'submit', parties)).toBe(true)
    expect(mayAct({ id: 2, roles: ['unit_head'] }, 'submit', parties)).toBe(false)
  })
  it('lets reviewers review, but never their own evaluation', () => {
    expect(mayAct({ id: 2, roles: ['unit_head'] }, 'approve', parties)).toBe(true)
    expect(mayAct({ id: 5, roles: ['unit_head'] }, 'approve', parties)).toBe(false)
    expect(mayAct({ id: 7, roles: ['admin'] }, 'return', parties)).toBe(false)
  })
  it('lets leadership in scope return at sign-off', () => {
    expect(mayAct({ id: 9, roles: ['leader'] }, 'leaderReturn', parties)).toBe(true)
    expect(mayAct({ id: 2, roles: ['leader'] }, 'leaderReturn', parties)).toBe(false)
  })
})

describe('recorded transitions and the cycle calendar', () => {
  const DAY = 86_400_000
  const opensAt = Date.UTC(2026, 10, 2, 1) // 02/11/2026 08:00 in Hà Nội
  const calendar = cycleCalendar(opensAt, { selfAssessmentSeconds: 7 * 86_400, reviewSeconds: 5 * 86_400, reminderBeforeSeconds: 86_400 })
  const owner = { id: 7, roles: ['staff'] }
  const head = { id: 3, roles: ['unit_head', 'staff'] }

  it('dates the plan from the day the cycle opens', () => {
    expect(calendar).toEqual({ opensAt, selfDueAt: opensAt + 7 * DAY, reviewDueAt: opensAt + 12 * DAY, reminderBeforeMs: DAY })
    expect(checkpoints(calendar).map((c) => [(c.at - opensAt) / DAY, c.kind, c.phase])).toEqual([
      [6, 'REMINDER', 'self'],
      [7, 'OVERDUE', 'self'],
      [11, 'REMINDER', 'review'],
      [12, 'OVERDUE', 'review'],
    ])
  })

  it('never reminds before the cycle opens, nor about the review before the self-assessment is due', () => {
    const short = cycleCalendar(opensAt, { selfAssessmentSeconds: 3_600, reviewSeconds: 1_800, reminderBeforeSeconds: 2 * 3_600 })
    expect(checkpoints(short).map((c) => [(c.at - opensAt) / 3_600_000, c.kind, c.phase])).toEqual([
      [1, 'OVERDUE', 'self'],
      [1, 'REMINDER', 'review'],
      [1.5, 'OVERDUE', 'review'],
    ])
  })

  it('records each action with the next version, round and due date', () => {
    const start = { evaluationId: 42, stage: 'SELF_ASSESSMENT' as const, version: 0, round: 1 }
    const submitted = transition(start, 'submit', owner, { data: { x: 1 } }, opensAt + DAY, calendar)!
    expect(submitted).toEqual({
      evaluationId: 42,
      action: 'submit',
      from: 'SELF_ASSESSMENT',
      to: 'UNIT_REVIEW',
      version: 1,
      round: 1,
      actor: owner,
      payload: { data: { x: 1 } },
      deadlineAt: new Date(calendar.reviewDueAt).toISOString(),
      at: new Date(opensAt + DAY).toISOString(),
    })
    const state = { evaluationId: 42, stage: submitted.to, version: submitted.version, round: submitted.round }
    // Returned before the self-assessment date: due then; returned after it: due with the review.
    expect(transition(state, 'return', head, { reason: 'Thiếu minh chứng' }, opensAt + 2 * DAY, calendar)).toMatchObject({ to: 'SELF_ASSESSMENT', version: 2, round: 2, deadlineAt: new Date(calendar.selfDueAt).toISOString() })
    expect(transition(state, 'return', head, { reason: 'Thiếu minh chứng' }, opensAt + 8 * DAY, calendar)).toMatchObject({ round: 2, deadlineAt: new Date(calendar.reviewDueAt).toISOString() })
    expect(transition(state, 'approve', head, {}, opensAt + 9 * DAY, calendar)).toMatchObject({ to: 'AWAITING_SIGN_OFF', version: 2, round: 1, deadlineAt: null })
    expect(transition(state, 'submit', owner, {}, opensAt + 9 * DAY, calendar)).toBeNull()
  })

  it('applies self-assessment dates to the owner’s work, review dates to anything not yet past review', () => {
    const [, selfDue, reviewReminder] = checkpoints(calendar)
    expect(['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF'].filter((s) => checkpointApplies(selfDue!, s as Stage))).toEqual(['SELF_ASSESSMENT'])
    expect(['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF'].filter((s) => checkpointApplies(reviewReminder!, s as Stage))).toEqual(['SELF_ASSESSMENT', 'UNIT_REVIEW'])
  })
})
