import { Context } from '@temporalio/activity'
import { ApplicationFailure, type SignalDefinition } from '@temporalio/common'
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client'
import { appendAudit } from '../server/audit/audit.repo.js'
import type { Db } from '../server/db/database.js'
import type { CycleDurations } from '../server/db/schema.js'
import { cancelCycleRecords, signOffUnitRecords } from '../server/cycles/sign-off.repo.js'
import { rankCycle } from '../server/cycles/ranking.service.js'
import { applyTransition } from '../server/evaluations/transition.repo.js'
import { notifyEvaluation, publishCycleResults } from '../server/notifications/notification.repo.js'
import { cancelSignal, evaluationWorkflowId, leaderReturnUpdate, signedOffSignal } from './definitions.js'
import type { EvaluationWorkflowInput } from './evaluation.workflow.js'
import type { Actor, Stage, Transition } from './stages.js'

export interface ActivityDeps {
  db: Db
  client: Client
  taskQueue: string
}

/** Temporal calls in flight at once from one activity. */
const START_CONCURRENCY = 64
/** How long the read-model backstop leaves the API to write a transition itself. */
const BACKSTOP_GRACE_MS = 500
/** Evaluations read per page while launching. */
const LAUNCH_PAGE = 1000

/** Activities: the workflows' only way to touch PostgreSQL and other workflows. */
export function createActivities({ db, client, taskQueue }: ActivityDeps) {
  const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })

  return {
    /**
     * The backstop: applies a recorded transition to the read model unless the API already has.
     * It first gives the API a moment to do so (the usual case) rather than race it for the row.
     * The workflow applies its transitions in order, so "behind" only follows a cycle cancelled
     * in the database a moment before the workflow heard of it: nothing more to write then.
     */
    async projectTransition(req: Transition): Promise<void> {
      if (Context.current().info.attempt === 1) await Context.current().sleep(BACKSTOP_GRACE_MS)
      const outcome = await applyTransition(db, req)
      if (!outcome.ok) Context.current().log.warn('transition not projected', { evaluationId: req.evaluationId, version: req.version, type: outcome.type, message: outcome.message })
    },

    async notify(req: { evaluationId: number; kind: 'REMINDER' | 'OVERDUE'; phase: 'self' | 'review'; stage: Stage; version: number }): Promise<void> {
      await notifyEvaluation(db, req)
    },

    /**
     * Starts every evaluation workflow of the cycle, a page at a time with a steady number of
     * starts in flight, then opens the cycle. The heartbeat carries the id below which all are
     * started, so a retry after a lost worker resumes there (a repeated start is a no-op).
     */
    async launchEvaluations(req: { cycleId: number; pageSize?: number }): Promise<{ started: number }> {
      const cycle = await db.selectFrom('cycles').select(['durations', 'created_at']).where('id', '=', req.cycleId).executeTakeFirstOrThrow()
      const durations = cycle.durations as CycleDurations
      const opensAt = new Date(cycle.created_at).getTime()
      let cursor = (Context.current().info.heartbeatDetails as number | undefined) ?? 0
      let started = 0
      for (;;) {
        const { status } = await db.selectFrom('cycles').select('status').where('id', '=', req.cycleId).executeTakeFirstOrThrow()
        if (status === 'CANCELLED') return { started }
        const rows = await db
          .selectFrom('evaluations')
          .select(['id', 'staff_id', 'reviewer_ids', 'sign_off_ids'])
          .where('cycle_id', '=', req.cycleId)
          .where('stage', '<>', 'CANCELLED')
          .where('id', '>', cursor)
          .orderBy('id')
          .limit(req.pageSize ?? LAUNCH_PAGE)
          .execute()
        if (!rows.length) break
        await inPool(rows, async (r) => {
          const input: EvaluationWorkflowInput = {
            evaluationId: r.id,
            cycleId: req.cycleId,
            ownerId: r.staff_id,
            reviewerIds: r.reviewer_ids as number[],
            signOffIds: r.sign_off_ids as number[],
            opensAt,
            durations,
          }
          try {
            await client.workflow.start('evaluationWorkflow', { taskQueue, workflowId: evaluationWorkflowId(req.cycleId, r.staff_id), args: [input] })
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err
          }
          Context.current().heartbeat(cursor)
        })
        cursor = rows.at(-1)!.id
        started += rows.length
        Context.current().heartbeat(cursor)
      }
      await db.updateTable('cycles').set({ status: 'OPEN' }).where('id', '=', req.cycleId).where('status', '=', 'LAUNCHING').execute()
      await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: String(req.cycleId), action: 'open', reason: null, idempotency_key: `cycle:${req.cycleId}:open` })
      return { started }
    },

    /** Records the sign-off, then tells each evaluation workflow (a retry re-signals; finished ones are skipped). */
    async signOffUnit(req: { cycleId: number; unitId: number; actor: Actor }): Promise<{ unitId: number; evaluations: number }> {
      const outcome = await signOffUnitRecords(db, req.cycleId, req.unitId, req.actor)
      if (!outcome.ok) throw fail(outcome.type, outcome.message)
      await signalAll(outcome.staffIds.map((s) => evaluationWorkflowId(req.cycleId, s)), signedOffSignal)
      return { unitId: req.unitId, evaluations: outcome.staffIds.length }
    },

    /** Returns every evaluation of a unit awaiting sign-off to its unit head, each through its own workflow. */
    async returnUnit(req: { cycleId: number; unitId: number; actor: Actor; reason: string }): Promise<{ unitId: number; evaluations: number }> {
      const rows = await db
        .selectFrom('evaluations')
        .select(['staff_id'])
        .where('cycle_id', '=', req.cycleId)
        .where('unit_id', '=', req.unitId)
        .where('stage', '=', 'AWAITING_SIGN_OFF')
        .execute()
      if (!rows.length) throw fail('UNIT_NOT_READY', `no evaluation of unit ${req.unitId} awaits sign-off`)
      let returned = 0
      for (const r of rows) {
        Context.current().heartbeat(returned)
        const handle = client.workflow.getHandle(evaluationWorkflowId(req.cycleId, r.staff_id))
        try {
          const recorded = await handle.executeUpdate(leaderReturnUpdate, { args: [{ actor: req.actor, reason: req.reason }] })
          returned++
          await applyTransition(db, recorded) // now, for the leader's next read; else the workflow's backstop does
        } catch (err) {
          // Rejected means already returned (a retry) or not the actor's to return: report, don't loop.
          if (returned === 0 && rows.length === 1) throw fail('FORBIDDEN', String((err as Error).message))
        }
      }
      if (returned === 0) throw fail('FORBIDDEN', `staff ${req.actor.id} may not return unit ${req.unitId}`)
      return { unitId: req.unitId, evaluations: returned }
    },

    /** Cancels the cycle's records, then tells every evaluation workflow of it; safe to repeat. */
    async cancelCycle(req: { cycleId: number; actor: Actor; reason: string }): Promise<void> {
      await cancelCycleRecords(db, req.cycleId, req.actor, req.reason)
      const rows = await db.selectFrom('evaluations').select('staff_id').where('cycle_id', '=', req.cycleId).where('stage', '=', 'CANCELLED').execute()
      await signalAll(rows.map((r) => evaluationWorkflowId(req.cycleId, r.staff_id)), cancelSignal)
    },

    async rankCycle(req: { cycleId: number }): Promise<{ classified: number }> {
      return rankCycle(db, req.cycleId, (n) => Context.current().heartbeat(n))
    },

    async publishResults(req: { cycleId: number }): Promise<void> {
      await publishCycleResults(db, req.cycleId, (n) => Context.current().heartbeat(n))
    },
  }

  async function signalAll(workflowIds: string[], signal: SignalDefinition<[], string>): Promise<void> {
    await inPool(workflowIds, async (id, i) => {
      try {
        await client.workflow.getHandle(id).signal(signal)
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err
      }
      if (i % 50 === 0) Context.current().heartbeat(i)
    })
  }
}

/** Runs calls to Temporal with a steady number in flight (not in lock-step chunks). */
async function inPool<T>(items: T[], task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(START_CONCURRENCY, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        await task(items[i]!, i)
      }
    }),
  )
}
