import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { Actor, ProcessState, Transition } from './stages.js'

/** Names and payloads of every message the workflows accept; imported by the API client too. */

/** Each action's Update answers with the transition it recorded. Submit carries the document as checked by the API. */
export const submitUpdate = defineUpdate<Transition, [{ actor: Actor; data: Record<string, unknown> }]>('submit')
export const approveUpdate = defineUpdate<Transition, [{ actor: Actor; adjustments?: Record<string, unknown>; comment?: string }]>('approve')
export const returnUpdate = defineUpdate<Transition, [{ actor: Actor; reason: string }]>('return')
export const leaderReturnUpdate = defineUpdate<Transition, [{ actor: Actor; reason: string }]>('leaderReturn')
export const signedOffSignal = defineSignal('signedOff')
export const cancelSignal = defineSignal('cancel')
/** The process state, and how many recorded transitions still wait to reach the read model. */
export const evaluationStateQuery = defineQuery<ProcessState & { unprojected: number }>('state')

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
