import { Context } from '@temporalio/activity'
import { ApplicationFailure } from '@temporalio/common'
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type UpdateDefinition } from '@temporalio/client'
import { appendAudit } from '../server/audit/audit.repo.js'
import type { Db } from '../server/db/database.js'
import { markCycleCancelled, markCycleCancelling, recordUnitSignOff } from '../server/cycles/sign-off.repo.js'
import { RankingError, rankCycle, recordRankingFailure } from '../server/cycles/ranking.service.js'
import { projectTransition, raiseAlert, resolveAlert } from '../server/evaluations/transition.projection.js'
import { notifyEvaluation, notifyReturned, notifyRevisedResults, publishCycleResults } from '../server/notifications/notification.repo.js'
import { lockResults } from '../server/cycles/results-lock.js'
import { notifyPetitionDue, openPetitionWindow, recordAnswer, recordPetition, reopenUnit, type RecordedPetition } from '../server/petitions/petition.repo.js'
import { RANKING_FAILED, cancelUpdate, classifyUpdate, evaluationStateQuery, evaluationWorkflowId, holdForSignOffUpdate, leaderReturnUpdate, releaseSignOffUpdate, signOffUpdate } from './definitions.js'
import type { EvaluationWorkflowInput } from './evaluation.workflow.js'
import { SYSTEM_ACTOR, type Actor, type EvaluationParties, type Reassignment, type Stage, type Transition } from './stages.js'
import { notifyReassigned } from '../server/delegations/reassign.notify.js'

export interface ActivityDeps {
  db: Db
  client: Client
  taskQueue: string
}

/** Temporal calls in flight at once from one activity (launch, classification). */
const START_CONCURRENCY = 64
/** Updates in flight at once for a leadership action over a unit. */
const UNIT_CONCURRENCY = 32
/** Projection attempts after which a failing projection raises an alert (it is still retried). */
const ALERT_AFTER_ATTEMPTS = 5
/** Evaluations read per page while launching. */
const LAUNCH_PAGE = 1000

