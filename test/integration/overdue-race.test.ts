import { tmpdir } from 'node:os'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, openDatabase, type Db } from '../../server/db/database.js'
import { notifyEvaluation } from '../../server/notifications/notification.repo.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { createTestDatabase } from '../support/database.js'

/**
 * An escalation whose timer fired just as the person acted: the projection of the action commits
 * while the escalation runs. The escalation must see the evaluation moved on — no "overdue" flag
 * left on an evaluation that is no longer late, no overdue notice for a stage already left.
 */
describe('an escalation racing the projection of an action (PostgreSQL)', () => {
  let db: Db
  let url: string
  let done: () => Promise<void>
  let evaluationId: number
  let ownerId: number

  beforeAll(async () => {
    const database = await createTestDatabase('overdue')
    url = database.url
    done = () => database.drop()
    db = await openDatabase({ databaseUrl: url, dataDir: tmpdir() })
    await migrate(db)
    await bootstrap(db, { adminPassword: 'overdue-admin-1', seedDemo: true, demoPassword: 'overdue-demo-1' })
    const owner = await db.selectFrom('staff').select(['id', 'unit_id']).where('username', '=', 'cv.maiphuong').executeTakeFirstOrThrow()
    const head = await db.selectFrom('staff').select('id').where('username', '=', 'tp.phamlan').executeTakeFirstOrThrow()
    ownerId = owner.id
    const ruleSet = await db.selectFrom('rulesets').select(['id', 'hash']).where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow()
    const cycle = await db
      .insertInto('cycles')
      .values({ name: 'Quá hạn', period_kind: 'month', period_start: '2026-11-01', period_end: '2026-11-30', ruleset_id: ruleSet.id, status: 'OPEN', unit_ids: JSON.stringify([owner.unit_id]), durations: JSON.stringify({ selfAssessmentSeconds: 60, reviewSeconds: 60, reminderBeforeSeconds: 10 }), created_by: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const evaluation = await db
      .insertInto('evaluations')
      .values({ cycle_id: cycle.id, staff_id: owner.id, unit_id: owner.unit_id!, position_code: null, rule_role: 'staff', stage: 'SELF_ASSESSMENT', round: 1, version: 3, data: JSON.stringify({}), prefilled_products: '[]', reviewer_ids: JSON.stringify([head.id]), sign_off_ids: '[]', ruleset_id: ruleSet.id, rule_hash: ruleSet.hash, deadline_at: null, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    evaluationId = evaluation.id
  })
  afterAll(async () => {
    await db?.destroy()
    await done?.()
  })

  it('leaves the evaluation not overdue and tells no one when the submit commits while the escalation runs', async () => {
    // The projection of a submit (v3 → v4), holding its row until it commits.
    const projection = new pg.Client({ connectionString: url })
    await projection.connect()
    await projection.query('begin')
    await projection.query(`update evaluations set stage = 'UNIT_REVIEW', version = 4, overdue = false where id = $1`, [evaluationId])
    // The self-assessment's escalation, fired at v3, runs meanwhile.
    const escalation = notifyEvaluation(db, { evaluationId, kind: 'OVERDUE', phase: 'self', stage: 'SELF_ASSESSMENT', version: 3 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await projection.query('commit')
    await projection.end()
    await escalation

    const row = await db.selectFrom('evaluations').select(['stage', 'version', 'overdue']).where('id', '=', evaluationId).executeTakeFirstOrThrow()
    expect(row).toEqual({ stage: 'UNIT_REVIEW', version: 4, overdue: false })
    const notices = await db.selectFrom('notifications').select('kind').where('recipient_id', '=', ownerId).where('evaluation_id', '=', evaluationId).execute()
    expect(notices).toEqual([])
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_events where entity = 'evaluation' and entity_id = ${String(evaluationId)} and action = 'escalate'`.execute(db)
    expect(audit.rows[0]!.n).toBe(0)
  })

  it('escalates when nothing moved: the flag set, the owner told', async () => {
    await notifyEvaluation(db, { evaluationId, kind: 'OVERDUE', phase: 'review', stage: 'UNIT_REVIEW', version: 4 })
    const row = await db.selectFrom('evaluations').select('overdue').where('id', '=', evaluationId).executeTakeFirstOrThrow()
    expect(row.overdue).toBe(true)
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_events where entity = 'evaluation' and entity_id = ${String(evaluationId)} and action = 'escalate'`.execute(db)
    expect(audit.rows[0]!.n).toBe(1)
  })
})
