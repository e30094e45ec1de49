import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../server/auth/session.js'
import { findTemporalCli, startDevServer, type DevServer } from '../../server/temporal/temporal-cli.js'
import { inconsistencies } from '../support/consistency.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { alive, http, kill9, startProcess, processEnv, type ProductProcess } from '../support/topology.js'
import { doc } from '../support/documents.js'


/**
 * A Temporal server of its own (persisted in a SQLite file), restarted in the middle of a cycle:
 * the API and worker processes stay up, answer 503 with a clear message meanwhile, and carry on.
 */
describe('the Temporal server restarts under a running cycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-restart-'))
  const cli = findTemporalCli(process.env['TEMPORAL_CLI_PATH'])
  let dev: DevServer
  let t: TestSystem
  let api: ProductProcess & { url: string }
  let worker: ProductProcess
  const startDev = (port?: number) => startDevServer({ cliPath: cli, dbFile: join(dir, 'temporal.sqlite'), namespaces: ['test-restart'], logLevel: 'never', ...(port ? { port } : {}) })

  beforeAll(async () => {
    dev = await startDev()
    t = await startTestSystem({ label: 'restart', worker: false, temporalAddress: dev.address })
    worker = await startProcess('worker', 'workflows/worker.main.ts', processEnv(t), 'Worker:')
    const port = 20000 + Math.floor(Math.random() * 20000)
    api = { ...(await startProcess('api', 'server/server.main.ts', processEnv(t, { PORT: String(port), ACTION_DEADLINE_SECONDS: '5' }), 'ready')), url: `http://127.0.0.1:${port}` }
  })
  afterAll(async () => {
    for (const p of [api, worker]) if (p) await kill9(p)
    await t?.stop()
    await dev?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 503 while Temporal is down and completes the same request (same Idempotency-Key) once it is back', async () => {
    const admin = await t.login('admin')
    const cchc = (await t.api('GET', '/api/units', admin)).body.find((u: { code: string }) => u.code === 'CCHC').id
    const launched = await http(api.url, 'POST', '/api/cycles', admin, { name: 'Khởi động lại Temporal', periodKind: 'month', periodStart: '2026-08-01', periodEnd: '2026-08-31', ruleSetId: 1, unitIds: [cchc] })
    expect(launched.status).toBe(201)
    const cycleId = launched.body.id
    await eventually(async () => (await http(api.url, 'GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const staffRow = await t.system.db.selectFrom('staff').select('id').where('username', '=', 'cv.maiphuong').executeTakeFirstOrThrow()
    const staff = (await createSession(t.system.db, staffRow.id)).token
    const id = (await http(api.url, 'GET', `/api/evaluations?cycleId=${cycleId}&assignedToMe=true`, staff)).body[0].id
    expect((await http(api.url, 'PUT', `/api/evaluations/${id}/self-assessment`, staff, { data: doc(9, 9) })).status).toBe(200)

    const port = Number(dev.address.split(':')[1])
    await dev.stop()
    const key = { 'idempotency-key': 'submit-through-restart' }
    const during = await http(api.url, 'POST', `/api/evaluations/${id}/submit`, staff, {}, key)
    expect(during.status).toBe(503)
    expect(['TEMPORAL_UNAVAILABLE', 'WORKFLOW_TIMEOUT']).toContain(during.body.error.code)
    expect((await http(api.url, 'GET', '/api/health')).body).toMatchObject({ status: 'degraded', temporal: 'unavailable', database: 'ok' })
    // Reads keep working: they come from PostgreSQL.
    expect((await http(api.url, 'GET', `/api/evaluations/${id}`, staff)).body.stage).toBe('SELF_ASSESSMENT')

    dev = await startDev(port)
    const after = await eventually(async () => {
      const res = await http(api.url, 'POST', `/api/evaluations/${id}/submit`, staff, {}, key)
      return res.status === 200 ? res : undefined
    }, 90_000, 'submit after the restart')
    expect(after.body).toMatchObject({ stage: 'UNIT_REVIEW' })
    expect(alive(api) && alive(worker)).toBe(true)
    const audit = (await http(api.url, 'GET', `/api/evaluations/${id}/audit`, staff)).body.map((e: { action: string }) => e.action)
    expect(audit).toEqual(['save', 'submit'])
    expect(await inconsistencies(t, cycleId)).toEqual([])
  })
})