/** Activities: the workflows' only way to touch PostgreSQL and other workflows. */
export function createActivities({ db, client, taskQueue }: ActivityDeps) {
  const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true })

  return {
    /**
     * The projection of one recorded transition (its evaluation workflow runs them one at a time,
     * in version order). Retried until it succeeds; a transition that
     * conflicts with a different one already projected at its version is reported, never dropped.
     */
    async projectTransition(t: Transition): Promise<void> {
      const attempt = Context.current().info.attempt
      try {
        await projectTransition(db, t)
      } catch (err) {
        if (attempt >= ALERT_AFTER_ATTEMPTS) {
          Context.current().log.error('ALERT: projection failing', { evaluationId: t.evaluationId, version: t.version, attempt, error: String(err) })
          // Shown by /api/health while it lasts (unless the database itself is what fails).
          await raiseAlert(db, t, 'FAILING', `attempt ${attempt}: ${String(err)}`).catch(() => {})
        }
        throw err
      }
      if (attempt >= ALERT_AFTER_ATTEMPTS) await resolveAlert(db, t, 'FAILING')
    },

    /** Tells whoever must act after a return (the owner; after a leadership return, the unit head) why. */
    async notifyReturned(req: { evaluationId: number; version: number; action: 'return' | 'leaderReturn'; reason: string }): Promise<void> {
      await notifyReturned(db, req)
    },

    /** A reminder or an escalation; since v7 to the parties the workflow passes (its reassignments included). */
    async notify(req: { evaluationId: number; kind: 'REMINDER' | 'OVERDUE'; phase: 'self' | 'review'; stage: Stage; version: number; parties?: EvaluationParties }): Promise<void> {
      await notifyEvaluation(db, req)
    },

    /** Tells the person an admin named as reviewer or sign-off leader what now awaits them (release v7). */
    async notifyReassigned(req: { evaluationId: number; version: number; reassign: Reassignment; reason: string }): Promise<void> {
      await notifyReassigned(db, req)
    },

    /**
     * Starts every evaluation workflow of the cycle, a page at a time with a steady number of
     * starts in flight, then opens the cycle. The heartbeat carries the id below which all are
     * started, so a retry after a lost worker resumes there (a repeated start is a no-op).
     */
    async launchEvaluations(req: { cycleId: number; pageSize?: number }): Promise<{ started: number }> {
      const cycle = await db.selectFrom('cycles').select(['durations', 'created_at']).where('id', '=', req.cycleId).executeTakeFirst()
      // The API withdrew the launch (its start seemed to fail and it removed the rows): a clear failure, not retries for ever.
      if (!cycle) throw fail('CYCLE_WITHDRAWN', `cycle ${req.cycleId} does not exist: its launch was withdrawn`)
      const durations = cycle.durations
      const opensAt = new Date(cycle.created_at).getTime()
      let cursor = (Context.current().info.heartbeatDetails as number | undefined) ?? 0
      let started = 0
      // Within a page, a heartbeat a second (the cursor moves only between pages): one per start encoded and sent 50,000 of them.
      let lastBeat = 0
      const alive = () => {
        if (Date.now() - lastBeat < 1000) return
        lastBeat = Date.now()
        Context.current().heartbeat(cursor)
      }
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
        await inPool(rows, START_CONCURRENCY, async (r) => {
          const input: EvaluationWorkflowInput = {
            evaluationId: r.id,
            cycleId: req.cycleId,
            ownerId: r.staff_id,
            reviewerIds: r.reviewer_ids,
            signOffIds: r.sign_off_ids,
            opensAt,
            durations,
          }
          try {
            await client.workflow.start('evaluationWorkflow', { taskQueue, workflowId: evaluationWorkflowId(req.cycleId, r.staff_id), args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' })
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err
          }
          alive()
        })
        cursor = rows.at(-1)!.id
        started += rows.length
        Context.current().heartbeat(cursor)
      }
      await db.updateTable('cycles').set({ status: 'OPEN' }).where('id', '=', req.cycleId).where('status', '=', 'LAUNCHING').execute()
      await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: String(req.cycleId), action: 'open', reason: null, idempotency_key: `cycle:${req.cycleId}:open` })
      return { started }
    },

    /**
     * A unit sign-off, all or nothing: holds every evaluation of the unit for this token (each
     * workflow refuses unless it awaits sign-off and the actor may sign it off), then records the
     * sign-off in each; if any refuses, releases the others and refuses with the reasons. A retry
     * with the same token resumes (every step is idempotent per token).
     */
    async signOffUnit(req: { cycleId: number; unitId: number; actor: Actor; token: string }): Promise<{ unitId: number; evaluations: number }> {
      const staffIds = await unitMembers(req.cycleId, req.unitId)
      if (!staffIds.length) throw fail('UNIT_NOT_READY', `unit ${req.unitId} has no evaluation in cycle ${req.cycleId}`)
      const held = await inPool(staffIds, UNIT_CONCURRENCY, (s) => update(req.cycleId, s, holdForSignOffUpdate, { actor: req.actor, token: req.token }, `hold:${req.token}`))
      const refused = held.filter((h) => !h.ok)
      if (refused.length) {
        await inPool(staffIds, UNIT_CONCURRENCY, (s) => update(req.cycleId, s, releaseSignOffUpdate, { token: req.token }, `release:${req.token}`))
        const first = refused[0] as Refusal
        throw ApplicationFailure.create({
          type: first.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'UNIT_NOT_READY',
          message: `${refused.length} of ${staffIds.length} evaluation(s) of unit ${req.unitId} cannot be signed off (${first.message})`,
          nonRetryable: true,
          details: [refused],
        })
      }
      const signed = await inPool(staffIds, UNIT_CONCURRENCY, (s) => update(req.cycleId, s, signOffUpdate, { actor: req.actor, token: req.token }, `signoff:${req.token}`))
      const failed = signed.find((r): r is Refusal => !r.ok)
      if (failed) throw new Error(`sign-off of evaluation of staff ${failed.staffId} not recorded: ${failed.message}`) // retried: the holds stay
      await recordUnitSignOff(db, req.cycleId, req.unitId, req.actor, staffIds.length, req.token)
      return { unitId: req.unitId, evaluations: staffIds.length }
    },

    /** Returns every evaluation of a unit awaiting sign-off to its unit head, each through its own workflow, 32 at a time; reports each refusal. */
    async returnUnit(req: { cycleId: number; unitId: number; actor: Actor; reason: string; token: string }): Promise<{ unitId: number; evaluations: number; refused: { evaluationId: number; code: string; message: string }[] }> {
      const rows = await db.selectFrom('evaluations').select(['id', 'staff_id']).where('cycle_id', '=', req.cycleId).where('unit_id', '=', req.unitId).where('stage', '=', 'AWAITING_SIGN_OFF').execute()
      if (!rows.length) throw fail('UNIT_NOT_READY', `no evaluation of unit ${req.unitId} awaits sign-off`)
      const outcomes = await inPool(rows, UNIT_CONCURRENCY, (r) => update(req.cycleId, r.staff_id, leaderReturnUpdate, { actor: req.actor, reason: req.reason }, `unitReturn:${req.token}`))
      const refused = outcomes.flatMap((o, i) => (o.ok ? [] : [{ evaluationId: rows[i]!.id, code: o.code, message: o.message }]))
      if (refused.length === rows.length) throw fail(refused[0]!.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'UNIT_NOT_READY', `no evaluation of unit ${req.unitId} could be returned (${refused[0]!.message})`)
      return { unitId: req.unitId, evaluations: rows.length - refused.length, refused }
    },

    /** Cancels every evaluation of the cycle, each in its own workflow, then the cycle's record; safe to repeat. */
    async cancelCycle(req: { cycleId: number; actor: Actor; reason: string }): Promise<{ evaluations: number }> {
      // Shown at once: a cycle of 50,000 takes minutes to cancel (64 Updates at a time), and the admin is answered meanwhile (202).
      await markCycleCancelling(db, req.cycleId)
      const rows = await db.selectFrom('evaluations').select(['staff_id', 'stage']).where('cycle_id', '=', req.cycleId).execute()
      const outcomes = await inPool(rows, START_CONCURRENCY, (r) => update(req.cycleId, r.staff_id, cancelUpdate, { actor: req.actor, reason: req.reason }, `cancel:${req.cycleId}`))
      const failed = outcomes.find((o, i) => !o.ok && !(o.code === 'FINISHED' && rows[i]!.stage === 'CANCELLED')) as Refusal | undefined
      if (failed) throw new Error(`evaluation of staff ${failed.staffId} not cancelled: ${failed.code} ${failed.message}`)
      await markCycleCancelled(db, req.cycleId, req.actor, req.reason)
      return { evaluations: rows.length }
    },

    /**
     * After ranking: each evaluation signed off records its classification, 64 at a time (those
     * classified already — a retried activity, or a re-classification after petitions — are skipped:
     * their workflows have ended).
     */
    async classifyEvaluations(req: { cycleId: number; revision?: number }): Promise<{ classified: number }> {
      const rows = await db.selectFrom('evaluations').select(['staff_id', 'stage']).where('cycle_id', '=', req.cycleId).where('stage', '=', 'SIGNED_OFF').execute()
      const key = req.revision === undefined ? `classify:${req.cycleId}` : `classify:${req.cycleId}:r${req.revision}`
      const outcomes = await inPool(rows, START_CONCURRENCY, (r) => update(req.cycleId, r.staff_id, classifyUpdate, { actor: SYSTEM_ACTOR }, key))
      const failed = outcomes.find((o): o is Refusal => !o.ok)
      if (failed) throw new Error(`evaluation of staff ${failed.staffId} not classified: ${failed.code} ${failed.message}`)
      return { classified: rows.length }
    },

    /** Ranks the cycle; data that cannot be ranked fails for good (the cycle shows why, an admin retries once it is fixed). */
    async rankCycle(req: { cycleId: number }): Promise<{ classified: number }> {
      try {
        return await rankCycle(db, req.cycleId, (n) => Context.current().heartbeat(n))
      } catch (err) {
        if (!(err instanceof RankingError)) throw err
        await recordRankingFailure(db, req.cycleId, err.message)
        throw ApplicationFailure.create({ type: RANKING_FAILED, message: err.message, nonRetryable: true })
      }
    },

    async publishResults(req: { cycleId: number }): Promise<void> {
      await publishCycleResults(db, req.cycleId, (n) => Context.current().heartbeat(n))
    },

    // Publication and petitions (release v6): the cycle workflow decides, these store and tell.

    /** Results published: stores when, and when the petition window closes (working days, or seconds in tests). */
    async openPetitionWindow(req: { cycleId: number }): Promise<{ publishedAt: number; closesAt: number }> {
      return openPetitionWindow(db, req.cycleId)
    },

    /** Stores a petition the cycle workflow accepted, its authority and answer deadline; tells the authority. */
    async recordPetition(req: { cycleId: number; evaluationId: number; filedBy: number; reason: string; key: string }): Promise<RecordedPetition> {
      return recordPetition(db, req)
    },

    /** Stores the authority's answer and tells the filer. */
    async recordPetitionAnswer(req: { petitionId: number; decision: 'accept' | 'reject'; actorId: number; reason: string }): Promise<void> {
      await recordAnswer(db, req)
    },

    async notifyPetitionDue(req: { petitionId: number; kind: 'REMINDER' | 'OVERDUE' }): Promise<void> {
      await notifyPetitionDue(db, req)
    },

    /**
     * An accepted petition: the unit leaves the signed-off set, and the classified evaluation's
     * workflow (ended) runs again under the same id, carrying its recorded transitions, and records
     * `reopen` (CLASSIFIED → UNIT_REVIEW). A retry finds the new run and does nothing.
     */
    async reopenEvaluation(req: { cycleId: number; evaluationId: number; unitId: number; petitionId: number; reason: string }): Promise<void> {
      await reopenUnit(db, req)
      const ev = await db.selectFrom('evaluations').select(['id', 'staff_id', 'reviewer_ids', 'sign_off_ids', 'stage', 'version', 'round']).where('id', '=', req.evaluationId).executeTakeFirstOrThrow()
      const workflowId = evaluationWorkflowId(req.cycleId, ev.staff_id)
      const handle = client.workflow.getHandle(workflowId)
      const { status } = await handle.describe()
      if (status.name === 'RUNNING') return // the new run started on an earlier attempt
      const previous = await handle.query(evaluationStateQuery)
      if (previous.stage !== 'CLASSIFIED' || previous.version !== ev.version) throw fail('CONFLICT', `evaluation ${ev.id} is ${previous.stage} v${previous.version} in its workflow, ${ev.stage} v${ev.version} in the read model`)
      const cycle = await db.selectFrom('cycles').select(['durations', 'created_at']).where('id', '=', req.cycleId).executeTakeFirstOrThrow()
      const input: EvaluationWorkflowInput = {
        evaluationId: ev.id,
        cycleId: req.cycleId,
        ownerId: ev.staff_id,
        reviewerIds: ev.reviewer_ids,
        signOffIds: ev.sign_off_ids,
        opensAt: new Date(cycle.created_at).getTime(),
        durations: cycle.durations,
        resume: { stage: 'UNIT_REVIEW', version: previous.version, round: previous.round, transitions: previous.transitions, petitionId: req.petitionId, reason: req.reason },
      }
      try {
        await client.workflow.start('evaluationWorkflow', { taskQueue, workflowId, args: [input], workflowIdReusePolicy: 'ALLOW_DUPLICATE' })
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err
      }
    },

    /** Ranks the cycle again after reopened units were signed off again; answers whose final level changed. */
    async rerankCycle(req: { cycleId: number; revision: number }): Promise<{ changed: { evaluationId: number; staffId: number; from: string | null; to: string }[] }> {
      try {
        const { changed } = await rankCycle(db, req.cycleId, (n) => Context.current().heartbeat(n), req.revision)
        return { changed }
      } catch (err) {
        if (!(err instanceof RankingError)) throw err
        await recordRankingFailure(db, req.cycleId, err.message)
        throw ApplicationFailure.create({ type: RANKING_FAILED, message: err.message, nonRetryable: true })
      }
    },

    /** Tells everyone whose final level changed, and everyone reopened, their result after the re-classification. */
    async publishRevisedResults(req: { cycleId: number; revision: number; changed: { evaluationId: number; from: string | null; to: string }[]; reopenedIds: number[] }): Promise<void> {
      await notifyRevisedResults(db, req)
    },

    /** Window closed, petitions answered, re-reviews classified: the results are locked and go to the national database. */
    async lockResults(req: { cycleId: number }): Promise<{ lockedAt: string; nationalDb: 'started' | 'already' | 'waiting' }> {
      return lockResults(db, client, taskQueue, req.cycleId)
    },
  }

  /** The unit's evaluations a sign-off holds: all but those classified already (a unit signed off again after a petition). */
  async function unitMembers(cycleId: number, unitId: number): Promise<number[]> {
    const rows = await db.selectFrom('evaluations').select('staff_id').where('cycle_id', '=', cycleId).where('unit_id', '=', unitId).where('stage', '<>', 'CLASSIFIED').orderBy('id').execute()
    return rows.map((r) => r.staff_id)
  }

  /**
   * One Update to one evaluation workflow, with an id so a retried activity is answered with the
   * first result instead of acting twice. A refusal (validator or handler) is an outcome, not an error.
   */
  async function update<Ret, A>(cycleId: number, staffId: number, def: UpdateDefinition<Ret, [A]>, args: A, updateId: string): Promise<Outcome<Ret>> {
    try {
      Context.current().heartbeat()
      const value = await client.workflow.getHandle(evaluationWorkflowId(cycleId, staffId)).executeUpdate(def, { args: [args], updateId })
      return { ok: true, staffId, value }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { ok: false, staffId, code: 'FINISHED', message: 'the evaluation workflow has ended' }
      if (!(err instanceof WorkflowUpdateFailedError)) throw err
      const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined
      return { ok: false, staffId, code: cause?.type ?? 'REFUSED', message: cause?.message ?? err.message }
    }
  }
}

type Refusal = { ok: false; staffId: number; code: string; message: string }
type Outcome<T> = { ok: true; staffId: number; value: T } | Refusal

/** Runs calls to Temporal with a steady number in flight (not in lock-step chunks); results in input order. */
async function inPool<T, R>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await task(items[i]!, i)
      }
    }),
  )
  return results
}
