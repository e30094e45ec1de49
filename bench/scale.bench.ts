import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Client } from '@temporalio/client'
import ExcelJS from 'exceljs'
import proto from '@temporalio/proto'
import { NativeConnection, Worker } from '@temporalio/worker'
import { sql } from 'kysely'
import pg from 'pg'
import { hashPassword } from '../server/auth/password.js'
import { createSession } from '../server/auth/session.js'
import { rankCycle } from '../server/cycles/ranking.service.js'
import { migrate, openDatabase, type Db } from '../server/db/database.js'
import { createDraft, findRuleSet } from '../server/rulesets/ruleset.repo.js'
import { pinnedRuleSets } from '../server/cycles/cycle-members.repo.js'
import { scoreDocument, storedScores } from '../server/evaluations/scoring.js'
import { bootstrap } from '../server/seed/bootstrap.js'
import { findTemporalCli, freePort, startDevServer } from '../server/temporal/temporal-cli.js'
import { addProductVersions } from '../server/worklog/catalogue.repo.js'
import { startProcess, type ProductProcess } from '../test/support/topology.js'
import { emptyWorkflow } from './bare.workflows.js'
import { doc } from '../test/support/documents.js'
import { formulaChanged } from './rules.bench.js'
import { cpuWindow, environment, fmt, percentile, pool, postgresPids, serverTiming, timed, untilQuiet } from './stats.js'

const UNITS = 400
/** Self-assessments of the default rule set that differ from person to person (some reach HTXS). */
const syntheticDocument = (i: number) => doc(7 + (i % 5) * 0.5, 6 + (i % 5))
const START_CONCURRENCY = 64
const READ_CLIENTS = 50
/** Each reading user opens a page, reads it 0,5–1,5 s (1 s on average), opens the next; they start at random within the first second. */
const THINK_MS = 1000
/** 20 s of reads: ~1,000 samples a page, so that its p95 is not two or three stalls of a shared core (10 s: 49 ms once, 14–17 ms in the runs beside it). */
const READ_SECONDS = 20
/** The same clients with no pause (each asks again as soon as answered): the API's capacity, not a user's wait. */
const SATURATED_SECONDS = 5
/**
 * Bare starts measured for the baseline rate (the rate, not the count, is compared), twice: on the empty server before the
 * launch and on the server the launch left, at the end. One sample of it moved 211–272 a second between runs while the
 * launch held 188–205: the baseline is their mean.
 */
const BARE_STARTS = 10_000

/**
 * `npm run bench -- scale --staff 50000 [--json]`: a province in one cycle, in the production
 * topology — the API and the worker as separate processes (`server.main.ts`, `worker.main.ts`) on
 * PostgreSQL (DATABASE_URL, else a fresh database on 127.0.0.1:5432) and the Temporal dev server.
 * Seeds N staff in 400 units, launches, drives a sample of actions, then measures, each beside a
 * baseline taken in the same run: launch rate ÷ bare `workflow.start` (before the launch and after it); the review inbox, the unit
 * board and the results page for 50 concurrent users ÷ one evaluation by id (p95, once the launch's
 * backlog is worked off; and the same 50 clients with no pause, the API's capacity); ranking of N;
 * a rule change simulated over N and the results downloaded as XLSX, both through the API; the peak memory of both processes.
 */
