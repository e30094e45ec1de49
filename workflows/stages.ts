/** Evaluation stages and the transitions between them: pure, shared by workflows and the API. */

import type { CycleDurations } from '../server/db/schema.js'

export const STAGES = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED', 'CANCELLED'] as const
export type Stage = (typeof STAGES)[number]

export type Action = 'save' | 'submit' | 'approve' | 'return' | 'leaderReturn' | 'signOff' | 'classify' | 'cancel' | 'reopen' | 'reassign'

const transitions: Record<Action, Partial<Record<Stage, Stage>>> = {
  save: { SELF_ASSESSMENT: 'SELF_ASSESSMENT' },
  submit: { SELF_ASSESSMENT: 'UNIT_REVIEW' },
  approve: { UNIT_REVIEW: 'AWAITING_SIGN_OFF' },
  return: { UNIT_REVIEW: 'SELF_ASSESSMENT' },
  leaderReturn: { AWAITING_SIGN_OFF: 'UNIT_REVIEW' },
  signOff: { AWAITING_SIGN_OFF: 'SIGNED_OFF' },
  classify: { SIGNED_OFF: 'CLASSIFIED' },
  cancel: { SELF_ASSESSMENT: 'CANCELLED', UNIT_REVIEW: 'CANCELLED', AWAITING_SIGN_OFF: 'CANCELLED', SIGNED_OFF: 'CANCELLED' },
  /** A petition accepted by the competent authority: the classified evaluation goes back to its unit head. */
  reopen: { CLASSIFIED: 'UNIT_REVIEW' },
  /** An admin names another reviewer or sign-off leader (release v7): the stage stays, the version moves on. */
  reassign: { SELF_ASSESSMENT: 'SELF_ASSESSMENT', UNIT_REVIEW: 'UNIT_REVIEW', AWAITING_SIGN_OFF: 'AWAITING_SIGN_OFF', SIGNED_OFF: 'SIGNED_OFF' },
}

/** Who acts when the process itself moves an evaluation (classification after ranking). */
export const SYSTEM_ACTOR: Actor = { id: 0, roles: ['system'] }

/** The stage an action leads to, or null when the action is not allowed in this stage. */
export function nextStage(stage: Stage, action: Action): Stage | null {
  return transitions[action][stage] ?? null
}

/** Who acts, as the API authenticated them; re-checked by workflow validators. */
export interface Actor {
  id: number
  roles: string[]
  /** Acting for someone else through a delegation (ủy quyền, release v7), as the API found it. */
  onBehalfOf?: OnBehalfOf
}

/** What a delegation lets its delegate do: the principal's review (approve, return) or their sign-off (unit sign-off, leadership return). */
export type DelegationScope = 'review' | 'sign-off'

/** The principal a delegate acts for, and the delegation that allows it (dates inclusive, Vietnam's calendar days). */
export interface OnBehalfOf {
  id: number
  roles: string[]
  delegationId: number
  scope: DelegationScope
  /** yyyy-mm-dd, inclusive. */
  from: string
  to: string
}

/** The actions each delegation scope covers. */
export const DELEGATED_ACTIONS: Record<DelegationScope, readonly Action[]> = {
  review: ['approve', 'return'],
  'sign-off': ['signOff', 'leaderReturn'],
}

/** The calendar day (yyyy-mm-dd) in Vietnam (UTC+7 all year, no daylight saving) at epoch ms `now`. */
export const vietnamDate = (now: number): string => new Date(now + 7 * 3600_000).toISOString().slice(0, 10)

/** Whether a delegation is in force at `now`: from its first day's start to its last day's end, Vietnam time. */
export const delegationInForce = (d: Pick<OnBehalfOf, 'from' | 'to'>, now: number): boolean => {
  const day = vietnamDate(now)
  return d.from <= day && day <= d.to
}

/**
 * Whether a delegate may do this as their principal: the delegation covers the action and is in
 * force, neither the delegate nor the principal is the evaluated person, and the principal is a
 * party in their own right (by the party lists alone: an admin's role is not delegated).
 */
