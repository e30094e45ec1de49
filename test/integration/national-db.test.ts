import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doc } from '../support/documents.js'
import { eventually, startTestSystem, type TestSystem } from '../support/harness.js'

/**
 * Results out (issue 15): a local HTTP receiver plays the national database — down at first (503),
 * then up, accepting every record but one, which it refuses with a reason. Every record ends sent or
 * refused (or invalid, for a person without a personal ID), none is accepted twice; after the admin
 * corrects the refused and the missing IDs, a new send delivers those alone.
 */
describe('results out to the national database', () => {
  let t: TestSystem
  let admin: string
  let receiver: Server
  let cycleId: number
  const REFUSED = '001090000004'
  const received: { key: string; ids: string[]; status: number; auth: string | undefined }[] = []
  const accepted = new Map<string, number>()
  let downFor = 3
  /** The personal IDs the receiver accepts at the first send, and how many CCHC members are evaluated. */
  let others: string[] = []
  let everyone = 0

  const startReceiver = () =>
    new Promise<number>((resolve) => {
      receiver = createServer((req, res) => {
        let text = ''
        req.on('data', (chunk: Buffer) => (text += chunk.toString()))
        req.on('end', () => {
          const records = (JSON.parse(text) as { records: { personalId: string }[] }).records
          const down = downFor > 0
          if (down) downFor--
          received.push({ key: String(req.headers['idempotency-key']), ids: records.map((r) => r.personalId), status: down ? 503 : 200, auth: req.headers.authorization })
          if (down) return void res.writeHead(503).end('Bảo trì / maintenance')
          const results = records.map((r) => {
            if (r.personalId === REFUSED) return { personalId: r.personalId, ok: false, reason: 'Số định danh không có trong CSDL quốc gia' }
            accepted.set(r.personalId, (accepted.get(r.personalId) ?? 0) + 1)
            return { personalId: r.personalId, ok: true }
          })
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }))
        })
      })
      receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as AddressInfo).port))
    })

  beforeAll(async () => {
    const port = await startReceiver()
    process.env['NATIONAL_DB_URL'] = `http://127.0.0.1:${port}/ket-qua`
    process.env['NATIONAL_DB_TOKEN'] = 'the-issued-credential'
    process.env['NATIONAL_DB_BATCH_SIZE'] = '2'
    t = await startTestSystem({ label: 'integrations' })
    admin = await t.login('admin')
    const units = (await t.api('GET', '/api/units', admin)).body as { id: number; code: string }[]
    const cchc = units.find((u) => u.code === 'CCHC')!.id
    const staff = (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string }[]
    const usernames = new Map(staff.map((s) => [s.id, s.username]))
    // Personal IDs through the API; cv.hoangnam has none yet.
    const ids: Record<string, string> = { 'tp.phamlan': '079185000001', 'cvc.luongtuan': '079088000002', 'cv.maiphuong': REFUSED }
    const members = (await t.system.db.selectFrom('staff').select('username').where('unit_id', '=', cchc).where('active', '=', true).execute()).map((s) => s.username)
    members.filter((u) => !(u in ids) && u !== 'cv.hoangnam').forEach((u, i) => (ids[u] = `0480920001${String(i).padStart(2, '0')}`))
    for (const [username, personalId] of Object.entries(ids)) {
      const id = staff.find((s) => s.username === username)!.id
      expect((await t.api('PATCH', `/api/staff/${id}`, admin, { personalId })).status).toBe(200)
    }
    others = Object.values(ids).filter((v) => v !== REFUSED).sort()
    everyone = members.length
    const launched = await t.api('POST', '/api/cycles', admin, { name: 'Tháng 10/2026', periodKind: 'month', periodStart: '2026-10-01', periodEnd: '2026-10-31', ruleSetId: 1, unitIds: [cchc] })
    expect(launched.status).toBe(201)
    cycleId = launched.body.id
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'OPEN', 60_000, 'open')
    const rows = await t.system.db.selectFrom('evaluations as e').innerJoin('staff as s', 's.id', 'e.staff_id').select(['e.id', 's.username', 'e.reviewer_ids']).where('e.cycle_id', '=', cycleId).execute()
    for (const r of rows) {
      const own = await t.login(r.username)
      const { prefilledProducts } = (await t.api('GET', `/api/evaluations/${r.id}`, own)).body
      const data = { ...doc(8, 9), products: [...prefilledProducts, ...doc(8, 9).products] }
      expect((await t.api('PUT', `/api/evaluations/${r.id}/self-assessment`, own, { data })).status).toBe(200)
      expect((await t.api('POST', `/api/evaluations/${r.id}/submit`, own, {})).status).toBe(200)
      const approved = await t.api('POST', `/api/evaluations/${r.id}/approve`, await t.login(usernames.get(r.reviewer_ids[0]!)!), {})
      expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    }
    expect((await t.api('POST', `/api/integrations/national-db/send`, admin, { cycleId })).body.error.code).toBe('CYCLE_NOT_CLASSIFIED')
    expect((await t.api('POST', `/api/cycles/${cycleId}/units/${cchc}/sign-off`, admin)).status).toBe(200)
    await eventually(async () => (await t.api('GET', `/api/cycles/${cycleId}`, admin)).body.status === 'CLASSIFIED', 60_000, 'classified')
  })
  afterAll(async () => {
    await t?.stop()
    receiver?.close()
  })

  const status = async () => (await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}`, admin)).body
  const settled = async () => {
    const s = await status()
    return s.finishedAt && s.counts.pending === 0 ? s : undefined
  }

  it('needs the decision, then delivers through an outage: each record sent or refused with the reason, none twice', async () => {
    expect((await t.api('POST', '/api/integrations/national-db/send', admin, { cycleId })).body.error.code).toBe('DECISION_REQUIRED')
    expect((await t.api('PUT', '/api/integrations/national-db/decision', admin, { cycleId, number: '125/QĐ-SNV', date: '2026-11-05' })).status).toBe(200)
    const sent = await t.api('POST', '/api/integrations/national-db/send', admin, { cycleId })
    expect(sent.body).toEqual({ workflowId: `national-db:${cycleId}`, started: true })
    // A second send while it runs is a no-op.
    expect((await t.api('POST', '/api/integrations/national-db/send', admin, { cycleId })).body.started).toBe(false)
    const s = await eventually(settled, 90_000, 'delivery finished')
    expect(await t.system.client.workflow.getHandle(`national-db:${cycleId}`).result()).toMatchObject({ pending: 0, refused: 1 })
    expect(s.counts).toEqual({ sent: everyone - 2, refused: 1, invalid: 1, pending: 0 })
    expect(everyone).toBeGreaterThanOrEqual(4)
    const byUser = new Map((s.records as { username: string; status: string; reason: string | null; record: Record<string, unknown> }[]).map((r) => [r.username, r]))
    expect(byUser.get('cv.maiphuong')).toMatchObject({ status: 'refused', reason: 'Số định danh không có trong CSDL quốc gia' })
    expect(byUser.get('cv.hoangnam')!.status).toBe('invalid')
    expect(byUser.get('cv.hoangnam')!.reason).toContain('Thiếu số định danh')
    expect(byUser.get('tp.phamlan')).toMatchObject({ status: 'sent', record: { personalId: '079185000001', agencyCode: 'SNV', periodStart: '2026-10-01', periodEnd: '2026-10-31', decisionNumber: '125/QĐ-SNV', decisionDate: '2026-11-05' } })
    expect(byUser.get('tp.phamlan')!.record['level']).toMatch(/^(HTXS|HTT|HT|KHT)$/)
    expect(typeof byUser.get('tp.phamlan')!.record['score']).toBe('number')
    // The outage: three 503s, each retry the same batch under the same Idempotency-Key, with the credential.
    expect(received.slice(0, 4).map((r) => r.status)).toEqual([503, 503, 503, 200])
    expect(new Set(received.slice(0, 4).map((r) => r.key)).size).toBe(1)
    expect(received.every((r) => r.auth === 'Bearer the-issued-credential')).toBe(true)
    expect(received.every((r) => r.ids.length <= 2)).toBe(true)
    expect([...accepted.values()].every((n) => n === 1)).toBe(true)
    expect([...accepted.keys()].sort()).toEqual(others)
    // The decision is fixed once sending started.
    expect((await t.api('PUT', '/api/integrations/national-db/decision', admin, { cycleId, number: '126/QĐ-SNV', date: '2026-11-06' })).body.error.code).toBe('ALREADY_STARTED')
  })

  it("lists the delivery's records by name in keyset pages, and of one state when asked", async () => {
    const whole = (await status()).records as { staffId: number; fullName: string; status: string }[]
    expect(whole).toHaveLength(everyone)
    const pages: { staffId: number; fullName: string }[][] = []
    let next: string | null = `/api/integrations/national-db/status?cycleId=${cycleId}&limit=2`
    while (next) {
      const res = await t.system.app.request(next, { headers: { authorization: `Bearer ${admin}` } })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { counts: { sent: number }; records: { staffId: number; fullName: string }[] }
      expect(body.counts.sent).toBe(everyone - 2) // every page carries the delivery's own figures
      pages.push(body.records)
      next = res.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null
    }
    expect(pages.length).toBe(Math.ceil(everyone / 2))
    // The pages in a row are the one list, in its order (by name, as the server's collation sorts them).
    expect(pages.flat().map((r) => r.staffId)).toEqual(whole.map((r) => r.staffId))
    // A person renamed between two pages: the next page starts where the first one ended (the Link carries the name it
    // read), not after the new name — which, sorting last, skipped everyone between.
    const first = await t.system.app.request(`/api/integrations/national-db/status?cycleId=${cycleId}&limit=2`, { headers: { authorization: `Bearer ${admin}` } })
    const firstRecords = ((await first.json()) as { records: { staffId: number; fullName: string }[] }).records
    const link = first.headers.get('link')!.match(/^<([^>]+)>; rel="next"$/)![1]!
    expect(new URL(link, 'http://x').searchParams.get('afterName')).toBe(firstRecords[1]!.fullName)
    await t.system.db.updateTable('staff').set({ full_name: 'Ỹ Đổi Tên' }).where('id', '=', firstRecords[1]!.staffId).execute()
    try {
      const second = ((await (await t.system.app.request(link, { headers: { authorization: `Bearer ${admin}` } })).json()) as { records: { staffId: number }[] }).records
      expect(second.map((r) => r.staffId)).toEqual(whole.slice(2, 4).map((r) => r.staffId))
    } finally {
      await t.system.db.updateTable('staff').set({ full_name: firstRecords[1]!.fullName }).where('id', '=', firstRecords[1]!.staffId).execute()
    }
    expect((await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}&afterName=An`, admin)).status).toBe(400)
    const refused = (await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}&status=refused`, admin)).body.records as { username: string }[]
    expect(refused.map((r) => r.username)).toEqual(['cv.maiphuong'])
    expect((await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}&status=lost`, admin)).status).toBe(400)
    expect((await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}&limit=501`, admin)).status).toBe(400)
  })

  it('after corrections, sends only the corrected records; a refused record unchanged is not sent again', async () => {
    const before = received.length
    // Sending again with nothing corrected sends nothing.
    expect((await t.api('POST', '/api/integrations/national-db/send', admin, { cycleId })).body.started).toBe(true)
    await t.system.client.workflow.getHandle(`national-db:${cycleId}`).result()
    expect(received.length).toBe(before)
    const staff = (await t.api('GET', '/api/staff', admin)).body as { id: number; username: string }[]
    const id = (u: string) => staff.find((s) => s.username === u)!.id
    expect((await t.api('PATCH', `/api/staff/${id('cv.maiphuong')}`, admin, { personalId: '079192000003' })).status).toBe(200)
    expect((await t.api('PATCH', `/api/staff/${id('cv.hoangnam')}`, admin, { personalId: '079195000005' })).status).toBe(200)
    expect((await t.api('POST', '/api/integrations/national-db/send', admin, { cycleId })).body.started).toBe(true)
    const s = await eventually(async () => {
      const x = await status()
      return x.counts.sent === everyone && x.finishedAt ? x : undefined
    }, 60_000, 'corrected records sent')
    expect(s.counts).toEqual({ sent: everyone, refused: 0, invalid: 0, pending: 0 })
    expect(received.slice(before).flatMap((r) => r.ids).sort()).toEqual(['079192000003', '079195000005'])
    expect([...accepted.values()].every((n) => n === 1)).toBe(true)
    const audit = await t.system.db.selectFrom('audit_events').select('action').where('entity', '=', 'integration').where('entity_id', '=', `national-db:${cycleId}`).execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['setDecision', 'nationalDbBatch', 'nationalDbFinished']))
  })

  it('exports the same records as JSON and CSV', async () => {
    const json = await t.system.app.request(`/api/integrations/national-db/export?cycleId=${cycleId}&format=json`, { headers: { authorization: `Bearer ${admin}` } })
    const { records } = (await json.json()) as { records: { personalId: string; status: string }[] }
    expect(records.map((r) => r.personalId).sort()).toEqual([...others, '079192000003', '079195000005'].sort())
    expect(records.every((r) => r.status === 'sent')).toBe(true)
    const csv = (await t.api('GET', `/api/integrations/national-db/export?cycleId=${cycleId}&format=csv`, admin)).body as string
    const lines = csv.trim().split('\n')
    expect(lines[0]).toBe('personalId,agencyCode,periodStart,periodEnd,score,level,decisionNumber,decisionDate,status,reason')
    expect(lines).toHaveLength(everyone + 1)
    expect(lines[1]).toMatch(/^0\d{11},SNV,2026-10-01,2026-10-31,[\d.]+,(HTXS|HTT|HT|KHT),125\/QĐ-SNV,2026-11-05,sent,$/)
    expect((await t.api('GET', `/api/integrations/national-db/status?cycleId=${cycleId}`, await t.login('tp.phamlan'))).status).toBe(403)
  })

  it('shows a delivery past its due date as degraded health', async () => {
    expect((await t.api('GET', '/api/health')).body.nationalDbOverdue).toBe(0)
    await t.system.db.updateTable('national_db_syncs').set({ finished_at: null, due_at: new Date(Date.now() - 60_000) }).where('cycle_id', '=', cycleId).execute()
    expect((await t.api('GET', '/api/health')).body).toMatchObject({ status: 'degraded', nationalDbOverdue: 1 })
    expect((await status()).overdue).toBe(true)
  })
})
