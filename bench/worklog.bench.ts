import { serve } from '@hono/node-server'
import { Client } from '@temporalio/client'
import { sql } from 'kysely'
import { createApp } from '../server/app.js'
import { hashPassword } from '../server/auth/password.js'
import { createSession } from '../server/auth/session.js'
import { loadConfig } from '../server/config.js'
import { migrate, openDatabase } from '../server/db/database.js'
import { bootstrap } from '../server/seed/bootstrap.js'
import { freePort } from '../server/temporal/temporal-cli.js'
import { createTestDatabase } from '../test/support/database.js'
import { environment, fmt, percentile, pool, timed } from './stats.js'

const CLIENTS = 50
const REQUESTS = 4500
/** Alternating rounds of each path; the ratio is the median of the rounds' ratios (each round beside its neighbour, so drift in the machine's load cancels). */
const ROUNDS = 9

/**
 * `npm run bench -- worklog [--staff N]` on PostgreSQL (DATABASE_URL or the local server; a scratch
 * database): recording an item over HTTP at 50 concurrent clients beside a bare route of the same
 * server doing one INSERT on the same pool, and the month summary of every staff member beside the
 * same aggregation as one plain SQL query.
 */
export async function worklogBench(staffCount: number, json = false, itemsEach = 60): Promise<void> {
  // With --json the human-readable lines go to stderr and stdout carries one JSON line.
  const print = json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const database = await createTestDatabase('bench')
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '/tmp', poolSize: 20 })
  await migrate(db)
  await bootstrap(db, { adminPassword: 'bench-admin-1', seedDemo: true, demoPassword: 'bench-demo-1' })
  print(`\n# work-log benchmark — ${staffCount.toLocaleString('vi-VN')} staff × ${itemsEach} items, PostgreSQL, Node ${process.version}\n`)
  await seed(db, staffCount, itemsEach)

  const app = createApp({ db, client: new Client(), config: { ...loadConfig({}), actionDeadlineMs: 5000 } })
  // The baseline: a bare route on the same app, server and pool doing one INSERT of a similar row
  // (bench only; no authentication, no validation, no audit). Added before the first request.
  const target = await db.selectFrom('staff').innerJoin('catalogue_products as p', (j) => j.on('p.code', '=', 'B01')).select(['staff.id', 'staff.unit_id', 'p.id as product_id']).where('staff.username', 'like', 'bench.%').orderBy('staff.id').executeTakeFirstOrThrow()
  app.post('/bench/bare-insert', async (c) => {
    const body = await c.req.json<{ quantity: number; assignedOn: string; dueOn: string; title: string }>()
    const row = await db
      .insertInto('work_items')
      .values({ staff_id: target.id, unit_id: target.unit_id!, product_id: target.product_id, product_code: 'B01', title: body.title, kind: 'planned', status: 'OPEN', quantity: body.quantity, assigned_on: body.assignedOn, due_on: body.dueOn, created_by: target.id })
      .returningAll()
      .executeTakeFirstOrThrow()
    return c.json(row, 201)
  })
  const port = await freePort()
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
  const staff = await db.selectFrom('staff').select('id').where('username', 'like', 'bench.%').orderBy('id').limit(CLIENTS).execute()
  const tokens = await Promise.all(staff.map(async (s) => (await createSession(db, s.id)).token))
  const send = async (path: string, i: number, into: number[] | null) => {
    const [res, ms] = await timed(() =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[i % CLIENTS]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ productCode: 'B01', quantity: 1, assignedOn: '2026-12-01', dueOn: '2026-12-05', title: `Việc ${i}` }),
      }),
    )
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
    into?.push(ms)
  }
  // Both paths measured in alternating rounds, so load from elsewhere on the machine falls on both alike.
  const latencies: number[] = []
  const bareLatencies: number[] = []
  const round = (path: string, into: number[] | null, count: number) => pool(Array.from({ length: count }, (_, i) => i), CLIENTS, (i) => send(path, i, into))
  await round('/bench/bare-insert', null, 200) // warm-up: connections, JIT
  await round('/api/work-items', null, 200)
  const roundRatios: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const bare: number[] = []
    const ours: number[] = []
    await round('/bench/bare-insert', bare, REQUESTS / ROUNDS)
    await round('/api/work-items', ours, REQUESTS / ROUNDS)
    roundRatios.push(percentile(ours, 50) / percentile(bare, 50))
    bareLatencies.push(...bare)
    latencies.push(...ours)
  }

  const admin = (await createSession(db, 1)).token
  const get = () => fetch(`http://127.0.0.1:${port}/api/work-items/unit-summary?month=2026-11`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json() as Promise<{ staff: unknown[] }>)
  const plain = () =>
    sql`select w.staff_id, w.product_code, p.k, sum(w.quantity) as assigned,
          sum(w.done_quantity) filter (where w.status = 'CONFIRMED') as done,
          sum(w.quality_failures) filter (where w.status = 'CONFIRMED') as failures,
          count(*) filter (where coalesce(w.completed_on, '2026-11-30') > coalesce(w.extended_to, w.due_on)) as delays
        from work_items w join catalogue_products p on p.id = w.product_id
        where w.due_on between '2026-11-01' and '2026-11-30' and w.status in ('OPEN', 'DONE', 'CONFIRMED')
        group by w.staff_id, w.product_code, p.k`.execute(db)
  await get() // warm-up
  await plain()
  // The median of three of each, alternating.
  const summaryRuns: number[] = []
  const plainRuns: number[] = []
  let summary: { staff: unknown[] } = { staff: [] }
  let rows = { rows: [] as unknown[] }
  for (let r = 0; r < 3; r++) {
    const [s, ms] = await timed(get)
    summary = s
    summaryRuns.push(ms)
    const [p, pms] = await timed(plain)
    rows = p
    plainRuns.push(pms)
  }
  const summaryMs = percentile(summaryRuns, 50)
  const plainMs = percentile(plainRuns, 50)

  const recordP50 = percentile(latencies, 50)
  const bareP50 = percentile(bareLatencies, 50)
  print(`${`record an item over HTTP, ${CLIENTS} clients (ms)`.padEnd(40)} ${'ours'.padStart(10)}   ${'bare INSERT'.padStart(10)}   ratio`)
  const recordRatio = percentile(roundRatios, 50)
  print(`${`p50 of ${REQUESTS} requests each`.padEnd(40)} ${fmt(recordP50).padStart(10)}   ${fmt(bareP50).padStart(10)}   ${fmt(recordRatio, 2)}×   (target ≤ 1,5×; median of ${ROUNDS} rounds' ratios, ${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)})`)
  print(`${'p95'.padEnd(40)} ${fmt(percentile(latencies, 95)).padStart(10)}   ${fmt(percentile(bareLatencies, 95)).padStart(10)}`)
  print(`${'month summary'.padEnd(40)} ${'ours'.padStart(10)}   ${'plain SQL'.padStart(10)}   ratio`)
  print(`${`${summary.staff.length.toLocaleString('vi-VN')} staff (s)`.padEnd(40)} ${fmt(summaryMs / 1000, 2).padStart(10)}   ${fmt(plainMs / 1000, 2).padStart(10)}   ${fmt(summaryMs / plainMs, 2)}×   (target < 1 s; SQL: ${rows.rows.length.toLocaleString('vi-VN')} product lines, no a/b/c, no hours)`)

  const figures = {
    suite: 'worklog',
    staff: staffCount,
    recordP50Ms: recordP50,
    recordP95Ms: percentile(latencies, 95),
    bareInsertP50Ms: bareP50,
    bareInsertP95Ms: percentile(bareLatencies, 95),
    recordRatio,
    summarySeconds: summaryMs / 1000,
    plainSqlSeconds: plainMs / 1000,
    summaryRatio: summaryMs / plainMs,
    ...environment('postgresql'),
  }
  if (json) console.log(JSON.stringify(figures))
  await new Promise<void>((r) => server.close(() => r()))
  await db.destroy()
  await database.drop()
}