function mayActFor(actor: Actor & { onBehalfOf: OnBehalfOf }, action: Action, parties: EvaluationParties, now: number): boolean {
  const principal = actor.onBehalfOf
  if (actor.id === parties.ownerId || principal.id === parties.ownerId || actor.id === principal.id) return false
  if (!DELEGATED_ACTIONS[principal.scope].includes(action) || !delegationInForce(principal, now)) return false
  return mayAct({ id: principal.id, roles: [] }, action, parties, now)
}

/** Whether the actor may lead a unit action (sign-off, unit return): a leader or an admin, or a leader's sign-off delegate while the delegation is in force. */
export function mayLeadUnit(actor: Actor, now: number): boolean {
  const principal = actor.onBehalfOf
  if (principal) return principal.scope === 'sign-off' && actor.id !== principal.id && principal.roles.includes('leader') && delegationInForce(principal, now)
  return actor.roles.includes('leader') || actor.roles.includes('admin')
}

/** The people an evaluation's workflow lets act, fixed when the cycle launches. */
export interface EvaluationParties {
  ownerId: number
  reviewerIds: number[]
  signOffIds: number[]
}

/**
 * Whether the actor may perform the action on this evaluation (stage aside). Nobody ever acts on
 * their own evaluation as reviewer or leader, directly or through a delegation. `now` (epoch ms)
 * dates a delegation: without it, a delegated actor may do nothing.
 */
export function mayAct(actor: Actor, action: Action, parties: EvaluationParties, now?: number): boolean {
  if (actor.onBehalfOf) return now !== undefined && mayActFor(actor as Actor & { onBehalfOf: OnBehalfOf }, action, parties, now)
  switch (action) {
    case 'save':
    case 'submit':
      return actor.id === parties.ownerId
    case 'approve':
    case 'return':
      return actor.id !== parties.ownerId && parties.reviewerIds.includes(actor.id)
    case 'leaderReturn':
      return actor.id !== parties.ownerId && parties.signOffIds.includes(actor.id)
    case 'signOff':
      return actor.id !== parties.ownerId && (parties.signOffIds.includes(actor.id) || actor.roles.includes('admin'))
    case 'classify':
    case 'reopen':
      return actor.roles.includes('system')
    case 'cancel':
    case 'reassign':
      return actor.roles.includes('admin')
  }
}

/** What an action carries into the record: the submitted document, reviewer adjustments, a comment or a reason. */
export interface TransitionPayload {
  data?: Record<string, unknown>
  /** A unit sign-off: the token of the cycle's sign-off that holds every evaluation of the unit. */
  signOff?: string
  adjustments?: Record<string, unknown>
  comment?: string
  reason?: string
  /** A reopening: the accepted petition that reopened the evaluation. */
  petitionId?: number
  /** A reassignment: which party list changed, from whom to whom. */
  reassign?: Reassignment
}

/** An admin's reassignment of an evaluation's reviewer or sign-off leader (release v7). */
export interface Reassignment {
  role: 'reviewer' | 'sign-off'
  /** The person named; first of `to`. */
  staffId: number
  from: number[]
  to: number[]
}

/** The parties after a reassignment. */
export function reassigned(parties: EvaluationParties, r: Pick<Reassignment, 'role' | 'to'>): EvaluationParties {
  return r.role === 'reviewer' ? { ...parties, reviewerIds: [...r.to] } : { ...parties, signOffIds: [...r.to] }
}

/**
 * One accepted stage transition, as the workflow records it: the answer to the action's Update,
 * and exactly what the read model applies (idempotently, by version).
 */
export interface Transition {
  evaluationId: number
  action: Action
  from: Stage
  to: Stage
  /** The evaluation's version after this transition: the idempotency key of its write. */
  version: number
  /** The round after this transition: a return to the owner opens the next round. */
  round: number
  actor: Actor
  payload: TransitionPayload
  deadlineAt: string | null
  /** When the workflow recorded it (ISO). */
  at: string
}

/** Where an evaluation's process stands, as its workflow knows it. */
export interface ProcessState {
  evaluationId: number
  stage: Stage
  version: number
  round: number
}

