import { readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../server/auth/session.js'
import { adminDatabaseUrl } from '../support/database.js'
import { inconsistencies } from '../support/consistency.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'
import { alive, http, kill9, startApi, startWorker, type ProductProcess } from '../support/topology.js'
import { doc } from '../support/documents.js'
import { evaluationWorkflowId } from '../../workflows/definitions.js'

/** Units raced over: each a head and one staff member, signed off by the director. */
const UNITS = 24
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The production topology — two API processes and two workers, each a separate OS process, on
 * PostgreSQL and a Temporal server — raced, read across instances, killed and cut off from the
 * database. After each, every evaluation touched agrees: workflow = read model = ledger = audit.
 */
describe('production topology: two API processes, two workers, races and faults', () => {
  let t: TestSystem
  let api1: ProductProcess & { url: string }
  let api2: ProductProcess & { url: string }
  let workers: ProductProcess[] = []
  let admin: string
  let director: string
  const units: { id: number; code: string; head: string; staff: string }[] = []
  const tokens = new Map<string, string>()
  /** A session for anyone (imported staff have no password): as the login would create it. */
  const token = async (u: string) => {
    if (!tokens.has(u)) {
      const { id } = await t.system.db.selectFrom('staff').select('id').where('username', '=', u).executeTakeFirstOrThrow()
      tokens.set(u, (await createSession(t.system.db, id)).token)
    }
    return tokens.get(u)!
  }

  /** An action with an Idempotency-Key, repeated on 503 until it is answered: the way a careful client retries. */
  async function act(base: string, method: string, path: string, who: string, body?: unknown): Promise<{ status: number; body: any; seen: number[] }> {
    const key = `k-${Math.random().toString(36).slice(2)}`
    const seen: number[] = []
    for (let attempt = 0; attempt < 60; attempt++) {
      const res = await http(base, method, path, await token(who), body, { 'idempotency-key': key }).catch(() => ({ status: 599, body: null }))
      seen.push(res.status)
      if (res.status !== 503 && res.status !== 599) return { ...res, seen }
      await sleep(500)
    }
    throw new Error(`${method} ${path}: no answer after 60 attempts (${seen.join(',')})`)
  }

  async function launch(name: string, periodStart: string, unitIds: number[]): Promise<number> {
    const res = await http(api1.url, 'POST', '/api/cycles', admin, { name, periodKind: 'month', periodStart, periodEnd: periodStart.replace(/-01$/, '-28'), ruleSetId: 1, unitIds })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await eventually(async () => (await http(api2.url, 'GET', `/api/cycles/${res.body.id}`, admin)).body.status === 'OPEN', 60_000, 'cycle open')
    return res.body.id
  }
  const evaluationOf = async (cycleId: number, username: string) => {
    const list = (await http(api2.url, 'GET', `/api/evaluations?cycleId=${cycleId}`, await token(username))).body as { id: number; staffId: number }[]
    const me = (await http(api2.url, 'GET', '/api/me', await token(username))).body
    return list.find((e) => e.staffId === me.id)!.id
  }
  /** Brings a unit's two evaluations to AWAITING_SIGN_OFF through alternating instances. */
  async function toSignOff(cycleId: number, u: (typeof units)[number]) {
    for (const who of [u.staff, u.head]) {
      const id = await evaluationOf(cycleId, who)
      expect((await act(api1.url, 'PUT', `/api/evaluations/${id}/self-assessment`, who, { data: doc(9, 9) })).status).toBe(200)
      expect((await act(api2.url, 'POST', `/api/evaluations/${id}/submit`, who)).status).toBe(200)
    }
    expect((await act(api1.url, 'POST', `/api/evaluations/${await evaluationOf(cycleId, u.staff)}/approve`, u.head, {})).status).toBe(200)
    expect((await act(api2.url, 'POST', `/api/evaluations/${await evaluationOf(cycleId, u.head)}/approve`, 'gd.tranminh', { adjustments: { leader: { unitPlanScore: 90 } } })).status).toBe(200)
  }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'topology', worker: false })
    admin = await token('admin')
    director = await token('gd.tranminh')
    const rows = ['username,fullName,unitCode,positionCode,roles,email']
    for (let i = 1; i <= UNITS; i++) {
      expect((await t.api('POST', '/api/units', admin, { code: `RA${i}`, name: `Phòng Thử ${i}`, parentCode: 'SNV' })).status).toBe(201)
      rows.push(`tp.ra${i},Trưởng phòng Thử ${i},RA${i},TP,unit_head;staff,`, `cv.ra${i},Chuyên viên Thử ${i},RA${i},CV,staff,`)
    }
    expect((await t.api('POST', '/api/staff/import', admin, rows.join('\n'))).status).toBe(201)
    const all = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    for (let i = 1; i <= UNITS; i++) units.push({ id: all.find((u) => u.code === `RA${i}`)!.id, code: `RA${i}`, head: `tp.ra${i}`, staff: `cv.ra${i}` })
    workers = await Promise.all([startWorker(t, 'worker-1'), startWorker(t, 'worker-2')])
    ;[api1, api2] = await Promise.all([startApi(t, 'api-1'), startApi(t, 'api-2')])
  })
  afterAll(async () => {
    for (const p of [api1, api2, ...workers]) if (p) await kill9(p)
    await t?.stop()
  })

  it('reads through the other instance what one instance just answered: 0 stale of 100', async () => {
    const cycleId = await launch('Đọc chéo', '2031-01-01', [units[0]!.id])
    const id = await evaluationOf(cycleId, units[0]!.staff)
    let stale = 0
    for (let i = 0; i < 100; i++) {
      const [writer, reader] = i % 2 ? [api1, api2] : [api2, api1]
      const saved = await http(writer.url, 'PUT', `/api/evaluations/${id}/self-assessment`, await token(units[0]!.staff), { data: doc(5 + (i % 5), i % 11) })
      expect(saved.status).toBe(200)
      const read = (await http(reader.url, 'GET', `/api/evaluations/${id}`, await token(units[0]!.staff))).body
      if (read.version !== saved.body.version || read.data.products[0].done !== i % 11) stale++
    }
    expect(stale).toBe(0)
    expect(await inconsistencies(t, cycleId)).toEqual([])
  })

  it("a unit created through one instance is at once in its head's view through the other (each keeps the organisation, checked against the database)", async () => {
    const headName = units[1]!.staff
    const before = await launch('Tổ chức trước', '2033-07-01', [units[0]!.id])
    // Through api2: its organisation now read and kept; this person heads nothing yet.
    expect((await http(api2.url, 'GET', `/api/cycles/${before}`, await token(headName))).body.progress.byUnit).toEqual([])
    // Through api1: a new unit with this person as its head, one member, a cycle over it.
    const created = await http(api1.url, 'POST', '/api/units', admin, { code: 'RB1', name: 'Tổ Mới', parentCode: 'SNV', headUsername: headName })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const member = await http(api1.url, 'POST', '/api/staff', admin, { username: 'cv.rb1', fullName: 'Chuyên viên Tổ Mới', unitCode: 'RB1', positionCode: 'CV', roles: ['staff'] })
    expect(member.status, JSON.stringify(member.body)).toBe(201)
    const after = await launch('Tổ chức sau', '2033-08-01', [created.body.id])
    // Through api2 again: the new unit is the head's, at the first read.
    const seen = (await http(api2.url, 'GET', `/api/cycles/${after}`, await token(headName))).body.progress.byUnit as { unitId: number; total: number }[]
    expect(seen.map((u) => [u.unitId, u.total])).toEqual([[created.body.id, 1]])
    // And the other cycle still shows them nothing of units they do not head.
    expect((await http(api2.url, 'GET', `/api/cycles/${before}`, await token(headName))).body.progress.byUnit).toEqual([])
  })

  it('runs each worker as `npm run worker` does: on jemalloc, keeping no stack trace per workflow promise', async () => {
    const cycleId = await launch('Bộ cấp phát', '2033-05-01', [units[0]!.id])
    for (const w of workers) expect(readFileSync(`/proc/${w.child.pid}/maps`, 'utf8'), `${w.name} runs on jemalloc`).toContain('libjemalloc')
    const staffId = (await http(api1.url, 'GET', '/api/me', await token(units[0]!.staff))).body.id as number
    const stackTrace = t.system.client.workflow.getHandle(evaluationWorkflowId(cycleId, staffId)).query<string>('__stack_trace')
    await expect(stackTrace).rejects.toThrow(/stack traces are not enabled/)
  })

  it('a leader returns one evaluation while another signs off its unit: exactly one wins, 24 trials', async () => {
    const cycleId = await launch('Ký duyệt đua', '2031-02-01', units.map((u) => u.id))
    for (const u of units) await toSignOff(cycleId, u)
    const outcomes: string[] = []
    for (const [i, u] of units.entries()) {
      const staffEval = await evaluationOf(cycleId, u.staff)
      const returnIt = () => http(api1.url, 'POST', `/api/evaluations/${staffEval}/return`, admin, { reason: 'Lãnh đạo trả lại để bổ sung' })
      const signIt = () => http(api2.url, 'POST', `/api/cycles/${cycleId}/units/${u.id}/sign-off`, director)
      // Half at the same moment, half staggered by a few milliseconds either way.
      const stagger = i % 2 === 0 ? 0 : (i % 4 === 1 ? 1 : -1) * (2 + (i % 7) * 3)
      const [ret, sign] = await Promise.all([
        (async () => (stagger > 0 && (await sleep(stagger)), returnIt()))(),
        (async () => (stagger < 0 && (await sleep(-stagger)), signIt()))(),
      ])
      outcomes.push(`${ret.status}/${sign.status}`)
      expect([ret.status, sign.status].sort(), `trial ${i}: ${JSON.stringify([ret.body, sign.body])}`).toEqual([200, 409])
      const stage = (await http(api2.url, 'GET', `/api/evaluations/${staffEval}`, admin)).body.stage
      expect(stage).toBe(ret.status === 200 ? 'UNIT_REVIEW' : 'SIGNED_OFF')
      // The loser's next move works: after a won return the head can approve again.
      if (ret.status === 200) expect((await act(api1.url, 'POST', `/api/evaluations/${staffEval}/approve`, u.head, {})).status).toBe(200)
    }
    expect(await inconsistencies(t, cycleId)).toEqual([])
    // A late leadership return is out of turn (409), not a permission matter (403).
    const signed = units.findIndex((_, i) => outcomes[i] === '409/200')
    if (signed >= 0) {
      const late = await http(api1.url, 'POST', `/api/evaluations/${await evaluationOf(cycleId, units[signed]!.staff)}/return`, admin, { reason: 'Trả lại muộn' })
      expect(late.status).toBe(409)
    }
  })

  it('an approval at the moment the admin cancels the cycle is never lost: 20 trials', async () => {
    for (let i = 0; i < 20; i++) {
      const u = units[i]!
      const cycleId = await launch(`Hủy đua ${i}`, `20${40 + i}-03-01`, [u.id])
      const id = await evaluationOf(cycleId, u.staff)
      expect((await act(api1.url, 'PUT', `/api/evaluations/${id}/self-assessment`, u.staff, { data: doc(8, 8) })).status).toBe(200)
      expect((await act(api2.url, 'POST', `/api/evaluations/${id}/submit`, u.staff)).status).toBe(200)
      const stagger = i % 3 === 0 ? 0 : (i % 3 === 1 ? 1 : -1) * (1 + i)
      const [approve, cancel] = await Promise.all([
        (async () => (stagger > 0 && (await sleep(stagger)), http(api1.url, 'POST', `/api/evaluations/${id}/approve`, await token(u.head), {})))(),
        (async () => (stagger < 0 && (await sleep(-stagger)), http(api2.url, 'POST', `/api/cycles/${cycleId}/cancel`, admin, { reason: 'Hủy để khai báo lại' })))(),
      ])
      // A cancel answers 200 once done, or 202 once the cycle shows it under way (a slow moment): then it ends by itself.
      expect([200, 202], JSON.stringify(cancel.body)).toContain(cancel.status)
      if (cancel.status === 202) await eventually(async () => (await http(api1.url, 'GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CANCELLED', 60_000, 'cancelled')
      expect([200, 409], JSON.stringify(approve.body)).toContain(approve.status)
      const audit = (await http(api2.url, 'GET', `/api/evaluations/${id}/audit`, admin)).body.map((e: { action: string }) => e.action)
      expect(audit).toEqual(approve.status === 200 ? ['save', 'submit', 'approve', 'cancel'] : ['save', 'submit', 'cancel'])
      expect((await http(api1.url, 'GET', `/api/evaluations/${id}`, admin)).body.stage).toBe('CANCELLED')
      expect(await inconsistencies(t, cycleId)).toEqual([])
    }
  })

  it('an API killed (-9) right after answering loses nothing: the other instance shows the action', async () => {
    const cycleId = await launch('Tắt API', '2032-01-01', units.slice(0, 3).map((u) => u.id))
    for (const u of units.slice(0, 3)) {
      const id = await evaluationOf(cycleId, u.staff)
      expect((await http(api2.url, 'PUT', `/api/evaluations/${id}/self-assessment`, await token(u.staff), { data: doc(9, 10) })).status).toBe(200)
      const answered = await http(api1.url, 'POST', `/api/evaluations/${id}/submit`, await token(u.staff))
      expect(answered.status).toBe(200)
      await kill9(api1)
      const seen = (await http(api2.url, 'GET', `/api/evaluations/${id}`, await token(u.staff))).body
      expect(seen).toMatchObject({ stage: 'UNIT_REVIEW', version: answered.body.version })
      api1 = await startApi(t, 'api-1')
    }
    expect(await inconsistencies(t, cycleId)).toEqual([])
  })

  it('survives the database cutting every session for 10 s mid-burst, and a worker killed mid-launch and mid-stage', async () => {
    const dbName = new URL(t.config.databaseUrl!).pathname.slice(1)
    const res = await http(api1.url, 'POST', '/api/cycles', admin, { name: 'Sự cố CSDL', periodKind: 'month', periodStart: '2033-01-01', periodEnd: '2033-01-31', ruleSetId: 1, unitIds: units.map((u) => u.id) })
    expect(res.status).toBe(201)
    const cycleId = res.body.id
    // A worker dies while the launch runs; the other (and its replacement) finish it.
    await kill9(workers[0]!)
    workers[0] = await startWorker(t, 'worker-1')
    await eventually(async () => (await http(api2.url, 'GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 90_000, 'cycle open after a worker kill')

    const people = units.flatMap((u) => [u.staff, u.head])
    const statuses: number[] = []
    let cutStarted!: () => void
    const cut = new Promise<void>((resolve) => (cutStarted = resolve))
    const outage = (async () => {
      await sleep(1500)
      const superuser = new pg.Client({ connectionString: adminDatabaseUrl() })
      await superuser.connect()
      await superuser.query(`alter database ${dbName} with allow_connections false`)
      const cutUntil = Date.now() + 10_000
      while (Date.now() < cutUntil) {
        await superuser.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName])
        cutStarted()
        await sleep(250)
      }
      await superuser.query(`alter database ${dbName} with allow_connections true`)
      await superuser.end()
    })()
    const killMidStage = (async () => {
      await sleep(800)
      await kill9(workers[1]!)
      workers[1] = await startWorker(t, 'worker-2')
    })()
    const deaths = () => [api1, api2, ...workers].filter((p) => !alive(p)).map((p) => `${p.name} died:\n${p.output().slice(-3000)}`)
    await Promise.all([
      outage,
      killMidStage,
      ...people.map(async (who, i) => {
        const base = i % 2 ? api1.url : api2.url
        const id = await eventually(async () => (await evaluationOf(cycleId, who).catch(() => undefined)) ?? false, 60_000, 'evaluation readable')
        // Half the people act once the database is cut, whatever the speed of the first half.
        if (i % 4 >= 2) await cut
        const saved = await act(base, 'PUT', `/api/evaluations/${id}/self-assessment`, who, { data: doc(9, 9) }).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${deaths().join('\n')}`)))
        const submitted = await act(base, 'POST', `/api/evaluations/${id}/submit`, who).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${deaths().join('\n')}`)))
        statuses.push(...saved.seen, ...submitted.seen)
        expect([saved.status, submitted.status]).toEqual([200, 200])
      }),
    ])
    // Meanwhile: 200 or 503 (database or workflow unavailable, retried with the same key), never a 500.
    expect(statuses.filter((s) => s !== 200 && s !== 503 && s !== 599)).toEqual([])
    expect(statuses, 'the outage was felt: some requests were answered 503').toContain(503)
    for (const p of [api1, api2, ...workers]) expect(alive(p), `${p.name} died:\n${p.output().slice(-2000)}`).toBe(true)
    const stages = (await http(api1.url, 'GET', `/api/evaluations?cycleId=${cycleId}`, admin)).body.map((e: { stage: string }) => e.stage)
    expect(new Set(stages)).toEqual(new Set(['UNIT_REVIEW']))
    expect(await inconsistencies(t, cycleId)).toEqual([])
    const health = await eventually(async () => {
      const h = await http(api2.url, 'GET', '/api/health')
      return h.body.status === 'ok' ? h.body : undefined
    }, 30_000, 'health ok again')
    expect(health).toMatchObject({ database: 'ok', temporal: 'ok', projectionAlerts: 0 })
  })
})
