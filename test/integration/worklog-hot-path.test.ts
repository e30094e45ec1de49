import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../server/audit/audit-chain.repo.js'
import { migrate, openDatabase, type Db } from '../../server/db/database.js'
import { ApiError } from '../../server/errors.js'
import type { SessionUser } from '../../server/http/context.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { addProductVersions } from '../../server/worklog/catalogue.repo.js'
import { createWorkItem } from '../../server/worklog/work-items.service.js'
import { eachStaffMonths, staffMonths, type StaffMonthRow } from '../../server/worklog/unit-summary.repo.js'
import { hoursLogged, productFiguresByStaff, unitMonthJson, unitSummary } from '../../server/worklog/worklog.summary.js'
import { createTestDatabase } from '../support/database.js'

/**
 * The work log's hot paths on both databases: recording items concurrently (batched reads, one
 * statement per group of writes with their audit events) and the month summary's one statement.
 */
describe.each(['postgresql', 'pglite'] as const)('the work log hot paths on %s', (engine) => {
  let db: Db
  let done: () => Promise<void>
  let head: SessionUser
  let staff: SessionUser[]
  let unitId: number

  const user = async (username: string): Promise<SessionUser> => {
    const s = await db.selectFrom('staff').select(['id', 'username', 'full_name', 'roles', 'unit_id']).where('username', '=', username).executeTakeFirstOrThrow()
    return { id: s.id, username: s.username, fullName: s.full_name, roles: s.roles, unitId: s.unit_id }
  }
  /** The error code a call is refused with, or 'ok'. */
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (err: unknown) => (err instanceof ApiError ? err.code : String((err as { code?: unknown }).code)),
    )

  beforeAll(async () => {
    if (engine === 'postgresql') {
      const database = await createTestDatabase('hotpath')
      db = await openDatabase({ databaseUrl: database.url, dataDir: tmpdir(), poolSize: 10 })
      done = async () => {
        await db.destroy()
        await database.drop()
      }
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'kpi-hotpath-pglite-'))
      db = await openDatabase({ dataDir })
      done = async () => {
        await db.destroy()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
    await migrate(db)
    await bootstrap(db, { adminPassword: 'hot-path-admin-1', seedDemo: true, demoPassword: 'hot-path-demo-1' })
    head = await user('tp.phamlan')
    staff = await Promise.all(['cv.maiphuong', 'cv.hoangnam', 'cv.huynhduc', 'cv.tongmai', 'cv.lyson'].map(user))
    unitId = head.unitId!
  })
  afterAll(async () => done?.())

  it('records concurrent items, each with its own audit event, the chain intact, the refused ones writing nothing', async () => {
    const products = ['B01', 'B02', 'B05']
    const asks = Array.from({ length: 30 }, (_, i) => {
      const member = staff[i % staff.length]!
      const input = { productCode: products[i % 3]!, quantity: 1 + (i % 4), assignedOn: '2026-10-01', dueOn: '2026-10-20', title: `Việc ${i}` }
      // Every third one is the staff member's own plan or arising task; the rest the head assigns.
      if (i % 3 === 0) return { by: member, input: { ...input, ...(i % 2 ? { kind: 'arising' as const } : {}) } }
      return { by: head, input: { ...input, staffId: member.id } }
    })
    const refused = [
      { by: head, input: { staffId: staff[0]!.id, productCode: 'ZZ9', quantity: 1, assignedOn: '2026-10-01', dueOn: '2026-10-20' }, code: 'UNKNOWN_PRODUCT' },
      { by: head, input: { staffId: staff[1]!.id, productCode: 'A01', quantity: 1, assignedOn: '2026-10-01', dueOn: '2026-10-20' }, code: 'PRODUCT_NOT_FOR_POSITION' },
      { by: staff[2]!, input: { staffId: staff[3]!.id, productCode: 'B01', quantity: 1, assignedOn: '2026-10-01', dueOn: '2026-10-20' }, code: 'FORBIDDEN' },
      // PostgreSQL refuses a NUL in text: that item's group is retried item by item, and only it fails,
      // whether the NUL is in what is written or in what is read first.
      { by: head, input: { staffId: staff[4]!.id, productCode: 'B01', quantity: 1, assignedOn: '2026-10-01', dueOn: '2026-10-20', title: 'nul \u0000' }, code: '22' },
      { by: head, input: { staffId: staff[4]!.id, productCode: 'B\u000001', quantity: 1, assignedOn: '2026-10-01', dueOn: '2026-10-20' }, code: '22' },
    ]
    const before = Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const [rows, outcomes] = await Promise.all([Promise.all(asks.map((a) => createWorkItem(db, a.by, a.input))), Promise.all(refused.map((r) => outcome(createWorkItem(db, r.by, r.input))))])

    expect(outcomes.map((o) => (/^22/.test(o) ? '22' : o))).toEqual(refused.map((r) => r.code))

    expect(new Set(rows.map((r) => r.id)).size).toBe(30)
    rows.forEach((row, i) => {
      const { by, input } = asks[i]!
      const own = !('staffId' in input)
      expect(row).toMatchObject({ staff_id: own ? by.id : input.staffId, unit_id: unitId, product_code: input.productCode, title: input.title, quantity: input.quantity, created_by: by.id })
      expect(row.kind).toBe(own ? ('kind' in input ? 'arising' : 'planned') : 'assigned')
      expect(row.status).toBe(row.kind === 'arising' ? 'PROPOSED' : 'OPEN')
      expect(row.full_name).toBe(staff[i % staff.length]!.fullName)
      expect(row.product_name.length).toBeGreaterThan(0)
    })
    const events = await db.selectFrom('audit_events').select(['actor_id', 'entity_id', 'action', 'data']).where('entity', '=', 'work_item').where('entity_id', 'in', rows.map((r) => String(r.id))).execute()
    expect(events).toHaveLength(30)
    for (const [i, row] of rows.entries()) {
      const event = events.find((e) => e.entity_id === String(row.id))!
      expect(event).toMatchObject({ actor_id: asks[i]!.by.id, action: 'create', data: { ...asks[i]!.input, kind: row.kind } })
    }
    const after = Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    expect(after - before).toBe(30)
    expect(await db.selectFrom('work_items').select('id').where('title', 'like', 'nul%').execute()).toEqual([])
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  it("sums the month in one statement exactly as the per-person query does: versions merged by k, delays, hours", async () => {
    const admin = await user('admin')
    // B01 gets a new version with the same k mid-month (one line), B02 one with another k (two lines).
    await addProductVersions(db, [{ code: 'B01', name: 'Soạn thảo công văn (mẫu mới)', unit: 'văn bản', k: 1, normHours: 2, group: 'B', positions: ['CV', 'CVC', 'TP', 'PTP'], validFrom: '2026-11-15' }], admin.id)
    await addProductVersions(db, [{ code: 'B02', name: 'Soạn thảo tờ trình, báo cáo chuyên đề', unit: 'báo cáo', k: 4, normHours: 8, group: 'B', positions: ['CV', 'CVC', 'TP', 'PTP'], validFrom: '2026-11-15' }], admin.id)
    const statuses = ['OPEN', 'DONE', 'CONFIRMED', 'CONFIRMED', 'DONE', 'CONFIRMED', 'PROPOSED', 'REJECTED'] as const
    let n = 0
    for (const member of staff.slice(0, 4)) {
      for (const assignedOn of ['2026-11-02', '2026-11-16']) {
        for (const code of ['B01', 'B02', 'B05']) {
          const item = await createWorkItem(db, head, { staffId: member.id, productCode: code, quantity: 0.1 * (1 + (n % 3)), assignedOn, dueOn: assignedOn.replace(/\d\d$/, (d) => String(Number(d) + 5).padStart(2, '0')) })
          const status = statuses[n % statuses.length]!
          await db
            .updateTable('work_items')
            .set({
              status,
              done_quantity: status === 'OPEN' ? 0 : 0.1 * (n % 3),
              completed_on: status === 'DONE' || status === 'CONFIRMED' ? (n % 4 === 0 ? '2026-11-29' : item.due_on) : null,
              extended_to: n % 5 === 0 ? '2026-11-30' : null,
              quality_failures: status === 'CONFIRMED' ? n % 2 : 0,
            })
            .where('id', '=', item.id)
            .execute()
          await db.insertInto('work_item_updates').values({ work_item_id: item.id, kind: 'progress', on_date: assignedOn, hours: 0.1 + (n % 3), by_id: member.id }).execute()
          n++
        }
      }
    }
    const asOf = '2026-11-25'
    const month = await unitSummary(db, [unitId], '2026-11-01', '2026-11-30', asOf)
    const everyone = await db.selectFrom('staff').select('id').where('unit_id', '=', unitId).where('active', '=', true).orderBy('id').execute()
    expect(month.map((s) => s.staffId)).toEqual(everyone.map((s) => s.id))
    const hours = await hoursLogged(db, { unitIds: [unitId] }, '2026-11-01', '2026-11-30')
    for (const row of month) {
      const expected = (await productFiguresByStaff(db, { staffIds: [row.staffId] }, '2026-11-01', '2026-11-30', asOf)).get(row.staffId) ?? []
      expect(row.products).toEqual(expected)
      expect(row.hours).toBe(hours.get(row.staffId) ?? 0)
    }
    const first = month.find((s) => s.staffId === staff[0]!.id)!
    expect(first.products.map((p) => `${p.code}×${p.k}`)).toEqual(['B01×1', 'B02×3', 'B02×4', 'B05×1.5'])
    expect(first.scores).not.toBeNull()
  })

  it("reads a province's figures by staff id: 70,000 ids, more than a statement's 65,535 parameters, give what the unit's do", async () => {
    // Launching a cycle reads every person's work-log figures by id: one array parameter, not an IN list of 50,000.
    const members = await db.selectFrom('staff').select('id').where('unit_id', '=', unitId).orderBy('id').execute()
    const ids = [...members.map((m) => m.id), ...Array.from({ length: 70_000 - members.length }, (_, i) => 1_000_000 + i)]
    const byIds = await productFiguresByStaff(db, { staffIds: ids }, '2026-11-01', '2026-11-30', '2026-11-25')
    const byUnit = await productFiguresByStaff(db, { unitIds: [unitId] }, '2026-11-01', '2026-11-30', '2026-11-25')
    expect(byUnit.size).toBeGreaterThan(0)
    expect(byIds).toEqual(byUnit)
    expect(await hoursLogged(db, { staffIds: ids }, '2026-11-01', '2026-11-30')).toEqual(await hoursLogged(db, { unitIds: [unitId] }, '2026-11-01', '2026-11-30'))
    expect((await productFiguresByStaff(db, { staffIds: [] }, '2026-11-01', '2026-11-30', '2026-11-25')).size).toBe(0)
  })

  it("hands the month's statement over batch by batch in the same order, and its JSON answer is JSON.stringify's, byte for byte", async () => {
    const [from, to, asOf] = ['2026-11-01', '2026-11-30', '2026-11-25']
    const all = await staffMonths(db, [unitId], from, to, asOf)
    expect(all.length).toBeGreaterThan(4)
    const batches: StaffMonthRow[][] = []
    await eachStaffMonths(db, [unitId], from, to, asOf, 2, (rows) => {
      batches.push(rows)
    })
    expect(batches.flat()).toEqual(all)
    expect(batches.slice(0, -1).map((b) => b.length)).toEqual(batches.slice(0, -1).map(() => 2))
    // A batch that fails ends the walk with its error; the connection (PGlite's only one) is free after.
    await expect(
      eachStaffMonths(db, [unitId], from, to, asOf, 2, () => {
        throw new Error('the batch failed')
      }),
    ).rejects.toThrow('the batch failed')
    expect(await staffMonths(db, [unitId], from, to, asOf)).toEqual(all)

    const expected = JSON.stringify({ month: '2026-11', from, to, staff: await unitSummary(db, [unitId], from, to, asOf) })
    for (const batch of [1, 3, 500]) expect(Buffer.from(await unitMonthJson(db, '2026-11', [unitId], from, to, asOf, batch)).toString()).toBe(expected)
    expect(Buffer.from(await unitMonthJson(db, '2026-11', [], from, to, asOf)).toString()).toBe(JSON.stringify({ month: '2026-11', from, to, staff: [] }))
  })
})
