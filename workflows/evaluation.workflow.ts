import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow'
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
} from './definitions.js'
import { FailureType, checkpointApplies, checkpoints, cycleCalendar, mayAct, transition, type Action, type Actor, type EvaluationParties, type Stage, type Transition, type TransitionPayload } from './stages.js'

export interface EvaluationWorkflowInput extends EvaluationParties {
  evaluationId: number
  cycleId: number
  /** When the cycle opened (epoch ms): with the durations, the cycle's calendar of due dates. */
  opensAt: number
  durations: CycleDurations
}

/** Notifications and the read-model backstop: short, idempotent DB writes. */
const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
})

/**
 * One staff member's evaluation in one cycle: self-assessment ⇄ unit review, then leadership.
 *
 * Every action is an Update. The validator refuses a wrong actor or stage; the handler records the
 * transition in the workflow (its history is the durable truth of the process) and answers with it
 * at once. The API then applies it to PostgreSQL (read-your-writes); the workflow applies it too,
 * through an activity, as the backstop should the API die in between: both writes are idempotent
 * by version, so whichever comes second is a no-op.
 */
export async function evaluationWorkflow(input: EvaluationWorkflowInput): Promise<Stage> {
  const state = { evaluationId: input.evaluationId, stage: 'SELF_ASSESSMENT' as Stage, version: 0, round: 1 }
  const calendar = cycleCalendar(input.opensAt, input.durations)
  let signedOff = false
  let cancelled = false
  let closed = false
  const unprojected: Transition[] = []

  const check = (action: Action, actor: Actor): Transition => {
    if (!mayAct(actor, action, input)) {
      throw ApplicationFailure.create({ type: FailureType.forbidden, message: `actor ${actor.id} may not ${action}`, nonRetryable: true })
    }
    const next = cancelled ? null : transition(state, action, actor, {}, Date.now(), calendar)
    if (!next) {
      throw ApplicationFailure.create({ type: FailureType.wrongStage, message: `cannot ${action} in ${state.stage}`, nonRetryable: true, details: [state.stage] })
    }
    return next
  }

  const act = (action: Action, actor: Actor, payload: TransitionPayload): Transition => {
    const next = { ...check(action, actor), payload }
    state.stage = next.to
    state.version = next.version
    state.round = next.round
    unprojected.push(next)
    return next
  }

  setHandler(submitUpdate, ({ actor, data }) => act('submit', actor, { data }), { validator: ({ actor }) => void check('submit', actor) })
  setHandler(approveUpdate, ({ actor, adjustments, comment }) => act('approve', actor, { ...(adjustments ? { adjustments } : {}), ...(comment ? { comment } : {}) }), {
    validator: ({ actor }) => void check('approve', actor),
  })
  setHandler(returnUpdate, ({ actor, reason }) => act('return', actor, { reason }), { validator: ({ actor }) => void check('return', actor) })
  setHandler(leaderReturnUpdate, ({ actor, reason }) => act('leaderReturn', actor, { reason }), { validator: ({ actor }) => void check('leaderReturn', actor) })
  setHandler(signedOffSignal, () => void (signedOff = true))
  setHandler(cancelSignal, () => void (cancelled = true))
  setHandler(evaluationStateQuery, () => ({ ...state, unprojected: unprojected.length }))

  // The backstop: applies each recorded transition to the read model, in order.
  const projector = (async () => {
    for (;;) {
      await condition(() => unprojected.length > 0 || closed)
      if (!unprojected.length) return
      await acts.projectTransition(unprojected[0]!)
      unprojected.shift()
    }
  })()

  // The calendar: one durable timer at a time, untouched by actions (they never reschedule it).
  const watcher = (async () => {
    for (const checkpoint of checkpoints(calendar)) {
      if (checkpoint.at > Date.now() && (await condition(() => closed, checkpoint.at - Date.now()))) return
      if (closed) return
      if (checkpointApplies(checkpoint, state.stage)) {
        await acts.notify({ evaluationId: input.evaluationId, kind: checkpoint.kind, phase: checkpoint.phase, stage: state.stage, version: state.version })
      }
    }
  })()

  await condition(() => cancelled || (signedOff && state.stage === 'AWAITING_SIGN_OFF'))
  if (!cancelled) state.stage = 'SIGNED_OFF'
  await condition(allHandlersFinished)
  closed = true
  await Promise.all([projector, watcher])
  return cancelled ? 'CANCELLED' : state.stage
}
