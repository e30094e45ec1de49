import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Client } from '@temporalio/client'
import { NativeConnection, Worker } from '@temporalio/worker'
import { sql } from 'kysely'
import { hashPassword } from '../server/auth/password.js'
import { addProductVersions } from '../server/worklog/catalogue.repo.js'
import { createSession } from '../server/auth/session.js'
import { loadConfig } from '../server/config.js'
import { bootstrap } from '../server/seed/bootstrap.js'
import { startSystem } from '../server/system.js'
import { findTemporalCli, freePort, startDevServer } from '../server/temporal/temporal-cli.js'
import { doneSignal, pingUpdate } from './bare.workflows.js'
import type { LatencyPlan } from './latency.client.js'
import { fmt, percentile, pool, timed, environment } from './stats.js'

/** Same number of starts in flight as the launch activity keeps (START_CONCURRENCY). */
const LAUNCH_CONCURRENCY = 64
const LATENCY_SAMPLES = 200
const SETTLE_MS = 30

/**
 * `npm run bench -- cycle --staff N`, on the embedded defaults (Temporal dev server + PGlite):
 * launch rate vs bare workflow starts, submit/approve latency over HTTP vs a bare Update,
 * and the wall time from launch to classified results.
 */
export async function cycleBench(staffCount: number, json = false): Promise<void> {
  // With --json the human-readable lines go to stderr and stdout carries one JSON line.
  const print = json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-bench-'))
  const dev = await startDevServer({ cliPath: findTemporalCli(process.env['TEMPORAL_CLI_PATH']), logLevel: 'never' })
  // SERVER_TIMING: each action's answer says how long its session check, read, Update and write took.
  const config = { ...loadConfig({ PAYLOAD_KEY: randomBytes(32).toString('base64'), SERVER_TIMING: '1' }), dataDir, temporalAddress: dev.address, taskQueue: 'bench-kpi' }
  const system = await startSystem(config, { worker: true })
  await bootstrap(system.db, { adminPassword: 'bench-admin-1', seedDemo: false })
  // The baselines run without the product's payload codec: bare Temporal, as the latency client calls it.
  const bareClient = new Client({ connection: system.connection })
  const bareWorker = await Worker.create({
    connection: await NativeConnection.connect({ address: dev.address }),
    taskQueue: 'bench-bare',
    workflowsPath: fileURLToPath(new URL('./bare.workflows.ts', import.meta.url)),
  })
  const port = await freePort()
  const http = serve({ fetch: system.app.fetch, port, hostname: '127.0.0.1' })
  const base = `http://127.0.0.1:${port}`
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  print(`\n# cycle benchmark — ${staffCount} staff, embedded defaults (Temporal dev server + PGlite), ${cpus().length} cores, Node ${process.version}\n`)
  const { unitId, headId, leaderId } = await seedOrg(system.db, staffCount)
  const admin = (await createSession(system.db, 1)).token
  const ruleSetId = (await system.db.selectFrom('rulesets').select('id').executeTakeFirstOrThrow()).id

  // 1. Launch: bare starts of an empty workflow (run by its worker) on the same server, vs our cycle launch.
  const bareRun = bareWorker.run()
  const [, bareStartMs] = await timed(() =>
    pool(Array.from({ length: staffCount }, (_, i) => i), LAUNCH_CONCURRENCY, async (i) => {
      await bareClient.workflow.start('emptyWorkflow', { taskQueue: 'bench-bare', workflowId: `bare-start-${i}` })
    }),
  )
  await new Promise((r) => setTimeout(r, 2000)) // let the empty workflows finish before our turn
  const launchedAt = performance.now()
  let acceptedMs = 0
  const [cycle, launchMs] = await timed(async () => {
    const c = await call('POST', '/api/cycles', admin, { name: 'Bench', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId, unitIds: [unitId] })
    acceptedMs = performance.now() - launchedAt
    // Poll the status column directly: a GET with its per-unit progress every 20 ms would load the same process.
    while ((await system.db.selectFrom('cycles').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status !== 'OPEN') await new Promise((r) => setTimeout(r, 20))
    return c
  })
  const bareRate = staffCount / (bareStartMs / 1000)
  const launchRate = staffCount / (launchMs / 1000)

  // 2. A bare Update round trip on a running, idle workflow, sampled alternately with our actions by a client process.
  const bare = await bareClient.workflow.start('bareWorkflow', { taskQueue: 'bench-bare', workflowId: 'bare-update' })
  await bare.executeUpdate(pingUpdate, { args: [0] })
  await new Promise((r) => setTimeout(r, 2000)) // our evaluation workflows' first tasks settle too
  const sample = (requests: LatencyPlan['requests']) =>
    latencyClient({ base, temporalAddress: dev.address, bareWorkflowId: 'bare-update', settleMs: SETTLE_MS, requests })

  // 3. Submit and approve over HTTP, one at a time (latency, each beside a bare Update), then the rest concurrently (throughput).
  const evaluations: { id: number; staffId: number }[] = []
  for (let after = 0; ; ) {
    const pageOf: { id: number; staffId: number }[] = await call('GET', `/api/evaluations?cycleId=${cycle.id}&limit=500&after=${after}`, admin)
    if (!pageOf.length) break
    evaluations.push(...pageOf)
    after = pageOf.at(-1)!.id
  }
  const tokens = new Map<number, string>()
  for (const e of evaluations) tokens.set(e.staffId, (await createSession(system.db, e.staffId)).token)
  const head = evaluations.find((e) => e.staffId === headId)!
  const staff = evaluations.filter((e) => e !== head)
  const document = (e: { staffId: number }) => ({
    // Mẫu 01: 8 points in each group (I: 4 + 4, II and III: 4 × 2), and the person's review.
    general: { ethics: { politics: 4, discipline: 4 }, competence: { expertise: 2, taskResponse: 2, responsibility: 2, serviceAttitude: 2 }, innovation: { renewal: 2, creativity: 2, daringThought: 2, daringAction: 2 } },
    assessment: { strengths: 'Hoàn thành nhiệm vụ được giao', weaknesses: 'Cần chủ động hơn', proposedLevel: 'HTT' },
    products: [{ code: 'B01', k: 1, assigned: 10, done: 7 + (e.staffId % 4), qualityFailures: 0, delays: 0, reason: 'Theo kế hoạch công tác' }] })
  for (const e of evaluations) await call('PUT', `/api/evaluations/${e.id}/self-assessment`, tokens.get(e.staffId)!, { data: document(e) })
  const submits = await sample(evaluations.slice(0, LATENCY_SAMPLES).map((e) => ({ method: 'POST', path: `/api/evaluations/${e.id}/submit`, token: tokens.get(e.staffId)!, opens: `/api/evaluations/${e.id}` })))
  await pool(evaluations.slice(LATENCY_SAMPLES), 16, async (e) => void (await call('POST', `/api/evaluations/${e.id}/submit`, tokens.get(e.staffId)!)))
  const headToken = tokens.get(headId)!
  const approvals = await sample(staff.slice(0, LATENCY_SAMPLES).map((e) => ({ method: 'POST', path: `/api/evaluations/${e.id}/approve`, token: headToken, body: {}, opens: `/api/evaluations/${e.id}` })))
  await pool(staff.slice(LATENCY_SAMPLES), 16, async (e) => void (await call('POST', `/api/evaluations/${e.id}/approve`, headToken, {})))
  // The second baseline: one bare single-statement write to the same database, from a quiet system.
  const bareWrites: number[] = []
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    bareWrites.push((await timed(() => sql`update cycles set name = name where id = ${cycle.id}`.execute(system.db)))[1])
  }
  const leader = (await createSession(system.db, leaderId)).token
  await call('POST', `/api/evaluations/${head.id}/approve`, leader, { adjustments: { leader: { unitPlanScore: 90 } } })
  await call('POST', `/api/cycles/${cycle.id}/units/${unitId}/sign-off`, leader)
  const [, rankMs] = await timed(async () => {
    while ((await call('GET', `/api/cycles/${cycle.id}`, admin)).status !== 'CLASSIFIED') await new Promise((r) => setTimeout(r, 50))
  })
  const wallMs = performance.now() - launchedAt

  const row = (label: string, value: string, baseline: string, ratio: number, target?: string) =>
    print(`${label.padEnd(34)} ${value.padStart(14)}   ${baseline.padStart(14)}   ${fmt(ratio, 2).padStart(6)}×${target ? `   (target ${target})` : ''}`)
  print(`${'measure'.padEnd(34)} ${'ours'.padStart(14)}   ${'baseline'.padStart(14)}   ratio`)
  row('launch rate (workflows/s)', fmt(launchRate), fmt(bareRate), launchRate / bareRate, '≥ 0,8×')
  print(`  (POST /api/cycles answered after ${fmt(acceptedMs / 1000, 2)} s: ${staffCount} evaluation rows written; all workflows started after ${fmt(launchMs / 1000, 2)} s)`)
  // The action path now writes the read model before it answers: its baseline is a bare Update plus a bare write.
  const writeP50 = percentile(bareWrites, 50)
  const baseline = (samples: number[], p: number) => percentile(samples, p) + percentile(bareWrites, p)
  const latencyRows = (label: string, ours: number[], bare: number[]) => {
    row(`${label} p50 (ms)`, fmt(percentile(ours, 50)), fmt(baseline(bare, 50)), percentile(ours, 50) / baseline(bare, 50), '≤ 1,25×')
    row(`${label} p95 (ms)`, fmt(percentile(ours, 95)), fmt(baseline(bare, 95)), percentile(ours, 95) / baseline(bare, 95))
  }
  latencyRows('submit', submits.ours, submits.bare)
  latencyRows('approve', approvals.ours, approvals.bare)
  print(`  (baseline = bare Update p${'{50,95}'} ${fmt(percentile(submits.bare, 50))} / ${fmt(percentile(submits.bare, 95))} ms + bare single-statement write ${fmt(writeP50)} / ${fmt(percentile(bareWrites, 95))} ms)`)
  const bareUpdateP50 = percentile([...submits.bare, ...approvals.bare], 50)
  // Where an action's time goes (the server's Server-Timing, p50 of submits and approvals), beside its bare counterpart.
  const step = (name: string) => percentile([...(submits.steps[name] ?? []), ...(approvals.steps[name] ?? [])], 50)
  const actionP50 = percentile([...submits.ours, ...approvals.ours], 50)
  const steps = { stepSessionMs: step('session'), stepReadMs: step('read'), stepUpdateMs: step('update'), stepWriteMs: step('write'), stepServerMs: step('total'), stepHttpMs: actionP50 - step('total') }
  const rest = steps.stepServerMs - steps.stepSessionMs - steps.stepReadMs - steps.stepUpdateMs - steps.stepWriteMs
  print(`  where an action's p50 goes: HTTP and client ${fmt(steps.stepHttpMs)} ms, session ${fmt(steps.stepSessionMs)}, evaluation read ${fmt(steps.stepReadMs)}, Update ${fmt(steps.stepUpdateMs)} (bare ${fmt(bareUpdateP50)}), read-model write ${fmt(steps.stepWriteMs)} (bare ${fmt(writeP50)}), the rest of the server ${fmt(rest)}`)
  const submitP50 = percentile(submits.ours, 50)
  const approveP50 = percentile(approvals.ours, 50)
  const figures = {
    suite: 'cycle',
    staff: staffCount,
    launchRatio: launchRate / bareRate,
    launchRate,
    bareStartRate: bareRate,
    submitP50Ms: submitP50,
    approveP50Ms: approveP50,
    bareUpdateP50Ms: bareUpdateP50,
    bareWriteP50Ms: writeP50,
    actionP50Ratio: Math.max(submitP50, approveP50) / (bareUpdateP50 + writeP50),
    ...steps,
    updateRatio: steps.stepUpdateMs / bareUpdateP50,
    writeRatio: steps.stepWriteMs / writeP50,
    signOffToClassifiedSeconds: 0,
    ...environment('pglite'),
    temporal: 'dev server',
  }
  print(`\nwall time launch → classified: ${fmt(wallMs / 1000, 2)} s (incl. ${LATENCY_SAMPLES} sequential submits and approvals, the rest 16 at a time; sign-off → classified ${fmt(rankMs / 1000, 2)} s)`)
  figures.signOffToClassifiedSeconds = rankMs / 1000
  if (json) console.log(JSON.stringify(figures))

  await bare.signal(doneSignal)
  bareWorker.shutdown()
  await bareRun
  await new Promise<void>((r) => http.close(() => r()))
  await system.stop()
  await dev.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

/** Runs the latency client in its own process (as users' browsers are) and returns its samples. */
async function latencyClient(plan: LatencyPlan): Promise<{ ours: number[]; bare: number[]; steps: Record<string, number[]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./latency.client.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stdin.end(JSON.stringify(plan))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  if (code !== 0) throw new Error(`latency client exited with ${code}`)
  return JSON.parse(out)
}

/** One unit under a directorate: a head, staff, and a leader — inserted directly (one shared password hash). */
async function seedOrg(db: Awaited<ReturnType<typeof startSystem>>['db'], staffCount: number) {
  const hash = await hashPassword('bench-pass-1')
  const root = await db.insertInto('units').values({ code: 'SO', name: 'Sở (bench)', parent_id: null, head_id: null }).returning('id').executeTakeFirstOrThrow()
  const unit = await db.insertInto('units').values({ code: 'P1', name: 'Phòng (bench)', parent_id: root.id, head_id: null }).returning('id').executeTakeFirstOrThrow()
  const leader = await db.insertInto('staff').values({ username: 'gd.bench', full_name: 'Giám đốc', unit_id: root.id, position_code: null, roles: '["leader"]', scope_unit_ids: '[]', password_hash: hash, email: null }).returning('id').executeTakeFirstOrThrow()
  await db.updateTable('units').set({ head_id: leader.id }).where('id', '=', root.id).execute()
  const rows = Array.from({ length: staffCount }, (_, i) => ({
    username: i === 0 ? 'tp.bench' : `cv.bench${i}`,
    full_name: i === 0 ? 'Trưởng phòng' : `Chuyên viên ${i}`,
    unit_id: unit.id,
    position_code: null,
    roles: i === 0 ? '["unit_head","staff"]' : '["staff"]',
    scope_unit_ids: '[]',
    password_hash: hash,
    email: null,
  }))
  const ids: number[] = []
  for (let i = 0; i < rows.length; i += 500) ids.push(...(await db.insertInto('staff').values(rows.slice(i, i + 500)).returning('id').execute()).map((r) => r.id))
  await db.updateTable('units').set({ head_id: ids[0]! }).where('id', '=', unit.id).execute()
  // The one product everybody declares (the catalogue decides its coefficient; no position restriction).
  await addProductVersions(db, [{ code: 'B01', name: 'Soạn thảo công văn hành chính', unit: 'văn bản', k: 1, normHours: 2, group: 'B', positions: [], validFrom: '2026-01-01' }], leader.id)
  return { unitId: unit.id, headId: ids[0]!, leaderId: leader.id }
}