/** Units of 100 staff, each with a month of items across the catalogue; most confirmed, some late. */
async function seed(db: Awaited<ReturnType<typeof openDatabase>>, staffCount: number, itemsEach: number): Promise<void> {
  const hash = await hashPassword('bench-pass-1')
  const products = await db.selectFrom('catalogue_products').select(['id', 'code']).execute()
  const root = await db.selectFrom('units').select('id').where('code', '=', 'SNV').executeTakeFirstOrThrow()
  for (let u = 0; u < Math.ceil(staffCount / 100); u++) {
    const unit = await db.insertInto('units').values({ code: `B${u}`, name: `Phòng ${u}`, parent_id: root.id, head_id: null }).returning('id').executeTakeFirstOrThrow()
    const people = Array.from({ length: Math.min(100, staffCount - u * 100) }, (_, i) => ({ username: `bench.${u}.${i}`, full_name: `Cán bộ ${u}.${i}`, unit_id: unit.id, position_code: 'CV', roles: '["staff"]', scope_unit_ids: '[]', password_hash: hash, email: null }))
    const ids = (await db.insertInto('staff').values(people).returning('id').execute()).map((r) => r.id)
    const items = ids.flatMap((staffId, s) =>
      Array.from({ length: itemsEach }, (_, n) => {
        const day = 1 + ((n + s) % 28)
        const due = `2026-11-${String(day).padStart(2, '0')}`
        const late = (n + s) % 7 === 0
        const status = n % 10 === 0 ? 'OPEN' : n % 10 === 1 ? 'DONE' : 'CONFIRMED'
        return {
          staff_id: staffId,
          unit_id: unit.id,
          product_id: products[n % products.length]!.id,
          product_code: products[n % products.length]!.code,
          kind: 'assigned',
          status,
          quantity: 1 + (n % 3),
          done_quantity: status === 'OPEN' ? 0 : 1 + (n % 3),
          assigned_on: '2026-11-01',
          due_on: due,
          completed_on: status === 'OPEN' ? null : late ? `2026-11-${String(Math.min(30, day + 2)).padStart(2, '0')}` : due,
          quality_failures: status === 'CONFIRMED' && n % 13 === 0 ? 1 : 0,
          created_by: staffId,
        }
      }),
    )
    for (let i = 0; i < items.length; i += 1000) await db.insertInto('work_items').values(items.slice(i, i + 1000) as never).execute()
  }
  // A bulk load, then the state autovacuum keeps a live table in: statistics taken, visibility map
  // set (index-only scans need it).
  await sql`vacuum analyze`.execute(db)
}
