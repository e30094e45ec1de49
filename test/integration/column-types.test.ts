import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { appendAudit } from '../../server/audit/audit.repo.js'
import { verifyAuditChain } from '../../server/audit/audit-chain.repo.js'
import { loadConfig } from '../../server/config.js'
import { migrate, migratorOf, openDatabase, type Db } from '../../server/db/database.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { startSystem, type System } from '../../server/system.js'
import { createTestDatabase } from '../support/database.js'
import { ADMIN_PASSWORD, DEMO_PASSWORD, TEST_PAYLOAD_KEY } from '../support/harness.js'

const BEFORE = '2026-12-01-014-unit-evaluations'
const MIGRATION = '2026-12-01-015-column-types'

/** Every day column the migration converts, and the evaluation total. */
const CONVERTED = [
  'cycles.period_start', 'cycles.period_end', 'catalogue_products.valid_from', 'catalogue_products.valid_to',
  'work_items.assigned_on', 'work_items.due_on', 'work_items.extended_to', 'work_items.completed_on', 'work_item_updates.on_date',
  'indicator_values.period_start', 'indicator_values.period_end', 'indicator_late_rows.period_start', 'indicator_late_rows.period_end',
  'delegations.from_date', 'delegations.to_date', 'national_db_syncs.decision_date',
]

/** The declared type of each column named `table.column`. */
async function columnTypes(client: pg.Client, names: string[]): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `select c.relname || '.' || a.attname as name, format_type(a.atttypid, a.atttypmod) as type
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relname || '.' || a.attname = any($1::text[])`,
    [names],
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.type]))
}

