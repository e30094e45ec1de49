import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendAudit, appendAuditMany } from '../../server/audit/audit.repo.js'
import { verifyAuditChain } from '../../server/audit/audit-chain.repo.js'
import { checkAuditChain, checkAuditChainDaily } from '../../server/audit/audit-check.js'
import { openDatabase, type Db } from '../../server/db/database.js'
import { migrateAsOwner } from '../../server/db/migrate-as-owner.js'
import * as initial from '../../server/db/migrations/2026-11-22-001-initial.js'
import * as worklog from '../../server/db/migrations/2026-11-22-002-worklog.js'
import * as projection from '../../server/db/migrations/2026-12-01-001-projection.js'
import * as auditChain from '../../server/db/migrations/2026-12-01-002-audit-chain.js'
import { adminDatabaseUrl, createTestDatabase } from '../support/database.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/** The error a query failed with (its SQLSTATE and message), or undefined when it succeeded. */
async function failure(query: Promise<unknown>): Promise<{ code: string; message: string } | undefined> {
  try {
    await query
    return undefined
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message }
  }
}

describe('tamper-evident audit on PostgreSQL', () => {
  let t: TestSystem
  let admin: string
  let owner: pg.Client
  const appRole = `kpi_app_${randomBytes(4).toString('hex')}`

  /** Edits rows as the owner with the audit's own triggers off: what only a superuser or the owner can do. */
  const behindTheAppsBack = async (statement: string, params: unknown[] = []) => {
    await owner.query('alter table audit_events disable trigger user')
    try {
      await owner.query(statement, params)
    } finally {
      await owner.query('alter table audit_events enable trigger user')
    }
  }
  const verify = async () => (await t.api('GET', '/api/audit/verify', admin)).body
  const count = async () => Number((await owner.query('select count(*) from audit_events')).rows[0].count)
  const middleEvent = async () => (await owner.query('select id, reason from audit_events order by id offset 3 limit 1')).rows[0] as { id: number; reason: string | null }

  beforeAll(async () => {
    t = await startTestSystem({ label: 'audit', worker: false })
    admin = await t.login('admin')
    owner = new pg.Client({ connectionString: t.config.databaseUrl })
    await owner.connect()
  })
  afterAll(async () => {
    await owner?.end()
    await t?.stop()
    const c = new pg.Client({ connectionString: adminDatabaseUrl() })
    await c.connect()
    await c.query(`drop role if exists ${appRole}`)
    await c.end()
  })

  it('chains every event, concurrent and bulk appends included, and verify says ok for all of them', async () => {
    expect((await t.api('POST', '/api/units', admin, { code: 'KIEMTOAN', name: 'Phòng Kiểm toán | nội bộ \\ thử' })).status).toBe(201)
    // Many transactions at once on the pool (10 connections), retried keys and bulk inserts among them.
    const db = t.system.db
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        db.transaction().execute((trx) => appendAudit(trx, { actor_id: null, entity: 'auth', entity_id: `u${i % 20}`, action: 'probe', reason: `lần ${i} | "x" \\ y`, data: { i, vi: 'Đánh giá' }, idempotency_key: `probe:${i % 20}` })),
      ),
      ...Array.from({ length: 4 }, (_, b) =>
        db.transaction().execute((trx) =>
          appendAuditMany(trx, Array.from({ length: 300 }, (_, i) => ({ actor_id: null, entity: 'cycle' as const, entity_id: String(b), action: 'bulk', reason: null, data: i % 2 ? null : { i }, idempotency_key: `bulk:${b * 200 + i}` }))),
        ),
      ),
    ])
    expect(await owner.query(`select count(*)::int as n from audit_events where idempotency_key like 'probe:%' or idempotency_key like 'bulk:%'`)).toMatchObject({ rows: [{ n: 20 + 900 }] })
    const res = await t.api('GET', '/api/audit/verify', admin)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true, checked: await count(), firstBrokenId: null })
    // Verified a page at a time, the verdict is the same.
    expect(await verifyAuditChain(db, 7)).toEqual(res.body)
    // The head holds the last event's hash; the trigger keeps it under its lock.
    const { rows } = await owner.query('select (select hash from audit_events order by id desc limit 1) = hash as same from audit_chain_head')
    expect(rows[0].same).toBe(true)
  })

  it('finds an event edited, or removed, with the triggers disabled', async () => {
    const target = await middleEvent()
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', ['đã sửa', target.id])
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: target.id })
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', [target.reason, target.id])
    expect(await verify()).toMatchObject({ ok: true })

    // The last event removed: no later row to disagree, but the chain head still names it.
    const last = (await owner.query('select id from audit_events order by id desc limit 1')).rows[0] as { id: number }
    await owner.query('create temporary table removed as select * from audit_events where id = $1', [last.id])
    await behindTheAppsBack('delete from audit_events where id = $1', [last.id])
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: last.id })
    await behindTheAppsBack('insert into audit_events select * from removed')
    expect(await verify()).toEqual({ ok: true, checked: await count(), firstBrokenId: null })
  })

  it('refuses TRUNCATE, UPDATE and DELETE of the audit, even to its owner', async () => {
    expect(await failure(owner.query('truncate audit_events'))).toMatchObject({ message: /append-only/ })
    expect(await failure(owner.query('truncate audit_events, notifications'))).toMatchObject({ message: /append-only/ })
    expect(await failure(owner.query(`update audit_events set reason = 'x'`))).toMatchObject({ message: /append-only/ })
    expect(await failure(owner.query('delete from audit_events'))).toMatchObject({ message: /append-only/ })
    expect((await verify()).ok).toBe(true)
  })

  it('leaves a role that owns no table unable to disable the triggers, truncate or edit the audit, yet able to append', async () => {
    // The grants the README documents for the application's role.
    for (const statement of [
      `create role ${appRole} login`,
      `grant usage on schema public to ${appRole}`,
      `grant select, insert, update, delete on all tables in schema public to ${appRole}`,
      `grant usage on all sequences in schema public to ${appRole}`,
      `revoke insert, update, delete on audit_chain_head from ${appRole}`,
    ]) {
      await owner.query(statement)
    }
    const url = new URL(t.config.databaseUrl!)
    url.username = appRole
    const app = new pg.Client({ connectionString: url.toString() })
    await app.connect()
    try {
      const target = await middleEvent()
      expect(await failure(app.query('alter table audit_events disable trigger user'))).toMatchObject({ code: '42501' })
      expect(await failure(app.query('alter table audit_events disable trigger all'))).toMatchObject({ code: '42501' })
      expect(await failure(app.query('drop trigger audit_events_no_change on audit_events'))).toMatchObject({ code: '42501' })
      expect(await failure(app.query('alter table audit_events drop column hash'))).toMatchObject({ code: '42501' })
      expect(await failure(app.query('truncate audit_events'))).toMatchObject({ code: '42501' })
      expect(await failure(app.query(`update audit_events set reason = 'x' where id = $1`, [target.id]))).toMatchObject({ message: /append-only/ })
      expect(await failure(app.query('delete from audit_events where id = $1', [target.id]))).toMatchObject({ message: /append-only/ })
      expect(await failure(app.query(`update audit_chain_head set hash = 'x'`))).toMatchObject({ code: '42501' })
      // An id and a hash of its own choosing are overwritten by the trigger.
      const forged = await app.query(`insert into audit_events (id, entity, entity_id, action, hash) values (1, 'auth', 'probe', 'forge', 'forged') returning id, hash`)
      expect(forged.rows[0].id).toBeGreaterThan(1)
      expect(forged.rows[0].hash).toMatch(/^[0-9a-f]{64}$/)
    } finally {
      await app.end()
    }
    // The product runs as that role: MIGRATION_DATABASE_URL migrates as the owner, DATABASE_URL appends.
    const appDb = await openDatabase({ databaseUrl: url.toString(), dataDir: t.config.dataDir, poolSize: 2 })
    try {
      await migrateAsOwner(appDb, { databaseUrl: url.toString(), migrationDatabaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir })
      expect(await appendAudit(appDb, { actor_id: null, entity: 'auth', entity_id: 'probe', action: 'appRole', reason: null, idempotency_key: 'app-role:1' })).toBe(true)
      expect(await appendAudit(appDb, { actor_id: null, entity: 'auth', entity_id: 'probe', action: 'appRole', reason: null, idempotency_key: 'app-role:1' })).toBe(false)
      expect(await verifyAuditChain(appDb)).toEqual({ ok: true, checked: await count(), firstBrokenId: null })
    } finally {
      await appDb.destroy()
    }
  })

  it('answers the verdict to admins only', async () => {
    expect((await t.api('GET', '/api/audit/verify', await t.login('cv.maiphuong'))).status).toBe(403)
    expect((await t.api('GET', '/api/audit/verify', await t.login('gd.tranminh'))).status).toBe(403)
    expect((await t.api('GET', '/api/audit/verify')).status).toBe(401)
  })

  it('the daily check tells every active admin of a break, once per broken event', async () => {
    const created = await t.api('POST', '/api/staff', admin, { username: 'qt.kiemtoan', fullName: 'Quản trị Kiểm toán', roles: ['admin'], password: 'admin-two-pass-1' })
    expect(created.status).toBe(201)
    const second = await t.login('qt.kiemtoan', 'admin-two-pass-1')
    const alerts = async (token: string) => (await t.api('GET', '/api/notifications', token)).body.filter((n: { kind: string }) => n.kind === 'AUDIT_CHAIN_BROKEN')

    expect(await checkAuditChain(t.system.db)).toMatchObject({ ok: true })
    expect(await alerts(admin)).toEqual([])

    const target = await middleEvent()
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', ['giả mạo', target.id])
    expect(await checkAuditChain(t.system.db)).toMatchObject({ ok: false, firstBrokenId: target.id })
    expect(await checkAuditChain(t.system.db)).toMatchObject({ ok: false, firstBrokenId: target.id })
    for (const token of [admin, second]) {
      const mine = await alerts(token)
      expect(mine).toHaveLength(1)
      expect(mine[0].message).toContain(`#${target.id}`)
      expect(mine[0].messageEn).toContain(`#${target.id}`)
    }
    expect(await alerts(await t.login('cv.maiphuong'))).toEqual([])

    // The scheduled check (as the worker runs it) reports a new break.
    const other = (await owner.query('select id, reason from audit_events where id < $1 order by id desc limit 1', [target.id])).rows[0] as { id: number; reason: string | null }
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', ['giả mạo nữa', other.id])
    const stop = checkAuditChainDaily(t.system.db, { firstDelayMs: 10, intervalMs: 60_000 })
    try {
      await eventually(async () => (await alerts(admin)).some((n: { message: string }) => n.message.includes(`#${other.id}`)), 10_000, 'a scheduled alert')
    } finally {
      stop()
    }
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', [other.reason, other.id])
    await behindTheAppsBack('update audit_events set reason = $1 where id = $2', [target.reason, target.id])
    expect((await verify()).ok).toBe(true)
  })
})

