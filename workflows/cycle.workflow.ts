import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow'
import type { createActivities } from './activities.js'
import { RANKING_FAILED, answerPetitionUpdate, cancelCycleUpdate, cycleStateQuery, filePetitionUpdate, retryRankingUpdate, returnUnitUpdate, signOffUnitUpdate } from './definitions.js'
import { FailureType, mayLeadUnit, type Actor } from './stages.js'

export interface CycleWorkflowInput {
  cycleId: number
  /** Units with at least one evaluation: each must be signed off. */
  unitIds: number[]
  /** Tuning (tests use small values): evaluations read per launch page; leadership Updates per run before continue-as-new. */
  launchPageSize?: number
  updatesPerRun?: number
  /** Carried over by continue-as-new. */
  launched?: boolean
  signedOffUnitIds?: number[]
  /** Sign-off tokens handed out so far (each unit sign-off holds its evaluations under a fresh token). */
  signOffSeq?: number
}

/** Well under Temporal's 2,000 Updates per run: leadership actions beyond this continue in a new run. */
const UPDATES_PER_RUN = 1000

const acts = proxyActivities<ReturnType<typeof createActivities>>({
  // Long activities heartbeat: a lost worker is noticed within the heartbeat timeout.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
})

/**
 * One evaluation cycle: starts every evaluation workflow in batches, collects unit
 * sign-offs, then ranks, classifies and publishes. Leadership acts through Updates.
 */
