import { ApplicationFailure, allHandlersFinished, condition, proxyLocalActivities, setHandler } from '@temporalio/workflow'
import type { CycleDurations } from '../server/db/schema.js'
import type { createActivities } from './activities.js'
import {
  approveUpdate,
  cancelSignal,
  evaluationStateQuery,
  leaderReturnUpdate,
  returnUpdate,
  signedOffSignal,
  submitUpdate,
  type TransitionResult,
} from './definitions.js'
import { FailureType, mayAct, nextStage, type Action, type Actor, type EvaluationParties, type Stage } from './stages.js'

export interface EvaluationWorkflowInput extends EvaluationParties {
  evaluationId: number
  cycleId: number
  durations: CycleDurations
}

/**
 * Local activities: each write is one short, idempotent DB transaction, run by the worker inside
 * the workflow task that carries the Update, so an action costs one server round trip, not three.
 * If the worker dies mid-task, the task is retried and the write re-applied as a no-op.
 */
const acts = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '5 seconds' },
})

/**
 * One staff member's evaluation in one cycle: self-assessment ⇄ unit review, then leadership.
 * Every action is an Update: the validator answers at once, the handler persists through an
 * activity before the stage moves, so the API's answer means "stored".
 */
export async function evaluationWorkflow(input: EvaluationWorkflowInput): Promise<Stage> {
  let stage: Stage = 'SELF_ASSESSMENT'
  let version = 0
  let round = 1
  let busy = false
  let signedOff = false
  let cancelled = false
  let stageEnteredAt = Date.now()

  const check = (action: Action, actor: Actor) => {
    if (!mayAct(actor, action, input)) {
      throw ApplicationFailure.create({ type: FailureType.forbidden, message: `actor ${actor.id} may not ${action}`, nonRetryable: true })
    }
    if (busy || cancelled || nextStage(stage, action) === null) {
      throw ApplicationFailure.create({ type: FailureType.wrongStage, message: `cannot ${action} in ${stage}`, nonRetryable: true, details: [stage] })
    }
  }

  const transition = async (action: Action, actor: Actor, payload: Record<string, unknown>): Promise<TransitionResult> => {
    check(action, actor)
    const from = stage
    const to = nextStage(from, action)!
    busy = true
    try {
      const deadlineSeconds = to === 'SELF_ASSESSMENT' ? input.durations.selfAssessmentSeconds : to === 'UNIT_REVIEW' ? input.durations.reviewSeconds : null
      const result = await acts.applyTransition({
        evaluationId: input.evaluationId,
        action,
        from,
        to,
        version: version + 1,
        actor,
        payload,
        deadlineAt: deadlineSeconds === null ? null : new Date(Date.now() + deadlineSeconds * 1000).toISOString(),
      })
      stage = to
      version = result.version
      round = result.round
      stageEnteredAt = Date.now()
      return result
    } finally {
      busy = false
    }
  }

  setHandler(submitUpdate, ({ actor }) => transition('submit', actor, {}), { validator: ({ actor }) => check('submit', actor) })
  setHandler(approveUpdate, ({ actor, adjustments, comment }) => transition('approve', actor, { adjustments, comment }), {
    validator: ({ actor }) => check('approve', actor),
  })
  setHandler(returnUpdate, ({ actor, reason }) => transition('return', actor, { reason }), { validator: ({ actor }) => check('return', actor) })
  setHandler(leaderReturnUpdate, ({ actor, reason }) => transition('leaderReturn', actor, { reason }), {
    validator: ({ actor }) => check('leaderReturn', actor),
  })
  setHandler(signedOffSignal, () => void (signedOff = true))
  setHandler(cancelSignal, () => void (cancelled = true))
  setHandler(evaluationStateQuery, () => ({ stage, version, round, busy }))

  while (!cancelled) {
    const seen = version
    const moved = () => version !== seen || cancelled
    if (stage === 'SELF_ASSESSMENT' || stage === 'UNIT_REVIEW') {
      await watchDeadline(stage, seen, moved)
    } else if (stage === 'AWAITING_SIGN_OFF') {
      await condition(() => moved() || (signedOff && !busy))
      if (signedOff && !busy && stage === 'AWAITING_SIGN_OFF') {
        stage = 'SIGNED_OFF'
        break
      }
    } else {
      break
    }
  }
  await condition(allHandlersFinished)
  return cancelled ? 'CANCELLED' : stage

  /** Reminder before the deadline, escalation at it; both end as soon as the stage moves. */
  async function watchDeadline(current: Stage, seen: number, moved: () => boolean): Promise<void> {
    const { selfAssessmentSeconds, reviewSeconds, reminderBeforeSeconds } = input.durations
    const deadline = stageEnteredAt + (current === 'SELF_ASSESSMENT' ? selfAssessmentSeconds : reviewSeconds) * 1000
    const reminderAt = deadline - reminderBeforeSeconds * 1000
    if (reminderAt > Date.now() && !(await condition(moved, reminderAt - Date.now()))) {
      await acts.notify({ evaluationId: input.evaluationId, kind: 'REMINDER', stage: current, version: seen })
    }
    if (!moved() && deadline > Date.now()) await condition(moved, deadline - Date.now())
    if (!moved()) {
      await acts.notify({ evaluationId: input.evaluationId, kind: 'OVERDUE', stage: current, version: seen })
      await condition(moved)
    }
  }
}
