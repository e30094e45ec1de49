import { Client, Connection } from '@temporalio/client'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.js'
import { projectTransition } from '../../server/evaluations/transition.projection.js'
import { reconcile } from '../../server/evaluations/reconcile.js'
import { evaluationStateQuery, evaluationWorkflowId } from '../../workflows/definitions.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { doc } from '../support/documents.js'
import { serverTiming } from '../../bench/stats.js'


/** Actions are safe to retry, answer the right code every time, and a conflicting projection is reported. */
describe('actions: idempotency keys, expected versions, status codes, conflict detection', () => {
  let t: TestSystem
  let cycleId: number
  let staff: string
  let head: string
  let id: number

  const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.system.app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    return { status: res.status, body: (await res.json()) }
  }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'actions' })
    const admin = await t.login('admin')
    const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    cycleId = (await t.api('POST', '/api/cycles', admin, { name: 'Thao tác an toàn', periodKind: 'month', periodStart: '2026-09-01', periodEnd: '2026-09-30', ruleSetId: 1, unitIds: [cchc] })).body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 30_000, 'open')
    staff = await t.login('cv.maiphuong')
    head = await t.login('tp.phamlan')
    id = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, staff)).body[0].id
  })
  afterAll(async () => t?.stop())

  it('raises the version on every saved draft, and refuses a save against a version the caller did not see (409 STALE)', async () => {
    const first = await call('PUT', `/api/evaluations/${id}/self-assessment`, staff, { data: doc(8, 8) })
    expect(first).toMatchObject({ status: 200, body: { version: 1 } })
    const second = await call('PUT', `/api/evaluations/${id}/self-assessment`, staff, { data: doc(9, 9), expectedVersion: 1 })
    expect(second).toMatchObject({ status: 200, body: { version: 2 } })
    const stale = await call('PUT', `/api/evaluations/${id}/self-assessment`, staff, { data: doc(7, 7) }, { 'if-match': '"1"' })
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'STALE' } } })
    expect((await call('GET', `/api/evaluations/${id}`, staff)).body.data.products[0].done).toBe(9)
    expect((await call('POST', `/api/evaluations/${id}/submit`, staff, {}, { 'if-match': 'nonsense' })).status).toBe(400)
  })

  it('answers a repeated request with the same Idempotency-Key with the first answer, and acts once', async () => {
    const key = { 'idempotency-key': 'submit-once-1' }
    const [a, b] = await Promise.all([call('POST', `/api/evaluations/${id}/submit`, staff, {}, key), call('POST', `/api/evaluations/${id}/submit`, staff, {}, key)])
    expect(a).toMatchObject({ status: 200, body: { stage: 'UNIT_REVIEW', version: 3 } })
    expect(b).toMatchObject({ status: 200, body: { stage: 'UNIT_REVIEW', version: 3 } })
    const again = await call('POST', `/api/evaluations/${id}/submit`, staff, {}, key)
    expect(again).toMatchObject({ status: 200, body: { version: 3 } })
    const audit = (await call('GET', `/api/evaluations/${id}/audit`, staff)).body.map((e: { action: string }) => e.action)
    expect(audit).toEqual(['save', 'save', 'submit'])
    // Without the key, the same request is out of turn.
    expect((await call('POST', `/api/evaluations/${id}/submit`, staff, {})).body.error.code).toBe('WRONG_STAGE')
    // Another person's identical key is another request.
    expect((await call('POST', `/api/evaluations/${id}/submit`, head, {}, key)).status).toBe(403)
  })

  it('answers an out-of-turn return with 409, whoever sends it', async () => {
    expect((await call('POST', `/api/evaluations/${id}/approve`, head, {})).status).toBe(200)
    expect((await call('POST', `/api/evaluations/${id}/approve`, head, {})).body.error.code).toBe('WRONG_STAGE')
    // The head's return comes after the approval: out of turn, not forbidden.
    expect((await call('POST', `/api/evaluations/${id}/return`, head, { reason: 'Muộn rồi' })).status).toBe(409)
  })

  it('detects a different transition at a version already projected, raises an alert and degrades health', async () => {
    const ev = await t.system.db.selectFrom('evaluations').select(['staff_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    const wf = await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, ev.staff_id)).query(evaluationStateQuery)
    const recorded = wf.transitions.at(-1)!
    expect(await projectTransition(t.system.db, recorded)).toBe('already')
    const forged = { ...recorded, payload: { comment: 'một quyết định khác' } }
    expect(await projectTransition(t.system.db, forged)).toBe('conflict')
    const health = await call('GET', '/api/health', staff)
    expect(health.body).toMatchObject({ status: 'degraded', projectionAlerts: 1, database: 'ok', temporal: 'ok' })
  })

  it('reconciles: a transition the read model lacks is written again, a different one is reported', async () => {
    const other = await t.login('cv.tongmai')
    const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, other)).body[0]
    expect((await call('PUT', `/api/evaluations/${own.id}/self-assessment`, other, { data: doc(9, 9) })).status).toBe(200)
    expect((await call('POST', `/api/evaluations/${own.id}/submit`, other, {})).status).toBe(200)
    // The workflow's own projection of v2 runs after the answer (the API wrote it through first): wait
    // for it, or it could write v2 again after the loss below and leave the reconciler nothing to do.
    const ownStaff = await t.system.db.selectFrom('evaluations').select('staff_id').where('id', '=', own.id).executeTakeFirstOrThrow()
    const wf = t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, ownStaff.staff_id))
    await eventually(async () => (await wf.query(evaluationStateQuery)).projectedVersion >= 2, 30_000, 'workflow projected v2')
    // As if the submit's projection had been lost (a restored backup): the row and its ledger are back at v1.
    await t.system.db.updateTable('evaluations').set({ stage: 'SELF_ASSESSMENT', version: 1 }).where('id', '=', own.id).execute()
    await t.system.db.deleteFrom('evaluation_transitions').where('evaluation_id', '=', own.id).where('version', '=', 2).execute()
    const repaired = await reconcile(t.system.db, t.system.client, { cycleId })
    expect(repaired.repaired).toEqual([{ evaluationId: own.id, fromVersion: 1, toVersion: 2 }])
    expect((await call('GET', `/api/evaluations/${own.id}`, other)).body).toMatchObject({ stage: 'UNIT_REVIEW', version: 2 })
    expect(await reconcile(t.system.db, t.system.client, { cycleId })).toMatchObject({ repaired: [], reported: [] })
    // A ledger that holds another transition than the workflow recorded is reported, not overwritten.
    await t.system.db.updateTable('evaluation_transitions').set({ hash: 'not-the-recorded-one' }).where('evaluation_id', '=', own.id).where('version', '=', 2).execute()
    const reported = await reconcile(t.system.db, t.system.client, { cycleId })
    expect(reported.reported).toEqual([{ evaluationId: own.id, problem: 'v2 in the read model is not the transition the workflow recorded' }])
  })

  it('answers 503 RECORDED_NOT_SHOWN when the read model cannot take a recorded action, and shows it by itself once it can', async () => {
    const other = await t.login('cv.lyson')
    const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, other)).body[0]
    expect((await call('PUT', `/api/evaluations/${own.id}/self-assessment`, other, { data: doc(8, 9) })).body).toMatchObject({ version: 1 })
    // The ledger refuses every write for a while, as a failing disk or a lost primary would.
    await sql`create function test_refuse_ledger() returns trigger language plpgsql as $$ begin raise exception 'simulated outage'; end $$`.execute(t.system.db)
    await sql`create trigger test_refuse_ledger before insert on evaluation_transitions for each row execute function test_refuse_ledger()`.execute(t.system.db)
    const key = { 'idempotency-key': 'submit-during-outage' }
    const during = await call('POST', `/api/evaluations/${own.id}/submit`, other, {}, key)
    expect(during).toMatchObject({ status: 503, body: { error: { code: 'RECORDED_NOT_SHOWN' } } })
    expect(during.body.error.message).toMatch(/đã được ghi nhận/)
    // The workflow decided; the read model does not show it yet.
    const staffId = (await t.api('GET', '/api/me', other)).body.id
    expect(await t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, staffId)).query(evaluationStateQuery)).toMatchObject({ stage: 'UNIT_REVIEW', version: 2 })
    expect((await call('GET', `/api/evaluations/${own.id}`, other)).body).toMatchObject({ stage: 'SELF_ASSESSMENT', version: 1 })
    await sql`drop trigger test_refuse_ledger on evaluation_transitions`.execute(t.system.db)
    await sql`drop function test_refuse_ledger()`.execute(t.system.db)
    // Nobody repeats anything: the workflow's own projection gets it through.
    await eventually(async () => (await call('GET', `/api/evaluations/${own.id}`, other)).body.version === 2, 60_000, 'the recorded submit shown')
    // A careful client that repeats with its key gets the first answer, and nothing happens twice.
    expect(await call('POST', `/api/evaluations/${own.id}/submit`, other, {}, key)).toMatchObject({ status: 200, body: { stage: 'UNIT_REVIEW', version: 2 } })
    expect((await call('GET', `/api/evaluations/${own.id}/audit`, other)).body.map((e: { action: string }) => e.action)).toEqual(['save', 'submit'])
  })

  it('answers 503 with a clear message, not 500, when Temporal cannot be reached', async () => {
    const lost = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: t.config.temporalNamespace })
    const app = createApp({ db: t.system.db, client: lost, config: { taskQueue: t.config.taskQueue, actionDeadlineMs: 3000 } })
    const other = await t.login('cv.hoangnam')
    const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, other)).body[0]
    const res = await app.request(`/api/evaluations/${own.id}/self-assessment`, { method: 'PUT', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' }, body: JSON.stringify({ data: doc(9, 9) }) })
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(res.status).toBe(503)
    expect(['TEMPORAL_UNAVAILABLE', 'WORKFLOW_TIMEOUT']).toContain(body.error.code)
    expect(body.error.message).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/)
    const health = await createApp({ db: t.system.db, client: lost, config: { taskQueue: t.config.taskQueue, actionDeadlineMs: 3000 } }).request('/api/health')
    expect(((await health.json()) as { temporal: string }).temporal).toBe('unavailable')
    expect((await t.api('GET', `/api/evaluations/${own.id}`, other)).body.version).toBe(0)
  })

  it('tells operators where an action\'s time went with Server-Timing (SERVER_TIMING=1), and tells ordinary clients nothing', async () => {
    const timed = createApp({ db: t.system.db, client: t.system.client, config: { taskQueue: t.config.taskQueue, actionDeadlineMs: 30_000, serverTiming: true } })
    const person = await t.login('cvc.luongtuan')
    const own = (await t.api('GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, person)).body[0]
    const saved = await t.system.app.request(`/api/evaluations/${own.id}/self-assessment`, { method: 'PUT', headers: { authorization: `Bearer ${person}`, 'content-type': 'application/json' }, body: JSON.stringify({ data: doc(8, 9) }) })
    expect(saved.status).toBe(200)
    expect(saved.headers.get('server-timing')).toBeNull()
    const res = await timed.request(`/api/evaluations/${own.id}/submit`, { method: 'POST', headers: { authorization: `Bearer ${person}`, 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(200)
    const steps = Object.fromEntries(serverTiming(res.headers.get('server-timing')))
    expect(Object.keys(steps)).toEqual(expect.arrayContaining(['session', 'read', 'update', 'write', 'total']))
    // The steps happen one after another inside the answer's own time.
    expect(steps['session']! + steps['read']! + steps['update']! + steps['write']!).toBeLessThanOrEqual(steps['total']! + 0.5)
    expect(steps['update']).toBeGreaterThan(0)
  })

  it('answers a cancel that takes long with 202 once the cycle shows CANCELLING, and the cycle ends CANCELLED by itself', async () => {
    const admin = await t.login('admin')
    const tcbm = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'TCBM').id
    const slow = (await t.api('POST', '/api/cycles', admin, { name: 'Hủy chậm', periodKind: 'month', periodStart: '2026-08-01', periodEnd: '2026-08-31', ruleSetId: 1, unitIds: [tcbm] })).body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${slow}`, admin)).body.status === 'OPEN', 30_000, 'open')
    // Each evaluation's cancellation takes 4 s to be written, as 50,000 of them would take minutes.
    await sql`create function test_slow_cancel() returns trigger language plpgsql as $$ begin perform pg_sleep(4); return new; end $$`.execute(t.system.db)
    await sql`create trigger test_slow_cancel before update on evaluations for each row when (new.stage = 'CANCELLED') execute function test_slow_cancel()`.execute(t.system.db)
    try {
      const answer = await t.api('POST', `/api/cycles/${slow}/cancel`, admin, { reason: 'Mở nhầm kỳ' })
      expect(answer.status).toBe(202)
      expect(answer.body.status).toBe('CANCELLING')
      // Nothing else is taken meanwhile, and a second cancel is refused.
      expect((await t.api('POST', `/api/cycles/${slow}/cancel`, admin, { reason: 'Lần hai' })).status).toBe(409)
      await eventually(async () => (await t.api('GET', `/api/cycles/${slow}`, admin)).body.status === 'CANCELLED', 60_000, 'cancelled')
    } finally {
      await sql`drop trigger test_slow_cancel on evaluations`.execute(t.system.db)
      await sql`drop function test_slow_cancel()`.execute(t.system.db)
    }
    const stages = (await t.api('GET', `/api/evaluations?cycleId=${slow}`, admin)).body.map((e: { stage: string }) => e.stage)
    expect(stages.length).toBeGreaterThan(0)
    expect(new Set(stages)).toEqual(new Set(['CANCELLED']))
  })
})
