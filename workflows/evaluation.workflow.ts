import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow'
import type { CycleDurations } from '../server/db/schema.js'
import type { createActivities } from './activities.js'
import {
  approveUpdate,
  cancelUpdate,
  classifyUpdate,
  evaluationStateQuery,
  holdForSignOffUpdate,
  leaderReturnUpdate,
  reassignUpdate,
  releaseSignOffUpdate,
  returnUpdate,
  saveUpdate,
  signOffUpdate,
  submitUpdate,
  type ActionArgs,
} from './definitions.js'
import {
  FailureType,
  SYSTEM_ACTOR,
  checkpointApplies,
  checkpoints,
  cycleCalendar,
  mayAct,
  reassigned,
  transition,
  type Action,
  type Actor,
  type EvaluationParties,
  type Reassignment,
  type Stage,
  type Transition,
  type TransitionPayload,
} from './stages.js'

export interface EvaluationWorkflowInput extends EvaluationParties {
  evaluationId: number
  cycleId: number
  /** When the cycle opened (epoch ms): with the durations, the cycle's calendar of due dates. */
  opensAt: number
  durations: CycleDurations
  /**
   * A new run of a classified evaluation whose petition was accepted (release v6): it carries the
   * transitions the previous run recorded, so the version sequence and the record continue, and
   * starts by recording `reopen` (CLASSIFIED → UNIT_REVIEW).
   */
  resume?: EvaluationResume
}

export interface EvaluationResume {
  stage: 'UNIT_REVIEW'
  /** The version and round the previous run ended at (the reopening records version + 1, round + 1). */
  version: number
  round: number
  transitions: Transition[]
  petitionId: number
  reason: string
}

/** Notifications: short, idempotent DB writes. */
const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
})

/**
 * The projection of a recorded transition: retried until the database takes it (never dropped; the
 * activity raises an alert after repeated failures). Release v1–v2 ran it as a regular activity
 * (histories without the `local-projection` marker still do).
 */
const projection = proxyActivities<ReturnType<typeof createActivities>>({
  // One statement: a worker that dies holding it is noticed soon, and another worker retries it.
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  // Not handed back eagerly with the workflow task's completion: for a written-through action that
  // made the Update's answer wait ~5 ms (20 → 15 ms p50, bench cycle). It only confirms a write the
  // API has made; any worker may poll it a moment later. (A flag of the command, not part of
  // history's determinism: every recorded history replays unchanged.)
  allowEagerDispatch: false,
})

/**
 * Since v3 a local activity: written by the worker that holds the workflow task, before the task
 * completes, so an action is answered after one task instead of three (no activity task to
 * schedule and poll, no second workflow task for its result). A worker that dies after the write
 * and before completing the task leaves a write the retried task repeats: the same transition,
 * recognised by its time-free hash ("already"); a different one is a conflict, reported.
 */
const localProjection = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
})

const refuse = (type: string, message: string, details: unknown[] = []) => ApplicationFailure.create({ type, message, nonRetryable: true, details })

/**
 * One staff member's evaluation in one cycle, and the only decider of its stage and version.
 *
 * Every change is an Update: the owner's draft and submit, the head's approve and return, the
 * leader's return, the unit sign-off (held, then recorded, for the cycle's all-or-nothing
 * sign-off), the cycle's cancel and classification. The validator refuses a wrong actor, stage or
 * expected version; the handler records the transition (history is the durable truth), then waits
 * until the projector has written it to PostgreSQL — one at a time, in version order — and
 * answers. So an answered action is visible to every API instance at once.
 */
