import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type { createActivities } from './activities.js'
import { cancelCycleUpdate, cycleStateQuery, returnUnitUpdate, signOffUnitUpdate } from './definitions.js'
import { FailureType, type Actor } from './stages.js'

export interface CycleWorkflowInput {
  cycleId: number
  /** Units with at least one evaluation: each must be signed off. */
  unitIds: number[]
  /** Evaluations started per activity, and activities per run before continue-as-new (history stays small). */
  launchBatchSize?: number
  batchesPerRun?: number
  /** Carried over by continue-as-new. */
  launchCursor?: number
  launched?: boolean
  signedOffUnitIds?: number[]
}

const LAUNCH_BATCH = 500
const BATCHES_PER_RUN = 40
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
  let cursor = input.launchCursor ?? 0
  let launched = input.launched ?? false
  const signedOff = new Set(input.signedOffUnitIds ?? [])
  let cancelled = false
  let status = launched ? 'OPEN' : 'LAUNCHING'
  let batchesThisRun = 0
  let updatesThisRun = 0

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
  }

  setHandler(
    signOffUnitUpdate,
    async ({ actor, unitId }) => {
      updatesThisRun++
      checkUnitAction(actor, unitId)
      const result = await acts.signOffUnit({ cycleId: input.cycleId, unitId, actor })
      signedOff.add(unitId)
      return result
    },
    { validator: ({ actor, unitId }) => checkUnitAction(actor, unitId) },
  )
  setHandler(
    returnUnitUpdate,
    async ({ actor, unitId, reason }) => {
      updatesThisRun++
      return acts.returnUnit({ cycleId: input.cycleId, unitId, actor, reason })
    },
    { validator: ({ actor, unitId }) => checkUnitAction(actor, unitId) },
  )
  setHandler(
    cancelCycleUpdate,
    async ({ actor, reason }) => {
      cancelled = true
      await acts.cancelCycle({ cycleId: input.cycleId, actor, reason })
      return { cancelled: true as const }
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes('admin')) {
          throw ApplicationFailure.create({ type: FailureType.forbidden, message: 'only an admin cancels a cycle', nonRetryable: true })
        }
        if (cancelled || status === 'RANKING' || status === 'CLASSIFIED') {
          throw ApplicationFailure.create({ type: FailureType.notOpen, message: `cycle is ${status}`, nonRetryable: true })
        }
      },
    },
  )
  setHandler(cycleStateQuery, () => ({ launched, signedOffUnitIds: [...signedOff], status }))

  while (!launched && !cancelled) {
    const batch = await acts.launchEvaluations({ cycleId: input.cycleId, afterId: cursor, limit: input.launchBatchSize ?? LAUNCH_BATCH })
    if (batch.count === 0) {
      await acts.markCycleOpen({ cycleId: input.cycleId })
      launched = true
      status = 'OPEN'
      break
    }
    cursor = batch.lastId
    if (++batchesThisRun >= (input.batchesPerRun ?? BATCHES_PER_RUN) || workflowInfo().continueAsNewSuggested) return carryOn()
  }

  const runIsFull = () => updatesThisRun >= UPDATES_PER_RUN || workflowInfo().continueAsNewSuggested
  await condition(() => cancelled || signedOff.size === input.unitIds.length || runIsFull())
  if (!cancelled && signedOff.size < input.unitIds.length) return carryOn()
  await condition(allHandlersFinished)
  if (cancelled) return 'CANCELLED'

  status = 'RANKING'
  await acts.rankCycle({ cycleId: input.cycleId })
  await acts.publishResults({ cycleId: input.cycleId })
  status = 'CLASSIFIED'
  return status

  async function carryOn(): Promise<never> {
    await condition(allHandlersFinished)
    return continueAsNew<typeof cycleWorkflow>({ ...input, launchCursor: cursor, launched, signedOffUnitIds: [...signedOff] })
  }
}