const migrationError = async (db: Db): Promise<string | undefined> => {
  try {
    await migrate(db, 0)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

describe('numeric scores and date columns (migration 015): the data of a database at 014 is kept', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-coltypes-'))
  let database: { url: string; drop(): Promise<void> }
  let system: System
  let owner: pg.Client
  let admin: string
  const ids: Record<string, number> = {}
  let auditBefore: { count: number; lastId: number; last: string }

  const api = async (path: string, token = admin) => {
    const res = await system.app.request(path, { headers: { authorization: `Bearer ${token}` } })
    return { status: res.status, body: await res.json() }
  }
  const login = async (username: string, password: string) => {
    const res = await system.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    return ((await res.json()) as { token: string }).token
  }

  beforeAll(async () => {
    database = await createTestDatabase('coltypes')
    // The database as a server at 014 left it: the product's data, and rows in the old shape.
    const old = await openDatabase({ databaseUrl: database.url, dataDir })
    const up = await migratorOf(old).migrateTo(BEFORE)
    expect(up.error).toBeUndefined()
    await bootstrap(old, { adminPassword: ADMIN_PASSWORD, seedDemo: true, demoPassword: DEMO_PASSWORD })
    const staffId = async (username: string) => (await old.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
    ids.admin = await staffId('admin')
    ids.leader = await staffId('gd.tranminh')
    ids.deputy = await staffId('pgd.hoangyen')
    ids.head = await staffId('cvp.lethu')
    ids.staff = await staffId('cv.dangkhoa')
    const vp = await old.selectFrom('units').select('id').where('code', '=', 'VP').executeTakeFirstOrThrow()
    ids.unit = vp.id

    owner = new pg.Client({ connectionString: database.url })
    await owner.connect()
    const one = async (text: string, params: unknown[]) => (await owner.query<{ id: number }>(text, params)).rows[0]!.id
    expect(await columnTypes(owner, ['cycles.period_start', 'evaluations.total'])).toEqual({ 'cycles.period_start': 'text', 'evaluations.total': 'double precision' })

    ids.cycle = await one(
      `insert into cycles (name, period_kind, period_start, period_end, ruleset_id, status, unit_ids, durations, created_by)
       values ('Tháng 10/2026', 'month', '2026-10-01', '2026-10-31', 1, 'CLASSIFIED', $1, '{}', $2) returning id`,
      [JSON.stringify([ids.unit]), ids.admin],
    )
    // Totals as a double held them: one needs rounding (87.455 is 87.454999… in binary), a third, a round one, none.
    const evaluation = (staff: number, total: number | null, rank: number) =>
      one(
        `insert into evaluations (cycle_id, staff_id, unit_id, rule_role, stage, data, reviewer_ids, sign_off_ids, ruleset_id, rule_hash, total, level, final_level, rank_in_unit, rank_in_cycle)
         values ($1, $2, $3, 'staff', 'CLASSIFIED', '{}', '[]', '[]', 1, 'synthetic', $4, 'HTT', 'HTT', $5, $5) returning id`,
        [ids.cycle, staff, ids.unit, total, rank],
      )
    ids.evalRounded = await evaluation(ids.staff, 87.455, 1)
    ids.evalThird = await evaluation(ids.head, 100 / 3, 2)
    ids.evalRound = await evaluation(ids.leader, 90, 3)
    ids.evalNone = await evaluation(ids.deputy, null, 4)

    const product = (await owner.query<{ id: number }>(`select id from catalogue_products where code = 'B01' and valid_to is null`)).rows[0]!.id
    // A closed version of a product: valid_to set.
    ids.oldVersion = await one(
      `insert into catalogue_products (code, name, unit_of_measure, k, norm_hours, group_code, position_codes, valid_from, valid_to)
       values ('Z99', 'Phiên bản cũ', 'việc', 1, 1, 'B', '["CV"]', '2025-01-01', '2025-12-31') returning id`,
      [],
    )
    ids.item = await one(
      `insert into work_items (staff_id, unit_id, product_id, product_code, title, kind, status, quantity, done_quantity, assigned_on, due_on, extended_to, completed_on, created_by)
       values ($1, $2, $3, 'B01', 'Báo cáo tháng', 'assigned', 'CONFIRMED', 2, 2, '2026-10-01', '2026-10-15', '2026-10-20', '2026-10-22', $4) returning id`,
      [ids.staff, ids.unit, product, ids.head],
    )
    ids.openItem = await one(
      `insert into work_items (staff_id, unit_id, product_id, product_code, title, kind, status, quantity, assigned_on, due_on, created_by)
       values ($1, $2, $3, 'B01', 'Tờ trình', 'assigned', 'OPEN', 1, '2026-10-02', '2026-10-09', $4) returning id`,
      [ids.staff, ids.unit, product, ids.head],
    )
    await owner.query(`insert into work_item_updates (work_item_id, kind, on_date, hours, by_id) values ($1, 'complete', '2026-10-22', 3.5, $2)`, [ids.item, ids.staff])
    const system0 = await one(`insert into integration_systems (code, name, created_by) values ('EOFFICE', 'e-Office', $1) returning id`, [ids.admin])
    await owner.query(
      `insert into indicator_values (system_id, code, subject, staff_id, period_start, period_end, value) values ($1, 'HS_DUNG_HAN', $2, $3, '2026-10-01', '2026-10-31', 0.95)`,
      [system0, `staff:${ids.staff}`, ids.staff],
    )
    await owner.query(
      `insert into indicator_late_rows (system_id, code, subject, period_start, period_end, value, closed_at) values ($1, 'HS_DUNG_HAN', $2, '2026-09-01', '2026-09-30', 0.5, now())`,
      [system0, `staff:${ids.staff}`],
    )
    ids.delegation = await one(
      `insert into delegations (principal_id, delegate_id, scope, from_date, to_date, reason) values ($1, $2, 'sign-off', '2026-10-05', '2026-10-25', 'Đi công tác') returning id`,
      [ids.leader, ids.deputy],
    )
    await owner.query(`insert into national_db_syncs (cycle_id, decision_number, decision_date, decided_by) values ($1, '123/QĐ-SNV', '2026-11-05', $2)`, [ids.cycle, ids.admin])
    // Audit events that carry these values in their data, chained by the trigger.
    await old.transaction().execute((trx) =>
      appendAudit(trx, { actor_id: ids.admin!, entity: 'cycle', entity_id: String(ids.cycle), action: 'probe', reason: null, data: { periodStart: '2026-10-01', total: 87.455 } }),
    )
    const chain = await verifyAuditChain(old)
    expect(chain.ok).toBe(true)
    const head = (await owner.query<{ last_id: number; hash: string }>('select last_id, hash from audit_chain_head')).rows[0]!
    auditBefore = { count: chain.checked, lastId: head.last_id, last: head.hash }
    await old.destroy()

    // The product starts on it, as after an upgrade: it migrates to the latest version itself.
    const config = {
      ...loadConfig({ PAYLOAD_KEY: TEST_PAYLOAD_KEY }),
      dataDir,
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      // No workflow runs here: the audit file's namespace serves (files run one at a time).
      temporalNamespace: 'test-audit',
      taskQueue: `test-coltypes-${randomBytes(3).toString('hex')}`,
    }
    system = await startSystem(config, { worker: false })
    admin = await login('admin', ADMIN_PASSWORD)
  }, 180_000)

  afterAll(async () => {
    await owner?.end()
    await system?.stop()
    await database?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('gives totals numeric(6,2) and every day column date, with the values they held', async () => {
    const types = await columnTypes(owner, [...CONVERTED, 'evaluations.total', 'calendar_days.date'])
    expect(types).toEqual({ ...Object.fromEntries(CONVERTED.map((c) => [c, 'date'])), 'evaluations.total': 'numeric(6,2)', 'calendar_days.date': 'date' })
    const applied = await owner.query<{ name: string }>(`select name from kysely_migration where name = $1`, [MIGRATION])
    expect(applied.rows).toHaveLength(1)

    // As PostgreSQL holds them (text casts: no driver parser in the way).
    const totals = await owner.query<{ id: number; total: string | null }>('select id, total::text as total from evaluations where cycle_id = $1 order by id', [ids.cycle])
    expect(totals.rows.map((r) => r.total)).toEqual(['87.46', '33.33', '90.00', null])
    const item = await owner.query(`select assigned_on::text, due_on::text, extended_to::text, completed_on::text from work_items where id = $1`, [ids.item])
    expect(item.rows[0]).toEqual({ assigned_on: '2026-10-01', due_on: '2026-10-15', extended_to: '2026-10-20', completed_on: '2026-10-22' })
    const rest = await owner.query(
      `select (select period_start::text || ' ' || period_end::text from cycles where id = $1) as cycle,
              (select valid_from::text || ' ' || valid_to::text from catalogue_products where id = $2) as version,
              (select on_date::text from work_item_updates where work_item_id = $3) as on_date,
              (select period_start::text || ' ' || period_end::text from indicator_values) as indicator,
              (select period_start::text || ' ' || period_end::text from indicator_late_rows) as late,
              (select from_date::text || ' ' || to_date::text from delegations where id = $4) as delegation,
              (select decision_date::text from national_db_syncs where cycle_id = $1) as decision`,
      [ids.cycle, ids.oldVersion, ids.item, ids.delegation],
    )
    // Analysed again: the planner has statistics for the new columns (PostgreSQL drops them with the old type).
    const stats = await owner.query<{ n: number }>(`select count(*)::int as n from pg_stats where tablename = 'work_items' and attname in ('due_on', 'completed_on')`)
    expect(stats.rows[0]!.n).toBe(2)
    expect(rest.rows[0]).toEqual({
      cycle: '2026-10-01 2026-10-31', version: '2025-01-01 2025-12-31', on_date: '2026-10-22', indicator: '2026-10-01 2026-10-31',
      late: '2026-09-01 2026-09-30', delegation: '2026-10-05 2026-10-25', decision: '2026-11-05',
    })
  })

  it('hands the code the same JS values as before: days as yyyy-mm-dd strings, totals as numbers', async () => {
    const db = system.db
    const cycle = await db.selectFrom('cycles').select(['period_start', 'period_end']).where('id', '=', ids.cycle!).executeTakeFirstOrThrow()
    expect(cycle).toEqual({ period_start: '2026-10-01', period_end: '2026-10-31' })
    const totals = await db.selectFrom('evaluations').select('total').where('cycle_id', '=', ids.cycle!).orderBy('id').execute()
    expect(totals.map((r) => r.total)).toEqual([87.46, 33.33, 90, null])
    const item = await db.selectFrom('work_items').select(['due_on', 'extended_to', 'completed_on']).where('id', '=', ids.openItem!).executeTakeFirstOrThrow()
    expect(item).toEqual({ due_on: '2026-10-09', extended_to: null, completed_on: null })
    // A day compares as a day: the string parameter is read as a date.
    const inOctober = await db.selectFrom('work_items').select('id').where('due_on', '>=', '2026-10-01').where('due_on', '<=', '2026-10-31').orderBy('id').execute()
    expect(inOctober.map((r) => r.id)).toEqual([ids.item, ids.openItem])
    // pg's global parsers are untouched: another pool (or library) still gets what pg gives by default.
    const plain = await owner.query<{ d: unknown; n: unknown }>(`select date '2026-10-01' as d, 87.46::numeric(6,2) as n`)
    expect(plain.rows[0]!.d).toBeInstanceOf(Date)
    expect(plain.rows[0]!.n).toBe('87.46')
  })

  it('serves the converted rows through the API as before', async () => {
    const cycles = await api('/api/cycles')
    expect(cycles.status).toBe(200)
    expect(cycles.body.find((c: { id: number }) => c.id === ids.cycle)).toMatchObject({ periodStart: '2026-10-01', periodEnd: '2026-10-31' })
    const results = await api(`/api/cycles/${ids.cycle}/results`)
    expect(results.status, JSON.stringify(results.body)).toBe(200)
    expect(results.body.results.map((r: { total: number | null }) => r.total)).toEqual([87.46, 33.33, 90, null])
    expect(results.body.summary.histogram[8]).toBe(1) // 87,46 in the 80s: the bucket arithmetic works on numeric
    const items = await api(`/api/work-items?from=2026-10-01&to=2026-10-31&staffId=${ids.staff}`)
    expect(items.status, JSON.stringify(items.body)).toBe(200)
    expect(items.body.map((i: Record<string, unknown>) => [i['assignedOn'], i['dueOn'], i['extendedTo'], i['completedOn']])).toEqual([
      ['2026-10-02', '2026-10-09', null, null],
      ['2026-10-01', '2026-10-15', '2026-10-20', '2026-10-22'],
    ])
    const month = await api(`/api/work-items/unit-summary?month=2026-10&unitId=${ids.unit}`)
    expect(month.status, JSON.stringify(month.body)).toBe(200)
    const khoa = month.body.staff.find((s: { staffId: number }) => s.staffId === ids.staff)
    // Both items late (completed 22/10 after the extension to 20/10; still open after 09/10), 3.5 hours logged on 22/10.
    expect(khoa, JSON.stringify(month.body.staff)).toMatchObject({ hours: 3.5, products: [{ code: 'B01', assigned: 3, done: 2, delays: 2 }] })
    const delegations = await api('/api/delegations')
    expect(delegations.body.find((d: { id: number }) => d.id === ids.delegation)).toMatchObject({ from: '2026-10-05', to: '2026-10-25', status: 'expired' })
  })

  it('writes days and totals through the application as before', async () => {
    const head = await login('cvp.lethu', DEMO_PASSWORD)
    const res = await system.app.request('/api/work-items', {
      method: 'POST',
      headers: { authorization: `Bearer ${head}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: ids.staff, productCode: 'B01', title: 'Báo cáo quý', quantity: 1, assignedOn: '2026-12-01', dueOn: '2026-12-10' }),
    })
    const body = (await res.json()) as Record<string, unknown>
    expect(res.status, JSON.stringify(body)).toBe(201)
    expect(body).toMatchObject({ assignedOn: '2026-12-01', dueOn: '2026-12-10' })
    // 30/02 is no day: refused with a code, never a database error.
    const bad = await system.app.request('/api/work-items', {
      method: 'POST',
      headers: { authorization: `Bearer ${head}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: ids.staff, productCode: 'B01', title: 'x', quantity: 1, assignedOn: '2026-02-30', dueOn: '2026-03-10' }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED')
    // A total written as a double is stored to two decimals.
    await system.db.updateTable('evaluations').set({ total: 79.125 }).where('id', '=', ids.evalRound!).execute()
    expect((await system.db.selectFrom('evaluations').select('total').where('id', '=', ids.evalRound!).executeTakeFirstOrThrow()).total).toBe(79.13)
    await system.db.updateTable('evaluations').set({ total: 90 }).where('id', '=', ids.evalRound!).execute()
  })

  it('keeps the audit chain verifying: the events written before the migration and after it', async () => {
    const verified = await api('/api/audit/verify')
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({ ok: true, firstBrokenId: null })
    expect(verified.body.checked).toBeGreaterThan(auditBefore.count) // and the events written since (sign-ins, the work item)
    // The events of before are there as they were, the new ones chained onto the last of them.
    const old = await owner.query<{ n: number; hash: string }>(`select count(*)::int as n, (select hash from audit_events where id = $1) as hash from audit_events where id <= $1`, [auditBefore.lastId])
    expect(old.rows[0]).toEqual({ n: auditBefore.count, hash: auditBefore.last })
  })

  it('goes back down to text and double precision with the same values', async () => {
    const down = await migratorOf(system.db).migrateTo(BEFORE)
    expect(down.error).toBeUndefined()
    const types = await columnTypes(owner, [...CONVERTED, 'evaluations.total'])
    expect(types).toEqual({ ...Object.fromEntries(CONVERTED.map((c) => [c, 'text'])), 'evaluations.total': 'double precision' })
    const row = await owner.query(`select c.period_start, e.total from cycles c join evaluations e on e.cycle_id = c.id where e.id = $1`, [ids.evalRounded])
    expect(row.rows[0]).toEqual({ period_start: '2026-10-01', total: 87.46 })
    // The text format checks of the delegations are back.
    await expect(owner.query(`update delegations set to_date = '25/10/2026' where id = $1`, [ids.delegation])).rejects.toThrow(/delegations_to_date_check/)
    const again = await migratorOf(system.db).migrateToLatest()
    expect(again.error).toBeUndefined()
    expect((await api('/api/audit/verify')).body.ok).toBe(true)
  })
})

describe('migration 015 on data that does not convert', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-coltypes-bad-'))
  let database: { url: string; drop(): Promise<void> }
  let db: Db
  let owner: pg.Client

  beforeAll(async () => {
    database = await createTestDatabase('coltypes_bad')
    db = await openDatabase({ databaseUrl: database.url, dataDir })
    expect((await migratorOf(db).migrateTo(BEFORE)).error).toBeUndefined()
    owner = new pg.Client({ connectionString: database.url })
    await owner.connect()
  })
  afterAll(async () => {
    await owner?.end()
    await db?.destroy()
    await database?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('stops before changing anything, naming each table, column and value, and goes through once they are corrected', async () => {
    // 30/02 passed the catalogue's older check (Date.parse accepts it); a day in another format.
    await owner.query(
      `insert into catalogue_products (code, name, unit_of_measure, k, norm_hours, group_code, position_codes, valid_from, valid_to)
       values ('A01', 'Họp', 'cuộc', 1, 1, 'A', '[]', '2026-02-30', null), ('A02', 'Họp', 'cuộc', 1, 1, 'A', '[]', '2026-01-01', '31/12/2026')`,
    )
    // A total numeric(6,2) cannot hold.
    const one = async (text: string, params: unknown[] = []) => (await owner.query<{ id: number }>(text, params)).rows[0]!.id
    const unit = await one(`insert into units (code, name) values ('U', 'Đơn vị') returning id`)
    const staff = await one(`insert into staff (username, full_name, unit_id, password_hash) values ('a', 'A', $1, 'x') returning id`, [unit])
    const ruleSet = await one(`insert into rulesets (code, version, status, definition, hash) values ('R', 1, 'published', '{}', 'h') returning id`)
    const cycle = await one(
      `insert into cycles (name, period_kind, period_start, period_end, ruleset_id, status, unit_ids, durations, created_by) values ('K', 'month', '2026-10-01', '2026-10-31', $1, 'OPEN', '[]', '{}', $2) returning id`,
      [ruleSet, staff],
    )
    const tooBig = await one(
      `insert into evaluations (cycle_id, staff_id, unit_id, rule_role, stage, data, reviewer_ids, sign_off_ids, ruleset_id, rule_hash, total)
       values ($1, $2, $3, 'staff', 'CLASSIFIED', '{}', '[]', '[]', $4, 'h', 12345.6) returning id`,
      [cycle, staff, unit, ruleSet],
    )
    const message = await migrationError(db)
    expect(message).toContain(`migration ${MIGRATION} failed`)
    expect(message).toContain('catalogue_products.valid_from: "2026-02-30"')
    expect(message).toContain('catalogue_products.valid_to: "31/12/2026"')
    expect(message).toContain(`evaluations.total: id ${tooBig} = 12345.6`)
    expect(message).not.toContain('cycles.')
    // Nothing changed: still at 014, the helper function gone with the rolled-back transaction.
    expect(await columnTypes(owner, ['catalogue_products.valid_from', 'evaluations.total'])).toEqual({ 'catalogue_products.valid_from': 'text', 'evaluations.total': 'double precision' })
    expect((await owner.query(`select count(*)::int as n from pg_proc where proname = 'kpi_015_is_day'`)).rows[0].n).toBe(0)

    await owner.query(`update catalogue_products set valid_from = '2026-02-28' where valid_from = '2026-02-30'`)
    await owner.query(`update catalogue_products set valid_to = '2026-12-31' where valid_to = '31/12/2026'`)
    await owner.query(`update evaluations set total = 99.999 where id = $1`, [tooBig])
    expect(await migrationError(db)).toBeUndefined()
    const rows = await db.selectFrom('catalogue_products').select(['code', 'valid_from', 'valid_to']).orderBy('code').execute()
    expect(rows).toEqual([
      { code: 'A01', valid_from: '2026-02-28', valid_to: null },
      { code: 'A02', valid_from: '2026-01-01', valid_to: '2026-12-31' },
    ])
    expect((await db.selectFrom('evaluations').select('total').where('id', '=', tooBig).executeTakeFirstOrThrow()).total).toBe(100)
  })
})

describe('PGlite reads dates and numerics as the pg pool does', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpi-coltypes-pglite-'))
  let db: Db
  afterAll(async () => {
    await db?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('migrates to 015 and returns a day as yyyy-mm-dd, a numeric as a number', async () => {
    db = await openDatabase({ dataDir })
    await migrate(db)
    const { rows } = await sql<{ d: unknown; n: unknown; total: string }>`
      select date '2026-10-01' as d, 87.46::numeric(6,2) as n,
        (select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'evaluations'::regclass and attname = 'total') as total`.execute(db)
    expect(rows[0]).toEqual({ d: '2026-10-01', n: 87.46, total: 'numeric(6,2)' })
  }, 120_000)
})
