import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { Actor, Stage } from './stages.js'

/** Names and payloads of every message the workflows accept; imported by the API client too. */

export interface TransitionResult {
  evaluationId: number
  stage: Stage
  version: number
  round: number
}

export const submitUpdate = defineUpdate<TransitionResult, [{ actor: Actor }]>('submit')
export const approveUpdate = defineUpdate<TransitionResult, [{ actor: Actor; adjustments?: Record<string, unknown>; comment?: string }]>('approve')
export const returnUpdate = defineUpdate<TransitionResult, [{ actor: Actor; reason: string }]>('return')
export const leaderReturnUpdate = defineUpdate<TransitionResult, [{ actor: Actor; reason: string }]>('leaderReturn')
export const signedOffSignal = defineSignal('signedOff')
export const cancelSignal = defineSignal('cancel')
export const evaluationStateQuery = defineQuery<{ stage: Stage; version: number; round: number; busy: boolean }>('state')

export interface UnitActionResult {
  unitId: number
  evaluations: number
}

export const signOffUnitUpdate = defineUpdate<UnitActionResult, [{ actor: Actor; unitId: number }]>('signOffUnit')
export const returnUnitUpdate = defineUpdate<UnitActionResult, [{ actor: Actor; unitId: number; reason: string }]>('returnUnit')
export const cancelCycleUpdate = defineUpdate<{ cancelled: true }, [{ actor: Actor; reason: string }]>('cancelCycle')
export const cycleStateQuery = defineQuery<{ launched: boolean; signedOffUnitIds: number[]; status: string }>('state')

export const evaluationWorkflowId = (cycleId: number, staffId: number) => `evaluation:${cycleId}:${staffId}`
export const cycleWorkflowId = (cycleId: number) => `cycle:${cycleId}`