/** The chain of events written before the migration, on both engines. */
async function backfillScenario(db: Db, superuser: (statement: string) => Promise<unknown>, beforeChain: () => Promise<void> = async () => {}): Promise<void> {
  await initial.up(db)
  await worklog.up(db)
  await projection.up(db)
  const before = [
    { entity: 'auth', entity_id: '1', action: 'login', reason: 'a|b\\c', data: JSON.stringify({ z: 1, a: [1.50, 'Đạt'], 'k|\\': null }) },
    { entity: 'cycle', entity_id: '2', action: 'launch', reason: null, data: null, idempotency_key: 'cycle:2:launch' },
    { entity: 'cycle', entity_id: '2', action: 'note', reason: '\\N', data: 'null' },
  ]
  await db.insertInto('audit_events').values(before as never).execute()
  await beforeChain()
  await auditChain.up(db)
  expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 3, firstBrokenId: null })

  expect(await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: '2', action: 'launch', reason: null, idempotency_key: 'cycle:2:launch' })).toBe(false)
  expect(await appendAudit(db, { actor_id: null, entity: 'cycle', entity_id: '2', action: 'rank', reason: 'xếp hạng', data: { n: 2 }, idempotency_key: 'cycle:2:rank' })).toBe(true)
  await appendAuditMany(db, [
    { actor_id: null, entity: 'cycle', entity_id: '2', action: 'rank', reason: null, idempotency_key: 'cycle:2:rank' },
    { actor_id: null, entity: 'unit', entity_id: '2:1', action: 'signOff', reason: null, data: { evaluations: [1, 2] } },
  ])
  expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 5, firstBrokenId: null })

  expect(await failure(sql`truncate audit_events`.execute(db))).toMatchObject({ message: /append-only/ })
  expect(await failure(sql`update audit_events set reason = 'x'`.execute(db))).toMatchObject({ message: /append-only/ })
  await superuser('alter table audit_events disable trigger user')
  await superuser(`update audit_events set data = '{"z": 2, "a": [1.50, "Đạt"], "k|\\\\": null}' where id = 1`)
  await superuser('alter table audit_events enable trigger user')
  expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: 1, firstBrokenId: 1 })
}

