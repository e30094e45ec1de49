import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type { createActivities } from './activities.js'
import { RANKING_FAILED, cancelCycleUpdate, cycleStateQuery, retryRankingUpdate, returnUnitUpdate, signOffUnitUpdate } from './definitions.js'
import { FailureType, type Actor } from './stages.js'

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

  const checkUnitAction = (actor: Actor, unitId: number) => {
    if (!actor.roles.includes('leader') && !actor.roles.includes('admin')) {
      throw ApplicationFailure.create({ type: FailureType.forbidden, message: 'only leadership signs off', nonRetryable: true })
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
        if (cancelled || status === 'RANKING' || status === 'CLASSIFIED' || signedOff.size === input.unitIds.length) {
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
  setHandler(cycleStateQuery, () => ({ launched, signedOffUnitIds: [...signedOff], status, rankingError }))

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
    // Data that cannot be ranked stops the cycle in RANKING_FAILED (shown with its reason) until an admin retries.
    for (;;) {
      try {
        await acts.rankCycle({ cycleId: input.cycleId })
        break
      } catch (err) {
        if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === RANKING_FAILED)) throw err
        status = 'RANKING_FAILED'
        rankingError = err.cause.message
        await condition(() => rankAgain)
        rankAgain = false
        rankingError = null
        status = 'RANKING'
      }
    }
  } else {
    await acts.rankCycle({ cycleId: input.cycleId })
  }
  // Each evaluation records its classification (its workflow decides its stage), then results go out.
  await acts.classifyEvaluations({ cycleId: input.cycleId })
  await acts.publishResults({ cycleId: input.cycleId })
  status = 'CLASSIFIED'
  return status

  async function carryOn(): Promise<never> {
    await condition(allHandlersFinished)
    return continueAsNew<typeof cycleWorkflow>({ ...input, launched, signedOffUnitIds: [...signedOff], signOffSeq })
  }
}