export async function scaleBench(staffCount: number, json = false): Promise<void> {
  const print = json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  console.error('npm run build…')
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' })
  const database = await freshDatabase()
  const dev = await startDevServer({ cliPath: findTemporalCli(process.env['TEMPORAL_CLI_PATH']), logLevel: 'never' })
  const payloadKey = randomBytes(32).toString('base64')
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '' })
  const processes: ProductProcess[] = []
  try {
    print(`\n# scale benchmark — ${staffCount} staff in ${UNITS} units, PostgreSQL + Temporal dev server, API and worker as separate processes\n`)
    await migrate(db)
    await bootstrap(db, { adminPassword: 'bench-admin-1', seedDemo: false })
    const [org, seedMs] = await timed(() => seedProvince(db, staffCount))
    print(`seeded ${staffCount} staff in ${fmt(seedMs / 1000, 1)} s`)

    const env = { ...process.env, DATABASE_URL: database.url, TEMPORAL_ADDRESS: dev.address, TASK_QUEUE: 'bench-scale', WEB_APP: '0', PAYLOAD_KEY: payloadKey, SEED_DEMO: '0', SERVER_TIMING: '1' }
    const port = await freePort()
    // The built product, as production runs it (`npm run server`, `npm run worker`): no TypeScript
    // loader, the prebuilt workflow bundle (bundling at start alone took the worker past 1 GiB).
    const api = await startScript('server', 'api', { ...env, PORT: String(port) }, 'ready')
    const worker = await startScript('worker', 'worker', env, 'Worker:')
    processes.push(api, worker)
    const base = `http://127.0.0.1:${port}`
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const admin = (await createSession(db, 1)).token

    // 1. Launch rate beside bare starts of an empty workflow on the same server.
    const bareConnection = await NativeConnection.connect({ address: dev.address })
    const bareClient = new Client({ connection: bareConnection })
    const bareWorker = () => Worker.create({ connection: bareConnection, taskQueue: 'bench-bare', workflowsPath: fileURLToPath(new URL('./bare.workflows.ts', import.meta.url)) })
    /** Tasks waiting on a task queue, workflow and activity tasks together (the server's approximate count). */
    const backlog = async (name: string) => {
      let waiting = 0
      for (const taskQueueType of [proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]) {
        const r = await bareClient.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name }, taskQueueType, reportStats: true })
        waiting += Number(r.stats?.approximateBacklogCount ?? 0)
      }
      return waiting
    }
    /** Until the product's task queue is empty and the machine quiet (at most `maxMs`). */
    const settled = (maxMs = 600_000) => untilQuiet(0.1, maxMs, () => backlog('bench-scale'))
    // Where the cores went while it was measured (the dev server's share sets both paces).
    const cpuGroups = { api: () => [api.child.pid!], worker: () => [worker.child.pid!], temporal: () => [dev.process.pid!], postgresql: postgresPids, bench: () => [process.pid] }
    const bareCount = Math.min(staffCount, BARE_STARTS)
    /** Bare starts of the empty workflow with its worker running them meanwhile (as the product's worker runs the launch's). */
    const bareStarts = async (prefix: string) => {
      const w = await bareWorker()
      const running = w.run()
      const cores = cpuWindow(cpuGroups)
      const [, ms] = await timed(() => pool(Array.from({ length: bareCount }, (_, i) => i), START_CONCURRENCY, async (i) => void (await bareClient.workflow.start(emptyWorkflow, { taskQueue: 'bench-bare', workflowId: `${prefix}-${i}` }))))
      return { rate: bareCount / (ms / 1000), cores: cores(), stop: async () => { w.shutdown(); await running } }
    }
    const bareBefore = await bareStarts('bare')
    // The bare workflows run to their end before their worker stops (none left waiting on the server).
    await untilQuiet(0.1, 600_000, () => backlog('bench-bare'))
    await bareBefore.stop()
    const ruleSetId = (await db.selectFrom('rulesets').select('id').where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow()).id
    const launchCores = cpuWindow(cpuGroups)
    const [cycle, launchMs] = await timed(async () => {
      const c = await call('POST', '/api/cycles', admin, { name: 'Kỳ toàn tỉnh', periodKind: 'month', periodStart: '2026-11-01', periodEnd: '2026-11-30', ruleSetId, unitIds: [org.rootId] })
      while ((await db.selectFrom('cycles').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status !== 'OPEN') await new Promise((r) => setTimeout(r, 200))
      return c as { id: number }
    })
    const launchUsed = launchCores()
    const launchRate = staffCount / (launchMs / 1000)
    const cores = (used: Record<string, number>) => Object.entries(used).map(([p, n]) => `${p} ${fmt(n, 2)}`).join(', ')
    print(`launch: ${fmt(launchRate)} workflows/s (cores used — ${cores(launchUsed)}); ${fmt(bareBefore.rate)} bare starts/s before it (${cores(bareBefore.cores)})`)

    // 2. A sample of the process: 100 people of one unit save and submit, their head approves half.
    const unit = org.units[0]!
    const sample = (await db.selectFrom('evaluations').select(['id', 'staff_id']).where('cycle_id', '=', cycle.id).where('unit_id', '=', unit.id).where('staff_id', '<>', unit.headId).orderBy('id').limit(100).execute())
    const headToken = (await createSession(db, unit.headId)).token
    await pool(sample, 8, async (e, i) => {
      const token = (await createSession(db, e.staff_id)).token
      await call('PUT', `/api/evaluations/${e.id}/self-assessment`, token, { data: syntheticDocument(i) })
      await call('POST', `/api/evaluations/${e.id}/submit`, token)
    })
    await pool(sample.slice(0, 50), 8, async (e) => void (await call('POST', `/api/evaluations/${e.id}/approve`, headToken, {})))

    // 3. Reads by 50 concurrent users: the head's inbox and unit board, beside one evaluation by id.
    // The launch answered once every workflow was started; each then runs its first tasks, and the
    // worker and the dev server work that backlog off for minutes on the same two cores. Reads are
    // measured once the machine is quiet (how long that took is printed): a read measured meanwhile
    // measures the backlog (earlier runs: a read by id waited 0,6–1,7 s at the 95th percentile).
    const settleMs = await settled(1_800_000)
    print(`the launch's backlog (each workflow's first task) worked off ${fmt(settleMs / 1000, 0)} s after the launch answered`)
    /** One read as the head: the API's own time for it (its Server-Timing total). */
    const readOnce = async (path: string) => {
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${headToken}` } })
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
      await res.json()
      return serverTiming(res.headers.get('server-timing')).find(([name]) => name === 'total')?.[1] ?? Number.NaN
    }
    const read = async (path: () => string, think: number, seconds: number) => {
      const samples: number[] = []
      const inApi: number[] = []
      const until = performance.now() + seconds * 1000
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
      const cores = cpuWindow(cpuGroups)
      await Promise.all(Array.from({ length: READ_CLIENTS }, async () => {
        if (think) await pause(think * Math.random())
        while (performance.now() < until) {
          const [apiMs, ms] = await timed(() => readOnce(path()))
          samples.push(ms)
          inApi.push(apiMs)
          if (think) await pause(think * (0.5 + Math.random()))
        }
      }))
      return { p95: percentile(samples, 95), perSecond: samples.length / seconds, apiP95: percentile(inApi, 95), cores: cores() }
    }
    /** A read's p95 beside the API's own p95 for it and the cores each process used meanwhile. */
    const whereItWent = (name: string, r: Awaited<ReturnType<typeof read>>) =>
      print(`  ${name}: p95 ${fmt(r.p95)} ms, in the API ${fmt(r.apiP95)} ms; cores used — ${cores(r.cores)}`)
    const readPaths = {
      pk: () => `/api/evaluations/${sample[Math.floor(Math.random() * sample.length)]!.id}`,
      inbox: () => '/api/evaluations?assignedToMe=true',
      board: () => `/api/evaluations?cycleId=${cycle.id}&unitId=${unit.id}`,
      results: () => `/api/cycles/${cycle.id}/results`,
    }
    const users: Record<string, Awaited<ReturnType<typeof read>>> = {}
    const saturated: Record<string, Awaited<ReturnType<typeof read>>> = {}
    // Each path answered a few times first (the API's first calls compile its code paths).
    const warm = async (path: () => string) => {
      for (let i = 0; i < 20; i++) await readOnce(path())
    }
    for (const path of [readPaths.pk, readPaths.inbox, readPaths.board]) await warm(path)
    for (const name of ['pk', 'inbox', 'board'] as const) {
      users[name] = await read(readPaths[name], THINK_MS, READ_SECONDS)
      saturated[name] = await read(readPaths[name], 0, SATURATED_SECONDS)
    }

    // 4. Ranking of everyone. Driving N sign-offs through the API would measure the Updates, not the
    // ranking: the bench marks every evaluation signed off with a scored document, stored as the projection stores it.
    await signOffEveryone(db, cycle.id)
    const [, rankMs] = await timed(() => rankCycle(db, cycle.id))
    print(`ranking + classification of ${staffCount}: ${fmt(rankMs / 1000, 2)} s (the read model's ranks and levels; each workflow's classify Update is not timed)`)
    // What the workflows' classify Updates then record: each evaluation CLASSIFIED (the results page and export list only
    // those), and the cycle too. Then the table as autovacuum would leave it on a server that runs it (this machine's has
    // it off): the sign-off and ranking above rewrote every row in one go, so the planner's statistics are refreshed and
    // the dead row versions cleared (without it, the first read of each page — the first simulation's — does that work).
    await db.updateTable('evaluations').set({ stage: 'CLASSIFIED' }).where('cycle_id', '=', cycle.id).where('stage', '=', 'SIGNED_OFF').execute()
    await db.updateTable('cycles').set({ status: 'CLASSIFIED' }).where('id', '=', cycle.id).execute()
    await sql`vacuum analyze evaluations`.execute(db)
    const visibleToHead = (await call('GET', readPaths.results(), headToken)) as { summary: { count: number } }
    if (visibleToHead.summary.count === 0) throw new Error('the results page lists no result')
    await settled()
    await warm(readPaths.results)
    // The baseline again, just before the results page (the machine's state has moved since the first reads: ranking, writes).
    const resultsPk = await read(readPaths.pk, THINK_MS, READ_SECONDS)
    users['results'] = await read(readPaths.results, THINK_MS, READ_SECONDS)
    saturated['results'] = await read(readPaths.results, 0, SATURATED_SECONDS)

    // 5. A rule change simulated over everyone (the HTXS band moved from 90 to 88), as an admin runs it: through the API,
    // whose peak memory then counts it; and every result downloaded as XLSX (the largest file, as an admin takes it).
    const baseline = (await findRuleSet(db, ruleSetId))!
    const changed = { ...baseline.definition, bands: [{ level: 'HTXS' as const, min: 88 }, { level: 'HTT' as const, min: 70 }, { level: 'HT' as const, min: 50 }, { level: 'KHT' as const, min: null }] }
    const candidate = await createDraft(db, changed, 1)
    await settled()
    const simulate = () => call('POST', `/api/rulesets/${candidate.id}/simulate`, admin, { cycleId: cycle.id }) as Promise<{ summary: { evaluations: number } }>
    const [simulated, simulateMs] = await timed(simulate)
    // A second run: the API's code for it compiled, the documents in PostgreSQL's cache (how an admin's next try meets it).
    const [, simulateAgainMs] = await timed(simulate)
    // A formula changed: nothing carries over, every document is read and scored with both versions.
    const formulaDraft = await createDraft(db, formulaChanged(baseline.definition), 1)
    await settled()
    const [, simulateFormulaMs] = await timed(() => call('POST', `/api/rulesets/${formulaDraft.id}/simulate`, admin, { cycleId: cycle.id }))
    // Every evaluation of the cycle: the province's staff and its director (the root unit's head).
    const { n: inCycle } = await db.selectFrom('evaluations').select((eb) => eb.fn.countAll<string>().as('n')).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow()
    if (simulated.summary.evaluations !== Number(inCycle)) throw new Error(`simulate compared ${simulated.summary.evaluations} of ${inCycle} evaluations`)
    const [xlsx, exportMs] = await timed(async () => {
      const res = await fetch(`${base}/api/cycles/${cycle.id}/results/export?format=xlsx`, { headers: { authorization: `Bearer ${admin}` } })
      if (!res.ok) throw new Error(`results export: ${res.status}`)
      return res.arrayBuffer()
    })
    // Read back (not timed): one line per result after the title and the header.
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx)
    if (book.worksheets[0]!.rowCount - 2 !== Number(inCycle)) throw new Error(`results export: ${book.worksheets[0]!.rowCount - 2} rows of ${inCycle}`)

    const apiPeakMiB = peakMiB(api)
    const workerPeakMiB = peakMiB(worker)
    // 6. The baseline again, on the server the launch left (its 50,000 workflows and their timers); not worked off (the server stops).
    const bareAfter = await bareStarts('bare-after')
    await bareAfter.stop()
    const bareRate = (bareBefore.rate + bareAfter.rate) / 2
    print(`${fmt(bareAfter.rate)} bare starts/s after the launch (${cores(bareAfter.cores)}): the launch ${fmt(launchRate / bareRate, 2)}× their mean`)
    const row = (label: string, value: string, target: string) => print(`${label.padEnd(40)} ${value.padStart(12)}   (target ${target})`)
    print('')
    row('launch rate ÷ bare workflow.start', `${fmt(launchRate / bareRate, 2)}×`, '≥ 0,8×')
    row('  bare starts before / after the launch', `${fmt(bareBefore.rate, 0)} / ${fmt(bareAfter.rate, 0)} /s`, '—')
    const ms = (n: number) => `${fmt(n)} ms`
    row('review inbox p95 (50 users)', ms(users['inbox']!.p95), '< 30 ms')
    row('unit board p95 (50 users)', ms(users['board']!.p95), '< 30 ms')
    row('results page p95 (50 users)', ms(users['results'].p95), '< 30 ms')
    row('  baseline: one evaluation by id p95', ms(users['pk']!.p95), '—')
    row('  the same, just before the results page', ms(resultsPk.p95), '—')
    print(`  (50 users, each opening a page about once a second: ${fmt(users['inbox']!.perSecond, 0)} requests/s; the same 50 clients with no pause —`)
    for (const name of ['inbox', 'board', 'results', 'pk'] as const) print(`   ${name.padEnd(8)} ${fmt(saturated[name]!.perSecond, 0).padStart(6)} requests/s, p95 ${ms(saturated[name]!.p95)}`)
    print('   the API\'s capacity with the clients, PostgreSQL and the API on the same two cores)')
    print('  where the 50 users\' reads went (p95 as the clients saw it, p95 inside the API, cores each process used):')
    for (const [name, r] of [...Object.entries(users), ['pk before results', resultsPk] as const]) whereItWent(name, r)
    row(`ranking + classification of ${staffCount}`, `${fmt(rankMs / 1000, 2)} s`, '< 10 s')
    row(`simulate a band change over ${staffCount}`, `${fmt(simulateMs / 1000, 2)} s`, '< 1 s')
    row('  the same, a second time', `${fmt(simulateAgainMs / 1000, 2)} s`, '—')
    row('  a formula changed (every document read)', `${fmt(simulateFormulaMs / 1000, 2)} s`, '—')
    row(`results of ${staffCount} as XLSX`, `${fmt(exportMs / 1000, 2)} s`, '—')
    row('API peak memory', `${fmt(apiPeakMiB, 0)} MiB`, '< 512 MiB')
    row('worker peak memory', `${fmt(workerPeakMiB, 0)} MiB`, '< 512 MiB')
    if (json) {
      console.log(JSON.stringify({ suite: 'scale', staff: staffCount, launchRatio: launchRate / bareRate, launchRate, bareStartRate: bareRate, bareStartRateBefore: bareBefore.rate, bareStartRateAfter: bareAfter.rate, ...flatCores('launch', launchUsed), ...flatCores('bare', bareBefore.cores), ...flatCores('bareAfter', bareAfter.cores), inboxP95Ms: users['inbox']!.p95, boardP95Ms: users['board']!.p95, resultsP95Ms: users['results'].p95, resultsApiP95Ms: users['results'].apiP95, pkP95Ms: users['pk']!.p95, resultsPkP95Ms: resultsPk.p95, ...flatCores('results', users['results'].cores), ...flatCores('pk', users['pk']!.cores), settleSeconds: settleMs / 1000, saturated, rankSeconds: rankMs / 1000, simulateSeconds: simulateMs / 1000, simulateAgainSeconds: simulateAgainMs / 1000, simulateFormulaSeconds: simulateFormulaMs / 1000, resultsXlsxSeconds: exportMs / 1000, apiPeakMiB, workerPeakMiB, ...environment('postgresql'), temporal: 'dev server' }))
    }
    await bareConnection.close()
  } finally {
    for (const p of processes) p.child.kill('SIGTERM')
    await db.destroy()
    await dev.stop()
    await database.drop()
  }
}

/** `npm run <script>` (`node [flags] <file>` in package.json) as its own process: the flags production runs it with, without npm in between (whose pid would hide the process's memory). */
function startScript(script: 'server' | 'worker', name: string, env: NodeJS.ProcessEnv, ready: string): Promise<ProductProcess> {
  const command = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts[script]!.split(' ')
  if (command[0] !== 'node') throw new Error(`npm run ${script} is not \`node [flags] <file>\`: ${command.join(' ')}`)
  return startProcess(name, command.at(-1)!, env, ready, command.slice(1, -1))
}

/** Cores each process used in a phase as flat figures (`launchCoresTemporal`: …), which `bench/results.scale.json` keeps with their spread. */
const flatCores = (phase: string, used: Record<string, number>) => Object.fromEntries(Object.entries(used).map(([p, n]) => [`${phase}Cores${p[0]!.toUpperCase()}${p.slice(1)}`, n]))

/** The process's peak resident memory (VmHWM), in MiB. */
function peakMiB(p: ProductProcess): number {
  const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

/** A fresh database on the PostgreSQL server (DATABASE_URL's, else 127.0.0.1:5432), dropped at the end. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = new URL(process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres')
  const name = `kpi_bench_scale_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() })
    await c.connect()
    await c.query(statement)
    await c.end()
  }
  await admin(`create database ${name}`)
  return { url: Object.assign(new URL(server), { pathname: `/${name}` }).toString(), drop: () => admin(`drop database if exists ${name} with (force)`) }
}

/** A directorate (its director signs off everything) and 400 units with a head each, inserted set-based. */
export async function seedProvince(db: Db, staffCount: number) {
  const hash = await hashPassword('bench-pass-1')
  const root = await db.insertInto('units').values({ code: 'TINH', name: 'Ủy ban nhân dân tỉnh (bench)', parent_id: null, head_id: null }).returning('id').executeTakeFirstOrThrow()
  const director = await db.insertInto('staff').values({ username: 'ct.bench', full_name: 'Chủ tịch', unit_id: root.id, position_code: null, roles: '["leader"]', scope_unit_ids: '[]', password_hash: hash, email: null }).returning('id').executeTakeFirstOrThrow()
  await db.updateTable('units').set({ head_id: director.id }).where('id', '=', root.id).execute()
  await sql`insert into units (code, name, parent_id) select 'U' || i, 'Đơn vị ' || i, ${root.id}::int from generate_series(1, ${UNITS}::int) i`.execute(db)
  const units = await db.selectFrom('units').select('id').where('parent_id', '=', root.id).orderBy('id').execute()
  const perUnit = Math.ceil(staffCount / UNITS)
  await sql`
    insert into staff (username, full_name, unit_id, position_code, roles, scope_unit_ids, password_hash)
    select 'cv.' || i, 'Cán bộ ' || i, (${sql.raw(`array[${units.map((u) => u.id).join(',')}]`)})[1 + (i - 1) / ${perUnit}::int], null,
           case when (i - 1) % ${perUnit}::int = 0 then '["unit_head","staff"]'::jsonb else '["staff"]'::jsonb end, '[]'::jsonb, ${hash}
    from generate_series(1, ${staffCount}::int) i`.execute(db)
  await sql`update units u set head_id = s.id from staff s where s.unit_id = u.id and s.roles @> '["unit_head"]'::jsonb`.execute(db)
  await addProductVersions(db, [{ code: 'B01', name: 'Soạn thảo công văn hành chính', unit: 'văn bản', k: 1, normHours: 2, group: 'B', positions: [], validFrom: '2026-01-01' }], director.id)
  const heads = await db.selectFrom('units').select(['id', 'head_id']).where('parent_id', '=', root.id).orderBy('id').execute()
  return { rootId: root.id, units: heads.map((u) => ({ id: u.id, headId: u.head_id! })) }
}

/**
 * Every evaluation of the cycle signed off with one of eight synthetic documents, in SQL rather than
 * N sign-offs through the workflows, and stored as the projection stores an approved document: its
 * scores (each distinct document, rule role and pinned version scored once with scoreDocument, as
 * the approval scores it: no adjustments, no leader's `d`) and its round's submitted document.
 */
export async function signOffEveryone(db: Db, cycleId: number): Promise<void> {
  const documents = Array.from({ length: 8 }, (_, i) => syntheticDocument(i))
  const kinds = await sql<{ doc: number; rule_role: 'staff' | 'leader'; ruleset_id: number }>`select distinct (id % 8)::int as doc, rule_role, ruleset_id from evaluations where cycle_id = ${cycleId}`.execute(db)
  const pinned = await pinnedRuleSets(db, kinds.rows.map((k) => ({ ruleSetId: k.ruleset_id })))
  const values = kinds.rows.map((k) => {
    const ruleSet = pinned.get(k.ruleset_id)!
    const outcome = scoreDocument(ruleSet.definition, documents[k.doc]!, null, k.rule_role)
    const s = outcome.ok ? storedScores(outcome.result, ruleSet.id, ruleSet.hash) : null
    return sql`(${k.doc}::int, ${k.rule_role}::text, ${k.ruleset_id}::int, ${JSON.stringify(documents[k.doc])}::jsonb, ${s ? JSON.stringify(s) : null}::jsonb, ${s?.total ?? null}::float8, ${s?.level ?? null}::text, ${s?.override?.code ?? null}::text)`
  })
  await sql`
    update evaluations e set stage = 'SIGNED_OFF', data = v.data, adjustments = null, scores = v.scores, total = v.total, level = v.level, override_code = v.override_code
    from (values ${sql.join(values)}) as v(doc, rule_role, ruleset_id, data, scores, total, level, override_code)
    where e.cycle_id = ${cycleId} and e.id % 8 = v.doc and e.rule_role = v.rule_role and e.ruleset_id = v.ruleset_id`.execute(db)
  await sql`
    insert into evaluation_rounds (evaluation_id, round, data, scores, submitted_at)
    select id, round, data, coalesce(scores, 'null'::jsonb), now() from evaluations where cycle_id = ${cycleId}
    on conflict (evaluation_id, round) do update set data = excluded.data, scores = excluded.scores, submitted_at = excluded.submitted_at`.execute(db)
}