describe('the audit-chain migration chains the events already there', () => {
  it('on PostgreSQL, taking back the writes default privileges would give the app on the chain head', async () => {
    const database = await createTestDatabase('audit')
    const db = await openDatabase({ databaseUrl: database.url, dataDir: tmpdir(), poolSize: 2 })
    const role = `kpi_app_${randomBytes(4).toString('hex')}`
    const can = async (privilege: string) => (await sql<{ can: boolean }>`select has_table_privilege(${role}, 'audit_chain_head', ${privilege}) as can`.execute(db)).rows[0]!.can
    try {
      await backfillScenario(db, (statement) => sql.raw(statement).execute(db), async () => {
        await sql.raw(`create role ${role}`).execute(db)
        await sql.raw(`alter default privileges in schema public grant select, insert, update, delete, truncate on tables to ${role}`).execute(db)
      })
      expect({ select: await can('SELECT'), insert: await can('INSERT'), update: await can('UPDATE'), delete: await can('DELETE'), truncate: await can('TRUNCATE') }).toEqual({
        select: true,
        insert: false,
        update: false,
        delete: false,
        truncate: false,
      })
    } finally {
      await db.destroy()
      await database.drop()
      const c = new pg.Client({ connectionString: adminDatabaseUrl() })
      await c.connect()
      await c.query(`drop role if exists ${role}`)
      await c.end()
    }
  })

  it('on PGlite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kpi-audit-pglite-'))
    const db = await openDatabase({ dataDir })
    try {
      await backfillScenario(db, (statement) => sql.raw(statement).execute(db))
    } finally {
      await db.destroy()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
