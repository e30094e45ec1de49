/** Evaluation stages and the transitions between them: pure, shared by workflows and the API. */

export const STAGES = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED', 'CANCELLED'] as const
export type Stage = (typeof STAGES)[number]

export type Action = 'submit' | 'approve' | 'return' | 'leaderReturn' | 'signOff' | 'classify' | 'cancel'

const transitions: Record<Action, Partial<Record<Stage, Stage>>> = {
  submit: { SELF_ASSESSMENT: 'UNIT_REVIEW' },
  approve: { UNIT_REVIEW: 'AWAITING_SIGN_OFF' },
  return: { UNIT_REVIEW: 'SELF_ASSESSMENT' },
  leaderReturn: { AWAITING_SIGN_OFF: 'UNIT_REVIEW' },
  signOff: { AWAITING_SIGN_OFF: 'SIGNED_OFF' },
  classify: { SIGNED_OFF: 'CLASSIFIED' },
  cancel: { SELF_ASSESSMENT: 'CANCELLED', UNIT_REVIEW: 'CANCELLED', AWAITING_SIGN_OFF: 'CANCELLED' },
}

/** The stage an action leads to, or null when the action is not allowed in this stage. */
export function nextStage(stage: Stage, action: Action): Stage | null {
  return transitions[action][stage] ?? null
}

/** Who acts, as the API authenticated them; re-checked by workflow validators. */
export interface Actor {
  id: number
  roles: string[]
}

/** The people an evaluation's workflow lets act, fixed when the cycle launches. */
export interface EvaluationParties {
  ownerId: number
  reviewerIds: number[]
  signOffIds: number[]
}

/** Whether the actor may perform the action on this evaluation (stage aside). */
export function mayAct(actor: Actor, action: Action, parties: EvaluationParties): boolean {
  switch (action) {
    case 'submit':
      return actor.id === parties.ownerId
    case 'approve':
    case 'return':
      return actor.id !== parties.ownerId && parties.reviewerIds.includes(actor.id)
    case 'leaderReturn':
    case 'signOff':
      return actor.id !== parties.ownerId && parties.signOffIds.includes(actor.id)
    case 'classify':
    case 'cancel':
      return actor.roles.includes('admin')
  }
}

/** Failure types carried by Temporal ApplicationFailures; the API maps them to HTTP statuses. */
export const FailureType = {
  forbidden: 'FORBIDDEN',
  wrongStage: 'WRONG_STAGE',
  conflict: 'CONFLICT',
  invalid: 'VALIDATION_FAILED',
  notReady: 'UNIT_NOT_READY',
  notOpen: 'CYCLE_NOT_OPEN',
} as const
