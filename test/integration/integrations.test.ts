import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signBody } from '../../server/integrations/api-keys.js'
import { startTestSystem, type ApiResponse, type TestSystem } from '../support/harness.js'

/**
 * Connected systems (issue 15): API keys (create, use, rotate, revoke), signed bodies, tasks in
 * as work items (idempotent by external id, moved by later updates, refused rows reported with
 * nothing half-written, read-only for staff), the CSV import of the same rows, personal IDs.
 */
describe('connected systems: keys, signatures and tasks in', () => {
  let t: TestSystem
  let admin: string
  let systemId: number
  let key: string
  let secret: string

  /** Calls a key route as a system would: raw body, X-KPI-Key, optionally signed. */
  const call = async (path: string, body: unknown, options: { key?: string; sign?: { secret: string; at?: number }; token?: string } = {}): Promise<ApiResponse> => {
    const text = JSON.stringify(body)
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (options.key) headers['x-kpi-key'] = options.key
    if (options.token) headers['authorization'] = `Bearer ${options.token}`
    if (options.sign) {
      const ts = String(Math.floor((options.sign.at ?? Date.now()) / 1000))
      headers['x-kpi-timestamp'] = ts
      headers['x-kpi-signature'] = signBody(options.sign.secret, ts, text)
    }
    const res = await t.system.app.request(path, { method: 'POST', headers, body: text })
    return { status: res.status, body: await res.json() }
  }
  const task = (externalId: string, over: Record<string, unknown> = {}) => ({ externalId, username: 'cv.maiphuong', productCode: 'B01', title: `Công văn ${externalId}`, quantity: 2, assignedOn: '2026-10-05', dueOn: '2026-10-15', status: 'assigned', ...over })
  const itemOf = (externalId: string) =>
    t.system.db.withTables<{ work_items: { source_system_id: number | null; external_id: string | null } }>().selectFrom('work_items').selectAll().where('source_system_id', '=', systemId).where('external_id', '=', externalId).execute()

  beforeAll(async () => {
    t = await startTestSystem({ label: 'integrations', worker: false })
    admin = await t.login('admin')
    const created = await t.api('POST', '/api/integrations/systems', admin, { code: 'eoffice', name: 'Hệ thống quản lý văn bản và điều hành (e-Office)' })
    expect(created.status).toBe(201)
    systemId = created.body.id
    key = created.body.issuedKey.key
    secret = created.body.issuedKey.signingSecret
    expect(key).toMatch(/^kpi_[\w-]{43}$/)
  })
  afterAll(async () => t?.stop())

  it('stores personal IDs validated and unique, for admins only', async () => {
    const staff = (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string }[]
    const id = (u: string) => staff.find((s) => s.username === u)!.id
    const set = (u: string, personalId: string | null) => t.api('PATCH', `/api/staff/${id(u)}`, admin, { personalId })
    expect((await set('cv.maiphuong', '079190012345')).status).toBe(200)
    for (const bad of ['07919001234', '07919001234x', '099190012345', '079290012345']) {
      const res = await set('cv.hoangnam', bad)
      expect(res.status, bad).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
    expect((await set('cv.hoangnam', '079190012345')).body.error.code).toBe('DUPLICATE')
    expect((await set('cv.hoangnam', '001085000777')).status).toBe(200)
    const listed = (await t.api('GET', '/api/staff', admin)).body as { username: string; personalId: string | null }[]
    expect(listed.find((s) => s.username === 'cv.maiphuong')!.personalId).toBe('079190012345')
    const asHead = (await t.api('GET', '/api/staff', await t.login('tp.phamlan'))).body as Record<string, unknown>[]
    expect(asHead.every((s) => !('personalId' in s))).toBe(true)
    // The staff import takes the column too, and refuses a duplicate within the file.
    const csv = 'username,fullName,unitCode,positionCode,roles,personalId\nnv.mot,Nguyễn Văn Một,CCHC,CV,staff,036095001111\nnv.hai,Nguyễn Văn Hai,CCHC,CV,staff,036095001111\n'
    const dry = await t.api('POST', '/api/staff/import?dryRun=true', admin, csv)
    expect(dry.body.errors).toEqual([expect.objectContaining({ row: 2, path: 'personalId' })])
  })

  it('upserts tasks by external id: a replay changes nothing, later updates move the item', async () => {
    const batch = { tasks: [task('VB-1'), task('VB-2', { personalId: '079190012345', username: undefined })] }
    const first = await call('/api/integrations/tasks', batch, { key })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0, rejected: [] })
    const replay = await call('/api/integrations/tasks', batch, { key })
    expect(replay.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: [] })
    expect(await itemOf('VB-1')).toHaveLength(1)
    expect((await itemOf('VB-1'))[0]).toMatchObject({ status: 'OPEN', kind: 'assigned', quantity: 2, title: 'Công văn VB-1' })

    const moved = await call('/api/integrations/tasks', {
      tasks: [task('VB-1', { status: 'done', completedOn: '2026-10-14', doneQuantity: 2 }), task('VB-2', { status: 'extended', extendedTo: '2026-10-25' })],
    }, { key })
    expect(moved.body).toMatchObject({ created: 0, updated: 2, unchanged: 0, rejected: [] })
    expect((await itemOf('VB-1'))[0]).toMatchObject({ status: 'DONE', completed_on: '2026-10-14', done_quantity: 2 })
    expect((await itemOf('VB-2'))[0]).toMatchObject({ status: 'OPEN', extended_to: '2026-10-25' })
    const cancelled = await call('/api/integrations/tasks', { tasks: [task('VB-2', { status: 'cancelled' })] }, { key })
    expect(cancelled.body.updated).toBe(1)
    expect((await itemOf('VB-2'))[0]!.status).toBe('REJECTED')
    // Each change is audited as the system's.
    const audited = await t.system.db.selectFrom('audit_events').select(['action']).where('entity', '=', 'work_item').where('entity_id', '=', String((await itemOf('VB-1'))[0]!.id)).orderBy('id').execute()
    expect(audited.map((a) => a.action)).toEqual(['systemCreate', 'systemUpdate'])
  })

  it('reports unknown people and products per row and writes nothing of them', async () => {
    const res = await call('/api/integrations/tasks', {
      tasks: [task('VB-10'), task('VB-11', { username: 'khong.co' }), task('VB-12', { productCode: 'ZZZ' }), task('VB-13', { productCode: 'L01' }), task('VB-14', { quantity: -1 }), task('VB-10')],
    }, { key })
    expect(res.status).toBe(200)
    expect(res.body.created).toBe(1)
    expect(res.body.rejected.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
      [2, 'UNKNOWN_PERSON'],
      [3, 'UNKNOWN_PRODUCT'],
      [4, 'PRODUCT_NOT_FOR_POSITION'],
      [5, 'VALIDATION_FAILED'],
      [6, 'DUPLICATE_IN_BATCH'],
    ])
    expect(res.body.rejected[0].message).toContain('khong.co')
    for (const id of ['VB-11', 'VB-12', 'VB-13', 'VB-14']) expect(await itemOf(id)).toEqual([])
    // The admin sees the call and its refused rows.
    const calls = (await t.api('GET', `/api/integrations/calls?systemId=${systemId}&limit=1`, admin)).body
    expect(calls[0]).toMatchObject({ endpoint: 'POST /api/integrations/tasks', status: 200, rows: 6, accepted: 1 })
    expect(calls[0].rejected).toHaveLength(5)
  })

  it('keeps system items read-only for staff; the unit head still confirms their quality', async () => {
    const [item] = await itemOf('VB-10')
    const staff = await t.login('cv.maiphuong')
    const progress = await t.api('PATCH', `/api/work-items/${item!.id}`, staff, { progress: { date: '2026-10-06', hours: 1 } })
    expect(progress.status).toBe(409)
    expect(progress.body.error.code).toBe('SYSTEM_ITEM_READ_ONLY')
    const head = await t.login('tp.phamlan')
    expect((await t.api('POST', `/api/work-items/${item!.id}/extend`, head, { until: '2026-10-30', reason: 'Gia hạn thử' })).body.error.code).toBe('SYSTEM_ITEM_READ_ONLY')
    const [done] = await itemOf('VB-1')
    expect((await t.api('POST', `/api/work-items/${done!.id}/confirm`, head, { qualityFailures: [] })).status).toBe(200)
    // Confirmed, the item is closed for the system too: a change is refused, the same data is a no-op.
    const again = await call('/api/integrations/tasks', { tasks: [task('VB-1', { status: 'done', completedOn: '2026-10-14', doneQuantity: 2 })] }, { key })
    expect(again.body).toMatchObject({ unchanged: 1, rejected: [] })
    const changed = await call('/api/integrations/tasks', { tasks: [task('VB-1', { status: 'done', completedOn: '2026-10-14', doneQuantity: 1 })] }, { key })
    expect(changed.body.rejected[0].code).toBe('ITEM_CONFIRMED')
  })

  it('checks signatures: a good one passes, a bad one, an expired timestamp or none where required is 401', async () => {
    const body = { tasks: [task('VB-20')] }
    expect((await call('/api/integrations/tasks', body, { key, sign: { secret } })).status).toBe(200)
    // Signed over the body exactly as sent, whatever its layout and Content-Type (a system may send text/plain).
    const spaced = `{ "tasks" : [ ${JSON.stringify(task('VB-23'))} ] }\n`
    const sentAt = String(Math.floor(Date.now() / 1000))
    const plain = await t.system.app.request('/api/integrations/tasks', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-kpi-key': key, 'x-kpi-timestamp': sentAt, 'x-kpi-signature': signBody(secret, sentAt, spaced) }, body: spaced })
    expect(plain.status).toBe(200)
    expect(await itemOf('VB-23')).toHaveLength(1)
    const bad = await call('/api/integrations/tasks', body, { key, sign: { secret: 'not-the-secret' } })
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } })
    const old = await call('/api/integrations/tasks', body, { key, sign: { secret, at: Date.now() - 6 * 60_000 } })
    expect(old).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_EXPIRED' } } })
    // A signature made for another body does not pass.
    const ts = String(Math.floor(Date.now() / 1000))
    const forged = await t.system.app.request('/api/integrations/tasks', { method: 'POST', headers: { 'content-type': 'application/json', 'x-kpi-key': key, 'x-kpi-timestamp': ts, 'x-kpi-signature': signBody(secret, ts, JSON.stringify({ tasks: [task('VB-21')] })) }, body: JSON.stringify({ tasks: [task('VB-22')] }) })
    expect(forged.status).toBe(401)
    expect(await itemOf('VB-22')).toEqual([])
    expect((await t.api('PATCH', `/api/integrations/systems/${systemId}`, admin, { requireSignature: true })).status).toBe(200)
    expect((await call('/api/integrations/tasks', body, { key })).body.error.code).toBe('SIGNATURE_MISSING')
    expect((await call('/api/integrations/tasks', body, { key, sign: { secret } })).status).toBe(200)
    expect((await t.api('PATCH', `/api/integrations/systems/${systemId}`, admin, { requireSignature: false })).status).toBe(200)
    const refused = (await t.api('GET', `/api/integrations/calls?systemId=${systemId}`, admin)).body.filter((c: { status: number }) => c.status === 401)
    expect(refused.map((c: { errorCode: string }) => c.errorCode).sort()).toEqual(['SIGNATURE_EXPIRED', 'SIGNATURE_INVALID', 'SIGNATURE_INVALID', 'SIGNATURE_MISSING'])
  })

  it('rotates keys with a grace period and revokes them at once; no key or a session is refused', async () => {
    const rotated = await t.api('POST', `/api/integrations/systems/${systemId}/keys`, admin)
    expect(rotated.status).toBe(201)
    const next = rotated.body.key as string
    expect(next).not.toBe(key)
    // Both work during the grace period.
    expect((await call('/api/integrations/tasks', { tasks: [task('VB-30')] }, { key })).status).toBe(200)
    expect((await call('/api/integrations/tasks', { tasks: [task('VB-30')] }, { key: next, sign: { secret: rotated.body.signingSecret } })).body.unchanged).toBe(1)
    const systems = (await t.api('GET', '/api/integrations/systems', admin)).body
    const keys = systems.find((s: { id: number }) => s.id === systemId).keys as { id: number; state: string; prefix: string }[]
    expect(keys.map((k) => k.state)).toEqual(['expiring', 'active'])
    expect(JSON.stringify(systems)).not.toContain(key)
    const oldId = keys[0]!.id
    expect((await t.api('POST', `/api/integrations/systems/${systemId}/keys/${oldId}/revoke`, admin)).status).toBe(200)
    expect((await t.api('POST', `/api/integrations/systems/${systemId}/keys/${oldId}/revoke`, admin)).status).toBe(409)
    const revoked = await call('/api/integrations/tasks', { tasks: [task('VB-31')] }, { key })
    expect(revoked).toMatchObject({ status: 401, body: { error: { code: 'INVALID_API_KEY' } } })
    expect(await itemOf('VB-31')).toEqual([])
    expect((await call('/api/integrations/tasks', { tasks: [task('VB-31')] }, { key: next })).body.created).toBe(1)
    // Without a key: anonymous 401, a signed-in user 403 (sessions do not call this route).
    expect((await call('/api/integrations/tasks', { tasks: [task('VB-32')] })).status).toBe(401)
    expect((await call('/api/integrations/tasks', { tasks: [task('VB-32')] }, { token: admin })).body.error.code).toBe('API_KEY_REQUIRED')
    const audit = await t.system.db.selectFrom('audit_events').select('action').where('entity', '=', 'integration').where('entity_id', '=', `system:${systemId}`).execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['createSystem', 'rotateKey', 'revokeKey', 'call']))
  })

  it('imports the same rows from CSV (dry run first), as the admin on behalf of a system', async () => {
    const csv = 'externalId,username,productCode,quantity,assignedOn,dueOn,status,completedOn\nVB-40,cv.maiphuong,B01,"1,5",2026-10-06,2026-10-20,done,2026-10-19\nVB-41,ai.do,B01,1,2026-10-06,2026-10-20,assigned,\n'
    const dry = await t.api('POST', `/api/integrations/tasks/import?systemId=${systemId}&dryRun=true`, admin, csv)
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ dryRun: true, created: 0, rejected: [{ row: 2, code: 'UNKNOWN_PERSON' }] })
    expect(await itemOf('VB-40')).toEqual([])
    const done = await t.api('POST', `/api/integrations/tasks/import?systemId=${systemId}`, admin, csv)
    expect(done.body).toMatchObject({ dryRun: false, created: 1 })
    expect((await itemOf('VB-40'))[0]).toMatchObject({ quantity: 1.5, status: 'DONE', done_quantity: 1.5 })
    expect((await t.api('POST', `/api/integrations/tasks/import?systemId=${systemId}`, await t.login('tp.phamlan'), csv)).status).toBe(403)
  })
})