export async function evaluationWorkflow(input: EvaluationWorkflowInput): Promise<Stage> {
  const resume = input.resume
  const state = resume ? { evaluationId: input.evaluationId, stage: 'CLASSIFIED' as Stage, version: resume.version, round: resume.round } : { evaluationId: input.evaluationId, stage: 'SELF_ASSESSMENT' as Stage, version: 0, round: 1 }
  const calendar = cycleCalendar(input.opensAt, input.durations)
  const recorded: Transition[] = resume ? [...resume.transitions] : []
  let projectedVersion = recorded.length
  /** The token of the unit sign-off holding this evaluation, if one does, and when it took hold (a delegation is dated then). */
  let heldBy: string | null = null
  let heldAt = 0
  let closed = false
  /** Who may act: fixed at launch, changed only by an admin's reassignment (release v7). */
  let parties: EvaluationParties = { ownerId: input.ownerId, reviewerIds: input.reviewerIds, signOffIds: input.signOffIds }

  /** `at` dates a delegated actor's delegation (the workflow's now, or when a sign-off took hold). */
  const check = (action: Action, actor: Actor, expectedVersion?: number, at = Date.now()): Transition => {
    if (!mayAct(actor, action, parties, at)) throw refuse(FailureType.forbidden, `actor ${actor.id}${actor.onBehalfOf ? ` for ${actor.onBehalfOf.id}` : ''} may not ${action}`)
    if (expectedVersion !== undefined && expectedVersion !== state.version) {
      throw refuse(FailureType.stale, `expected version ${expectedVersion}, the evaluation is at ${state.version}`, [state.version])
    }
    if (heldBy !== null && action !== 'signOff' && action !== 'cancel') throw refuse(FailureType.signOffInProgress, `a unit sign-off holds the evaluation`)
    const next = transition(state, action, actor, {}, Date.now(), calendar)
    if (!next) throw refuse(FailureType.wrongStage, `cannot ${action} in ${state.stage}`, [state.stage])
    return next
  }

  /**
   * Since v5 a caller may write the transition through to the read model itself (the API does):
   * decided once, when the workflow starts, so a workflow that began on older code keeps its ways.
   */
  const writeThroughAllowed = patched('api-write-through')
  /** Versions whose caller writes them through: projected by a regular activity, which holds no workflow task. */
  const writtenThrough = new Set<number>()

  /** Records the transition, then answers once the read model shows it (or at once, for a caller that writes it through). */
  const act = async (action: Action, { actor, expectedVersion, writeThrough }: ActionArgs, payload: TransitionPayload, at?: number): Promise<Transition> => {
    const next = { ...check(action, actor, expectedVersion, at), payload }
    // Release v7: a delegate acting as their principal (histories without the marker never had one).
    if (actor.onBehalfOf) patched('delegation')
    // A reassignment changes who acts, not when: the due date stays.
    if (action === 'reassign') next.deadlineAt = recorded.at(-1)?.deadlineAt ?? next.deadlineAt
    state.stage = next.to
    state.version = next.version
    state.round = next.round
    recorded.push(next)
    if (writeThroughAllowed && writeThrough) {
      writtenThrough.add(next.version)
      return next
    }
    await condition(() => projectedVersion >= next.version)
    return next
  }

  /** A repeated step of the same sign-off or cancellation answers with what it recorded the first time. */
  // Only this run's: a reopened evaluation carries the classification of its previous run.
  const runStart = resume ? resume.transitions.length : 0
  const already = (action: Action, matches: (t: Transition) => boolean) => recorded.find((t, i) => i >= runStart && t.action === action && matches(t))

  setHandler(saveUpdate, (args) => act('save', args, { data: args.data }), { validator: (a) => void check('save', a.actor, a.expectedVersion) })
  setHandler(submitUpdate, (args) => act('submit', args, { data: args.data }), { validator: (a) => void check('submit', a.actor, a.expectedVersion) })
  setHandler(approveUpdate, (args) => act('approve', args, { ...(args.adjustments ? { adjustments: args.adjustments } : {}), ...(args.comment ? { comment: args.comment } : {}) }), {
    validator: (a) => void check('approve', a.actor, a.expectedVersion),
  })
  setHandler(returnUpdate, (args) => act('return', args, { reason: args.reason }), { validator: (a) => void check('return', a.actor, a.expectedVersion) })
  setHandler(leaderReturnUpdate, (args) => act('leaderReturn', args, { reason: args.reason }), { validator: (a) => void check('leaderReturn', a.actor, a.expectedVersion) })

  setHandler(
    holdForSignOffUpdate,
    ({ token }) => {
      if (already('signOff', (t) => t.payload.signOff === token)) return { signedOff: true as const }
      if (heldBy !== token) heldAt = Date.now()
      heldBy = token
      return { held: true as const }
    },
    {
      validator: ({ actor, token }) => {
        if (heldBy === token || already('signOff', (t) => t.payload.signOff === token)) return
        if (heldBy !== null) throw refuse(FailureType.signOffInProgress, 'another sign-off holds the evaluation')
        check('signOff', actor)
      },
    },
  )
  setHandler(releaseSignOffUpdate, ({ token }) => {
    const released = heldBy === token
    if (released) heldBy = null
    return { released }
  })
  setHandler(
    signOffUpdate,
    async ({ actor, token }) => {
      const done = already('signOff', (t) => t.payload.signOff === token)
      if (done) return done
      heldBy = null
      return act('signOff', { actor }, { signOff: token }, heldAt)
    },
    {
      validator: ({ actor, token }) => {
        if (already('signOff', (t) => t.payload.signOff === token)) return
        if (heldBy !== token) throw refuse(FailureType.conflict, 'the sign-off does not hold the evaluation')
        check('signOff', actor, undefined, heldAt)
      },
    },
  )
  setHandler(cancelUpdate, async (args) => already('cancel', () => true) ?? act('cancel', args, { reason: args.reason }), {
    validator: ({ actor }) => void (already('cancel', () => true) ?? check('cancel', actor)),
  })
  setHandler(classifyUpdate, async (args) => already('classify', () => true) ?? act('classify', args, {}), {
    validator: ({ actor }) => void (already('classify', () => true) ?? check('classify', actor)),
  })
  /** A reassignment names someone other than the evaluated person (nobody reviews or signs off their own evaluation). */
  const checkReassign = (a: { actor: Actor; expectedVersion?: number; staffIds: number[] }) => {
    check('reassign', a.actor, a.expectedVersion)
    if (!a.staffIds.length || a.staffIds.includes(parties.ownerId)) throw refuse(FailureType.conflict, 'nobody reviews or signs off their own evaluation')
  }
  setHandler(
    reassignUpdate,
    (args) => {
      checkReassign(args)
      // Release v7: marks the histories where the parties changed.
      patched('reassign')
      const r: Reassignment = { role: args.role, staffId: args.staffIds[0]!, from: args.role === 'reviewer' ? parties.reviewerIds : parties.signOffIds, to: args.staffIds }
      const recording = act('reassign', args, { reason: args.reason, reassign: r })
      parties = reassigned(parties, r)
      return recording
    },
    { validator: (a) => void checkReassign(a) },
  )
  setHandler(evaluationStateQuery, () => ({ ...state, projectedVersion, transitions: recorded, heldBy, parties }))

  if (resume) {
    // The reopening is this run's first decision: recorded before any Update is taken.
    if (resume.transitions.length !== resume.version) throw refuse(FailureType.conflict, `resume at v${resume.version} carries ${resume.transitions.length} transitions`)
    const next = transition(state, 'reopen', SYSTEM_ACTOR, {}, Date.now(), calendar)
    if (!next) throw refuse(FailureType.wrongStage, `cannot reopen in ${state.stage}`)
    const reopened = { ...next, payload: { reason: `Mở lại do kiến nghị được chấp nhận: ${resume.reason}`, petitionId: resume.petitionId } }
    state.stage = reopened.to
    state.version = reopened.version
    state.round = reopened.round
    recorded.push(reopened)
  }

  // The projector: every recorded transition reaches the read model once, in version order.
  const projector = (async () => {
    for (;;) {
      await condition(() => recorded.length > projectedVersion || closed)
      const next = recorded[projectedVersion]
      if (!next) return
      // A local activity would hold the workflow task, and with it the Update's answer, until written.
      await (writtenThrough.has(next.version) ? projection : patched('local-projection') ? localProjection : projection).projectTransition(next)
      writtenThrough.delete(next.version)
      projectedVersion = next.version
      // Added after release v1 (whose histories run without it): whoever must act after a return is told why.
      if ((next.action === 'return' || next.action === 'leaderReturn') && patched('notify-on-return')) {
        await acts.notifyReturned({ evaluationId: input.evaluationId, version: next.version, action: next.action, reason: next.payload.reason ?? '' })
      }
      // Release v7 (only its histories hold a reassignment): the person named learns what awaits them.
      if (next.action === 'reassign' && next.payload.reassign) {
        await acts.notifyReassigned({ evaluationId: input.evaluationId, version: next.version, reassign: next.payload.reassign, reason: next.payload.reason ?? '' })
      }
    }
  })()

  // The calendar: one durable timer at a time, untouched by actions (they never reschedule it).
  // A reopened evaluation's calendar has passed: its re-review is watched by the petition's answer, not by reminders.
  const watcher = (async () => {
    for (const checkpoint of resume ? [] : checkpoints(calendar)) {
      if (checkpoint.at > Date.now() && (await condition(() => closed, checkpoint.at - Date.now()))) return
      if (closed) return
      if (checkpointApplies(checkpoint, state.stage)) {
        // Since release v7 the reminder goes to the parties the workflow knows now (a reassignment included).
        const current = patched('reassign') ? { parties } : {}
        await acts.notify({ evaluationId: input.evaluationId, kind: checkpoint.kind, phase: checkpoint.phase, stage: state.stage, version: state.version, ...current })
      }
    }
  })()

  await condition(() => state.stage === 'CLASSIFIED' || state.stage === 'CANCELLED')
  await condition(() => projectedVersion === state.version && allHandlersFinished())
  closed = true
  await Promise.all([projector, watcher])
  return state.stage
}