/**
 * The cycle's calendar, fixed at launch like an agency's evaluation plan: the self-assessment is
 * due `selfAssessmentSeconds` after the cycle opens, unit review `reviewSeconds` after that, each
 * with a reminder `reminderBeforeSeconds` ahead. Epoch milliseconds.
 */
export interface CycleCalendar {
  opensAt: number
  selfDueAt: number
  reviewDueAt: number
  reminderBeforeMs: number
}

export function cycleCalendar(opensAt: number, durations: CycleDurations): CycleCalendar {
  const selfDueAt = opensAt + durations.selfAssessmentSeconds * 1000
  return { opensAt, selfDueAt, reviewDueAt: selfDueAt + durations.reviewSeconds * 1000, reminderBeforeMs: durations.reminderBeforeSeconds * 1000 }
}

/**
 * When an evaluation entering `stage` at `now` is due: a self-assessment by the self-assessment
 * date (or, once that has passed — a late or returned one — by the review date); a unit review by
 * the review date; nothing after that.
 */
export function dueAt(stage: Stage, now: number, calendar: CycleCalendar): number | null {
  if (stage === 'SELF_ASSESSMENT') return now < calendar.selfDueAt ? calendar.selfDueAt : calendar.reviewDueAt
  if (stage === 'UNIT_REVIEW') return calendar.reviewDueAt
  return null
}

export type Checkpoint = { at: number; kind: 'REMINDER' | 'OVERDUE'; phase: 'self' | 'review' }

/** The four moments the calendar watches, in time order (a reminder never before the cycle opens). */
export function checkpoints(calendar: CycleCalendar): Checkpoint[] {
  const { opensAt, selfDueAt, reviewDueAt, reminderBeforeMs } = calendar
  const all: Checkpoint[] = [
    { at: selfDueAt - reminderBeforeMs, kind: 'REMINDER', phase: 'self' },
    { at: selfDueAt, kind: 'OVERDUE', phase: 'self' },
    { at: Math.max(selfDueAt, reviewDueAt - reminderBeforeMs), kind: 'REMINDER', phase: 'review' },
    { at: reviewDueAt, kind: 'OVERDUE', phase: 'review' },
  ]
  return all.filter((c) => c.at > opensAt)
}

/** Whether a checkpoint concerns an evaluation in this stage: self-assessment dates the owner's work, review dates anything not yet past review. */
export function checkpointApplies(checkpoint: Checkpoint, stage: Stage): boolean {
  return checkpoint.phase === 'self' ? stage === 'SELF_ASSESSMENT' : stage === 'SELF_ASSESSMENT' || stage === 'UNIT_REVIEW'
}

/** The transition an action makes from the current state at `now`, or null when the stage does not allow it. */
export function transition(state: ProcessState, action: Action, actor: Actor, payload: TransitionPayload, now: number, calendar: CycleCalendar): Transition | null {
  const to = nextStage(state.stage, action)
  if (to === null) return null
  // A reopened evaluation is reviewed again outside the cycle's calendar (its dates have passed).
  const due = action === 'reopen' ? null : dueAt(to, now, calendar)
  return {
    evaluationId: state.evaluationId,
    action,
    from: state.stage,
    to,
    version: state.version + 1,
    round: action === 'return' || action === 'reopen' ? state.round + 1 : state.round,
    actor,
    payload,
    deadlineAt: due === null ? null : new Date(due).toISOString(),
    at: new Date(now).toISOString(),
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
  /** The caller's expected version is not the evaluation's version: it moved on. */
  stale: 'STALE',
  /** A unit sign-off holds this evaluation: nothing else may move it until the sign-off ends. */
  signOffInProgress: 'SIGN_OFF_IN_PROGRESS',
  /** Another leadership action on the same unit is running. */
  unitBusy: 'UNIT_BUSY',
  /** Outside the petition window (not published yet, closed, or results locked). */
  petitionWindowClosed: 'PETITION_WINDOW_CLOSED',
  /** The evaluation already has a petition waiting for its answer (or under the re-review it led to). */
  petitionOpen: 'PETITION_OPEN',
  /** The petition has been answered already. */
  petitionAnswered: 'PETITION_ANSWERED',
} as const
