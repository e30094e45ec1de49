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
const REQUESTS = 2000

/**
 * `npm run bench -- worklog [--staff N]` on PostgreSQL (DATABASE_URL or the local server; a scratch
 * database): recording an item over HTTP at 50 concurrent clients, and the month summary of every
 * staff member beside the same aggregation as one plain SQL query.
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
  const port = await freePort()
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
  const staff = await db.selectFrom('staff').select('id').where('username', 'like', 'bench.%').orderBy('id').limit(CLIENTS).execute()
  const tokens = await Promise.all(staff.map(async (s) => (await createSession(db, s.id)).token))
  const latencies: number[] = []
  await pool(Array.from({ length: REQUESTS }, (_, i) => i), CLIENTS, async (i) => {
    const [res, ms] = await timed(() =>
      fetch(`http://127.0.0.1:${port}/api/work-items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[i % CLIENTS]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ productCode: 'B01', quantity: 1, assignedOn: '2026-12-01', dueOn: '2026-12-05', title: `Việc ${i}` }),
      }),
    )
    if (res.status !== 201) throw new Error(`record: ${res.status} ${await res.text()}`)
    latencies.push(ms)
  })

  const admin = (await createSession(db, 1)).token
  const get = () => fetch(`http://127.0.0.1:${port}/api/work-items/unit-summary?month=2026-11`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json() as Promise<{ staff: unknown[] }>)
  await get() // warm-up
  const [summary, summaryMs] = await timed(get)
  const plain = () =>
    sql`select w.staff_id, w.product_code, p.k, sum(w.quantity) as assigned,
          sum(w.done_quantity) filter (where w.status = 'CONFIRMED') as done,
          sum(w.quality_failures) filter (where w.status = 'CONFIRMED') as failures,
          count(*) filter (where coalesce(w.completed_on, '2026-11-30') > coalesce(w.extended_to, w.due_on)) as delays
        from work_items w join catalogue_products p on p.id = w.product_id
        where w.due_on between '2026-11-01' and '2026-11-30' and w.status in ('OPEN', 'DONE', 'CONFIRMED')
        group by w.staff_id, w.product_code, p.k`.execute(db)
  await plain()
  const [rows, plainMs] = await timed(plain)

  print(`record an item over HTTP, ${CLIENTS} clients, ${REQUESTS} requests: p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms`)
  print(`${'month summary'.padEnd(40)} ${'ours'.padStart(10)}   ${'plain SQL'.padStart(10)}   ratio`)
  print(`${`${summary.staff.length.toLocaleString('vi-VN')} staff (s)`.padEnd(40)} ${fmt(summaryMs / 1000, 2).padStart(10)}   ${fmt(plainMs / 1000, 2).padStart(10)}   ${fmt(summaryMs / plainMs, 2)}×   (target < 1 s; SQL: ${rows.rows.length.toLocaleString('vi-VN')} product lines, no a/b/c, no hours)`)

  const figures = {
    suite: 'worklog',
    staff: staffCount,
    recordP50Ms: percentile(latencies, 50),
    recordP95Ms: percentile(latencies, 95),
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
    const people = Array.from({ length: Math.min(100, staffCount - u * 100) }, (_, i) => ({ username: `bench.${u}.${i}`, full_name: `Cán bộ ${u}.${i}`, unit_id: unit.id, position_code: null, roles: '["staff"]', scope_unit_ids: '[]', password_hash: hash, email: null }))
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
  await sql`analyze`.execute(db)
}
