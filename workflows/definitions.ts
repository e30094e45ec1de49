import { defineQuery, defineUpdate } from '@temporalio/workflow'
import type { Actor, EvaluationParties, ProcessState, Transition } from './stages.js'

/** Names and payloads of every message the workflows accept; imported by the API client too. */

/**
 * What every action may carry: who acts, and the version the caller saw (a moved-on evaluation
 * answers STALE instead of acting on something the caller did not see).
 */
export interface ActionArgs {
  actor: Actor
  expectedVersion?: number
  /**
   * The caller writes the recorded transition to the read model itself before it answers (the API
   * does, since release v5): the Update answers as soon as the transition is recorded, and the
   * workflow's own projection follows as a regular activity — the guarantee if the caller died first.
   */
  writeThrough?: boolean
}

/**
 * Each action's Update answers with the transition it recorded: once the read model shows it, or
 * at once when the caller writes it through (`writeThrough`).
 */
export const saveUpdate = defineUpdate<Transition, [ActionArgs & { data: Record<string, unknown> }]>('save')
export const submitUpdate = defineUpdate<Transition, [ActionArgs & { data: Record<string, unknown> }]>('submit')
export const approveUpdate = defineUpdate<Transition, [ActionArgs & { adjustments?: Record<string, unknown>; comment?: string }]>('approve')
export const returnUpdate = defineUpdate<Transition, [ActionArgs & { reason: string }]>('return')
export const leaderReturnUpdate = defineUpdate<Transition, [ActionArgs & { reason: string }]>('leaderReturn')
/**
 * An admin reassigns the evaluation's reviewer or sign-off leader (release v7): the workflow takes
 * the new party list (`staffIds`, the person named first) for every later check and reminder, and
 * records a `reassign` transition (the stage stays) that the read model's party rows follow.
 */
export const reassignUpdate = defineUpdate<Transition, [ActionArgs & { role: 'reviewer' | 'sign-off'; staffIds: number[]; reason: string }]>('reassign')

/**
 * A unit sign-off, in two phases run by the cycle workflow: `holdForSignOff` holds an evaluation
 * awaiting sign-off for one sign-off token (nothing else moves it meanwhile), then either
 * `signOff` records the transition or `releaseSignOff` lets it go. Every step is idempotent per token.
 */
export const holdForSignOffUpdate = defineUpdate<{ held: true } | { signedOff: true }, [{ actor: Actor; token: string }]>('holdForSignOff')
export const releaseSignOffUpdate = defineUpdate<{ released: boolean }, [{ token: string }]>('releaseSignOff')
export const signOffUpdate = defineUpdate<Transition, [{ actor: Actor; token: string }]>('signOff')
/** The cycle's cancellation and, after ranking, its classification: each evaluation records its own. */
export const cancelUpdate = defineUpdate<Transition, [{ actor: Actor; reason: string }]>('cancel')
export const classifyUpdate = defineUpdate<Transition, [{ actor: Actor }]>('classify')

/** The process state, every transition it recorded (for the reconciler), the sign-off hold, if any, and (since v7) the parties now. */
export const evaluationStateQuery = defineQuery<ProcessState & { projectedVersion: number; transitions: Transition[]; heldBy: string | null; parties?: EvaluationParties }>('state')

export interface UnitActionResult {
  unitId: number
  evaluations: number
  /** A unit return: the evaluations that could not be returned, and why. */
  refused?: { evaluationId: number; code: string; message: string }[]
}

export const signOffUnitUpdate = defineUpdate<UnitActionResult, [{ actor: Actor; unitId: number }]>('signOffUnit')
export const returnUnitUpdate = defineUpdate<UnitActionResult, [{ actor: Actor; unitId: number; reason: string }]>('returnUnit')
export const cancelCycleUpdate = defineUpdate<{ cancelled: true; evaluations: number }, [{ actor: Actor; reason: string }]>('cancelCycle')
/** An admin asks a cycle whose ranking failed (RANKING_FAILED) to rank again, once the data is fixed. */
export const retryRankingUpdate = defineUpdate<{ retrying: true }, [{ actor: Actor }]>('retryRanking')
/** The failure type of a ranking that data prevents (not retried by itself). */
export const RANKING_FAILED = 'RankingFailed'
/**
 * Petitions (since release v6, behind `patched('petitions')`): after publication the cycle workflow
 * stays open for the petition window and decides every petition — is the window open, is one already
 * open for this evaluation, may this person answer it. The API passes what it read (the evaluation,
 * its owner and unit) and the workflow checks the actor against it.
 */
export interface PetitionFiling {
  actor: Actor
  evaluationId: number
  /** The evaluated person (only they may petition), their unit and the evaluation's version, as the read model shows them. */
  ownerId: number
  unitId: number
  reason: string
}
export interface PetitionAnswer {
  actor: Actor
  petitionId: number
  decision: 'accept' | 'reject'
  reason: string
}
export const filePetitionUpdate = defineUpdate<{ id: number; answerDueAt: string }, [PetitionFiling]>('filePetition')
export const answerPetitionUpdate = defineUpdate<{ id: number; status: 'ACCEPTED' | 'REJECTED' }, [PetitionAnswer]>('answerPetition')

export interface CycleState {
  launched: boolean
  signedOffUnitIds: number[]
  status: string
  rankingError?: string | null
  /** After publication (release v6): the window's close (ISO), the open petitions and the units under re-review. */
  petitionClosesAt?: string | null
  openPetitionIds?: number[]
  reopenedUnitIds?: number[]
}
export const cycleStateQuery = defineQuery<CycleState>('state')

export const evaluationWorkflowId = (cycleId: number, staffId: number) => `evaluation:${cycleId}:${staffId}`
export const cycleWorkflowId = (cycleId: number) => `cycle:${cycleId}`