export async function cycleWorkflow(input: CycleWorkflowInput): Promise<string> {
  let launched = input.launched ?? false
  const signedOff = new Set(input.signedOffUnitIds ?? [])
  let cancelled = false
  let status = launched ? 'OPEN' : 'LAUNCHING'
  let updatesThisRun = 0
  let signOffSeq = input.signOffSeq ?? 0
  /** Units with a leadership action running: one at a time per unit, and a cancel waits for them all. */
  const busyUnits = new Set<number>()
  // Publication and petitions (release v6): the window, the open petitions, the units reopened by an accepted one.
  let published = false
  let closesAt = 0
  let windowOpen = false
  let locked = false
  let reclassifying = false
  let accepting = 0
  let revision = 0
  let filings = 0
  const petitions = new Map<number, { evaluationId: number; unitId: number; authorityIds: number[]; answered: boolean }>()
  /** Evaluations with a petition waiting for its answer, or accepted and not classified again yet. */
  const busyEvaluations = new Set<number>()
  /** Evaluations reopened since the last classification, and their units. */
  const reopened = new Map<number, number>()


  const checkUnitAction = (actor: Actor, unitId: number) => {
    // A leader's sign-off delegate leads as the leader while the delegation is in force (each evaluation checks it again).
    if (!mayLeadUnit(actor, Date.now())) {
      throw ApplicationFailure.create({ type: FailureType.forbidden, message: 'only leadership (or its sign-off delegate) signs off', nonRetryable: true })
    }
    if (!launched || cancelled) {
      throw ApplicationFailure.create({ type: FailureType.notOpen, message: `cycle is ${status}`, nonRetryable: true })
    }
    if (!input.unitIds.includes(unitId)) {
      throw ApplicationFailure.create({ type: FailureType.forbidden, message: `unit ${unitId} is not in this cycle`, nonRetryable: true })
    }
    if (signedOff.has(unitId)) {
      throw ApplicationFailure.create({ type: FailureType.wrongStage, message: `unit ${unitId} is already signed off`, nonRetryable: true })
    }
    if (busyUnits.has(unitId)) {
      throw ApplicationFailure.create({ type: FailureType.unitBusy, message: `another leadership action on unit ${unitId} is running`, nonRetryable: true })
    }
  }

  /** Runs one leadership action on a unit, the unit marked busy meanwhile. */
  const onUnit = async <T,>(unitId: number, action: () => Promise<T>): Promise<T> => {
    busyUnits.add(unitId)
    try {
      return await action()
    } finally {
      busyUnits.delete(unitId)
    }
  }

  setHandler(
    signOffUnitUpdate,
    async ({ actor, unitId }) => {
      updatesThisRun++
      checkUnitAction(actor, unitId)
      // Release v7: a sign-off through a delegation (histories without the marker never had one).
      if (actor.onBehalfOf) patched('delegation')
      const token = `${input.cycleId}:${unitId}:${workflowInfo().runId}:${++signOffSeq}`
      return onUnit(unitId, async () => {
        const result = await acts.signOffUnit({ cycleId: input.cycleId, unitId, actor, token })
        signedOff.add(unitId)
        return result
      })
    },
    { validator: ({ actor, unitId }) => checkUnitAction(actor, unitId) },
  )
  setHandler(
    returnUnitUpdate,
    async ({ actor, unitId, reason }) => {
      updatesThisRun++
      checkUnitAction(actor, unitId)
      if (actor.onBehalfOf) patched('delegation')
      const token = `${input.cycleId}:${unitId}:${workflowInfo().runId}:${++signOffSeq}`
      return onUnit(unitId, () => acts.returnUnit({ cycleId: input.cycleId, unitId, actor, reason, token }))
    },
    { validator: ({ actor, unitId }) => checkUnitAction(actor, unitId) },
  )
  setHandler(
    cancelCycleUpdate,
    async ({ actor, reason }) => {
      cancelled = true
      status = 'CANCELLING'
      // Every evaluation decides its own cancellation, once the launch and the unit actions running have ended.
      await condition(() => launched && busyUnits.size === 0)
      const { evaluations } = await acts.cancelCycle({ cycleId: input.cycleId, actor, reason })
      status = 'CANCELLED'
      return { cancelled: true as const, evaluations }
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes('admin')) {
          throw ApplicationFailure.create({ type: FailureType.forbidden, message: 'only an admin cancels a cycle', nonRetryable: true })
        }
        if (cancelled || published || status === 'RANKING' || status === 'CLASSIFIED' || signedOff.size === input.unitIds.length) {
          throw ApplicationFailure.create({ type: FailureType.notOpen, message: `cycle is ${status}`, nonRetryable: true })
        }
      },
    },
  )
  let rankingError: string | null = null
  let rankAgain = false
  setHandler(
    retryRankingUpdate,
    () => {
      rankAgain = true
      return Promise.resolve({ retrying: true as const })
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes('admin')) throw ApplicationFailure.create({ type: FailureType.forbidden, message: 'only an admin retries a ranking', nonRetryable: true })
        if (status !== 'RANKING_FAILED') throw ApplicationFailure.create({ type: FailureType.notOpen, message: `cycle is ${status}`, nonRetryable: true })
      },
    },
  )
  const refusePetition = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })
  const checkFiling = ({ actor, ownerId, evaluationId }: { actor: Actor; ownerId: number; evaluationId: number }) => {
    if (actor.id !== ownerId) throw refusePetition(FailureType.forbidden, 'only the evaluated person petitions about their result')
    if (!published || !windowOpen || locked || Date.now() >= closesAt) throw refusePetition(FailureType.petitionWindowClosed, 'the petition window is not open')
    if (busyEvaluations.has(evaluationId)) throw refusePetition(FailureType.petitionOpen, `evaluation ${evaluationId} already has an open petition`)
  }
  setHandler(
    filePetitionUpdate,
    async (req) => {
      checkFiling(req)
      busyEvaluations.add(req.evaluationId)
      try {
        const p = await acts.recordPetition({ cycleId: input.cycleId, evaluationId: req.evaluationId, filedBy: req.actor.id, reason: req.reason, key: `${workflowInfo().runId}:${++filings}` })
        const petition = { evaluationId: p.evaluationId, unitId: p.unitId, authorityIds: p.authorityIds, answered: false }
        petitions.set(p.id, petition)
        void watchAnswer(p.id, petition, p.remindAt, p.answerDueAt)
        return { id: p.id, answerDueAt: new Date(p.answerDueAt).toISOString() }
      } catch (err) {
        busyEvaluations.delete(req.evaluationId)
        throw err
      }
    },
    { validator: checkFiling },
  )
  const checkAnswer = ({ actor, petitionId }: { actor: Actor; petitionId: number }) => {
    const p = petitions.get(petitionId)
    if (!p) throw refusePetition(FailureType.forbidden, `petition ${petitionId} is not this cycle's`)
    const authority = actor.roles.includes('admin') || p.authorityIds.includes(actor.id)
    if (!authority) throw refusePetition(FailureType.forbidden, 'only the competent authority answers a petition')
    if (p.answered) throw refusePetition(FailureType.petitionAnswered, `petition ${petitionId} is answered already`)
  }
  setHandler(
    answerPetitionUpdate,
    async (req) => {
      checkAnswer(req)
      const p = petitions.get(req.petitionId)!
      p.answered = true
      if (req.decision === 'reject') {
        await acts.recordPetitionAnswer({ petitionId: req.petitionId, decision: 'reject', actorId: req.actor.id, reason: req.reason })
        busyEvaluations.delete(p.evaluationId)
        return { id: req.petitionId, status: 'REJECTED' as const }
      }
      // Not while the cycle is being ranked again: the reopened evaluation would be missing from it.
      accepting++
      try {
        await condition(() => !reclassifying)
        await acts.recordPetitionAnswer({ petitionId: req.petitionId, decision: 'accept', actorId: req.actor.id, reason: req.reason })
        signedOff.delete(p.unitId)
        reopened.set(p.evaluationId, p.unitId)
        await acts.reopenEvaluation({ cycleId: input.cycleId, evaluationId: p.evaluationId, unitId: p.unitId, petitionId: req.petitionId, reason: req.reason })
      } finally {
        accepting--
      }
      return { id: req.petitionId, status: 'ACCEPTED' as const }
    },
    { validator: checkAnswer },
  )

  /** A petition's answer is due: a reminder to the authority before, an escalation after (unless answered meanwhile). */
  async function watchAnswer(petitionId: number, p: { answered: boolean }, remindAt: number, dueAt: number): Promise<void> {
    for (const [at, kind] of [[remindAt, 'REMINDER'], [dueAt, 'OVERDUE']] as const) {
      if (at > Date.now() && (await condition(() => p.answered, at - Date.now()))) return
      if (p.answered) return
      await acts.notifyPetitionDue({ petitionId, kind })
    }
  }

  setHandler(cycleStateQuery, () => ({
    launched,
    signedOffUnitIds: [...signedOff],
    status,
    rankingError,
    ...(published ? { petitionClosesAt: new Date(closesAt).toISOString(), openPetitionIds: [...petitions].filter(([, p]) => !p.answered).map(([id]) => id), reopenedUnitIds: [...new Set(reopened.values())] } : {}),
  }))

  if (!launched) {
    // One activity starts everyone (resuming from its heartbeat after a lost worker) and opens the cycle.
    await acts.launchEvaluations({ cycleId: input.cycleId, ...(input.launchPageSize ? { pageSize: input.launchPageSize } : {}) })
    launched = true
    if (!cancelled) status = 'OPEN'
  }

  const runIsFull = () => updatesThisRun >= (input.updatesPerRun ?? UPDATES_PER_RUN) || workflowInfo().continueAsNewSuggested
  await condition(() => cancelled || signedOff.size === input.unitIds.length || runIsFull())
  if (!cancelled && signedOff.size < input.unitIds.length) return carryOn()
  await condition(allHandlersFinished)
  if (cancelled) return 'CANCELLED'

  status = 'RANKING'
  if (patched('ranking-retry')) {
    await untilRanked(() => acts.rankCycle({ cycleId: input.cycleId }))
  } else {
    await acts.rankCycle({ cycleId: input.cycleId })
  }
  // Each evaluation records its classification (its workflow decides its stage), then results go out.
  await acts.classifyEvaluations({ cycleId: input.cycleId })
  // Since release v6 the published results open a petition window; cycles that reached this point before end here.
  const petitionsOn = patched('petitions')
  await acts.publishResults({ cycleId: input.cycleId })
  status = 'CLASSIFIED'
  if (!petitionsOn) return status

  ;({ closesAt } = await acts.openPetitionWindow({ cycleId: input.cycleId }))
  published = true
  windowOpen = Date.now() < closesAt
  status = 'PUBLISHED'
  const windowTimer = (async () => {
    if (windowOpen) await sleep(closesAt - Date.now())
    windowOpen = false
  })()
  const unanswered = () => [...petitions.values()].some((p) => !p.answered)
  // Re-classify once every unit reopened by an accepted petition is signed off again.
  const reclassifyDue = () => reopened.size > 0 && signedOff.size === input.unitIds.length && busyUnits.size === 0 && accepting === 0
  for (;;) {
    await condition(() => reclassifyDue() || (!windowOpen && !unanswered() && reopened.size === 0 && accepting === 0))
    if (!reclassifyDue()) break
    reclassifying = true
    status = 'RANKING'
    const reopenedIds = [...reopened.keys()]
    revision++
    const { changed } = await untilRanked(() => acts.rerankCycle({ cycleId: input.cycleId, revision }))
    await acts.classifyEvaluations({ cycleId: input.cycleId, revision })
    await acts.publishRevisedResults({ cycleId: input.cycleId, revision, changed, reopenedIds })
    for (const id of reopenedIds) {
      reopened.delete(id)
      busyEvaluations.delete(id)
    }
    status = 'PUBLISHED'
    reclassifying = false
  }
  await windowTimer
  await condition(allHandlersFinished)
  locked = true
  await acts.lockResults({ cycleId: input.cycleId })
  status = 'LOCKED'
  return status

  /** Data that cannot be ranked stops the cycle in RANKING_FAILED (shown with its reason) until an admin retries. */
  async function untilRanked<T>(rank: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await rank()
      } catch (err) {
        if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === RANKING_FAILED)) throw err
        const before = status
        status = 'RANKING_FAILED'
        rankingError = err.cause.message
        await condition(() => rankAgain)
        rankAgain = false
        rankingError = null
        status = before
      }
    }
  }

  async function carryOn(): Promise<never> {
    await condition(allHandlersFinished)
    return continueAsNew<typeof cycleWorkflow>({ ...input, launched, signedOffUnitIds: [...signedOff], signOffSeq })
  }
}
