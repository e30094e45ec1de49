import { describe, expect, it } from 'vitest'
import { mayAct, nextStage, STAGES, type Action } from '../../workflows/stages.js'

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
    const allowed = new Set(['SELF_ASSESSMENT:submit', 'UNIT_REVIEW:return', 'UNIT_REVIEW:approve', 'AWAITING_SIGN_OFF:leaderReturn', 'AWAITING_SIGN_OFF:signOff', 'SIGNED_OFF:classify'])
    const actions: Action[] = ['submit', 'approve', 'return', 'leaderReturn', 'signOff', 'classify']
    for (const stage of STAGES) {
      for (const action of actions) {
        expect(nextStage(stage, action) !== null, `${stage}:${action}`).toBe(allowed.has(`${stage}:${action}`))
      }
    }
  })

  it('cancels only what is still open', () => {
    expect(nextStage('UNIT_REVIEW', 'cancel')).toBe('CANCELLED')
    expect(nextStage('SIGNED_OFF', 'cancel')).toBeNull()
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
