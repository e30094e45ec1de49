import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unitKpiRuleSet } from '../../rules/defaults.js'
import { appendAudit } from '../../server/audit/audit.repo.js'
import { recordCall } from '../../server/integrations/systems.repo.js'
import { startTestSystem, type TestSystem } from '../support/harness.js'

interface Walk<T> {
  pages: T[][]
  rows: T[]
  /** The `after`/`before` cursor of every page after the first. */
  links: string[]
}

/**
 * Keyset paging of every list that a province's numbers make long (issue 12.1): each list walked
 * page by page through its `Link: rel="next"` gives every row once, in the list's order, scoped
 * as the single list was; bad paging parameters are a 400 with a code.
 */
describe('keyset paging of staff, units, cycles, rule sets, results, work items and integration calls', () => {
  let t: TestSystem
  let admin: string
  let cchc: number
  let cycleIds: number[]
  let classifiedId: number

  /** Follows the Link headers from `path` to the last page; `pick` takes the rows out of a body (an array, or an object holding them). */
  async function walk<T = Record<string, unknown>>(path: string, token: string, pick: (body: any) => T[] = (b) => b): Promise<Walk<T> & { bodies: any[] }> {
    const pages: T[][] = []
    const bodies: any[] = []
    const links: string[] = []
    let next: string | null = path
    while (next) {
      const res = await t.system.app.request(next, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status, next).toBe(200)
      const body = await res.json()
      bodies.push(body)
      pages.push(pick(body))
      next = res.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null
      if (next) links.push(next)
      expect(pages.length, 'pages').toBeLessThan(100)
    }
    return { pages, rows: pages.flat(), links, bodies }
  }

  /** Every page but the last is full, none is larger than the limit, and no row comes twice. */
  function expectPaged<T>(w: Walk<T>, limit: number, key: (row: T) => number) {
    expect(w.pages.length).toBeGreaterThan(1)
    for (const p of w.pages.slice(0, -1)) expect(p).toHaveLength(limit)
    expect(w.pages.at(-1)!.length).toBeGreaterThan(0)
    expect(w.pages.at(-1)!.length).toBeLessThanOrEqual(limit)
    const keys = w.rows.map(key)
    expect(new Set(keys).size).toBe(keys.length)
  }

  async function expectRefused(path: string, token = admin) {
    const res = await t.api('GET', path, token)
    expect(res.status, path).toBe(400)
    expect(res.body.error.code, path).toBe('VALIDATION_FAILED')
  }

  beforeAll(async () => {
    // No worker: the cycles stay as this test writes them.
    t = await startTestSystem({ label: 'paging', worker: false })
    admin = await t.login('admin')
    cchc = (await t.system.db.selectFrom('units').select('id').where('code', '=', 'CCHC').executeTakeFirstOrThrow()).id
    cycleIds = []
    for (const month of ['07', '08', '09']) {
      const launched = await t.api('POST', '/api/cycles', admin, { name: `Tháng ${month}/2026`, periodKind: 'month', periodStart: `2026-${month}-01`, periodEnd: `2026-${month}-${month === '09' ? '30' : '31'}`, ruleSetId: 1 })
      expect(launched.status).toBe(201)
      cycleIds.push(launched.body.id)
    }
    // One cycle classified as ranking leaves it, its ranks running against the ids and tied in pairs, so the order is not the ids'.
    classifiedId = cycleIds[0]!
    await sql`update evaluations e set stage = 'CLASSIFIED', total = (e.id * 37) % 100, level = (array['HTXS','HTT','HT','KHT'])[1 + e.id % 4], final_level = (array['HTXS','HTT','HT','KHT'])[1 + e.id % 4], rank_in_unit = 1, rank_in_cycle = r.rank
      from (select id, (row_number() over (order by id desc) + 1) / 2 as rank from evaluations where cycle_id = ${classifiedId}) r where e.id = r.id`.execute(t.system.db)
    await sql`update cycles set status = 'CLASSIFIED', classified_at = now() where id = ${classifiedId}`.execute(t.system.db)
  })
  afterAll(async () => t?.stop())

  it('refreshes the planner\'s statistics at each launch, so the inboxes go through the party rows', async () => {
    // ANALYZE counts a small table exactly: the planner knows every launched evaluation and party row
    // (without it: 0 or -1, never analysed), whether autovacuum runs (it is off on some servers) or not.
    const known = async (table: string) => (await sql<{ estimated: number; actual: number }>`select (select reltuples from pg_class where relname = ${table})::int as estimated, (select count(*) from ${sql.table(table)})::int as actual`.execute(t.system.db)).rows[0]!
    for (const table of ['evaluations', 'evaluation_parties']) {
      const { estimated, actual } = await known(table)
      expect(actual, table).toBeGreaterThan(0)
      expect(estimated, table).toBe(actual)
    }
  })

  it('pages the staff list by id, finds people by name or username and by unit, across pages', async () => {
    const expected = (await t.system.db.selectFrom('staff').select('id').where('active', '=', true).orderBy('id').execute()).map((s) => s.id)
    const all = await walk<{ id: number; personalId?: unknown }>('/api/staff?limit=3', admin)
    expectPaged(all, 3, (s) => s.id)
    expect(all.rows.map((s) => s.id)).toEqual(expected)
    expect(all.links[0]).toBe(`/api/staff?limit=3&after=${expected[2]}`)
    expect(all.rows.every((s) => 'personalId' in s)).toBe(true)

    // A head reads the list too, without personal IDs.
    const asHead = await walk<Record<string, unknown>>('/api/staff?limit=5', await t.login('tp.phamlan'))
    expect(asHead.rows.map((s) => s.id)).toEqual(expected)
    expect(asHead.rows.some((s) => 'personalId' in s)).toBe(false)

    // By name (any case, with its accents) or username; a wildcard typed is itself.
    const nguyen = await walk<{ fullName: string; username: string }>(`/api/staff?q=${encodeURIComponent('NGUYỄN')}&limit=1`, admin)
    expect(nguyen.rows.map((s) => s.fullName)).toEqual(['Nguyễn Văn Hải', 'Nguyễn Thị Vân Anh'])
    expect(nguyen.pages).toHaveLength(2)
    expect((await t.api('GET', '/api/staff?q=nguyen', admin)).body.map((s: { username: string }) => s.username)).toEqual(['tp.nguyenhai', 'ptp.nguyenanh'])
    expect((await t.api('GET', '/api/staff?q=%25', admin)).body).toEqual([])
    expect((await t.api('GET', '/api/staff?q=cv_', admin)).body).toEqual([])

    const inUnit = await walk<{ unitId: number }>(`/api/staff?unitId=${cchc}&limit=2`, admin)
    expectPaged(inUnit, 2, (s) => (s as unknown as { id: number }).id)
    expect(inUnit.rows).toHaveLength(8)
    expect(inUnit.rows.every((s) => s.unitId === cchc)).toBe(true)
    expect((await t.api('GET', `/api/staff?unitId=${cchc}&q=mai`, admin)).body.map((s: { username: string }) => s.username)).toEqual(['cv.maiphuong', 'cv.tongmai'])

    // Staff members do not list the staff.
    expect((await t.api('GET', '/api/staff', await t.login('cv.maiphuong'))).status).toBe(403)
  })

  it("pages an evaluation's and a rule set's audit by id, oldest first", async () => {
    const evaluation = (await t.system.db.selectFrom('evaluations').select(['id', 'staff_id']).where('cycle_id', '=', cycleIds[1]!).orderBy('id').executeTakeFirstOrThrow())
    for (let i = 0; i < 7; i++) await appendAudit(t.system.db, { actor_id: null, entity: 'evaluation', entity_id: String(evaluation.id), action: 'remind', reason: `nhắc lần ${i + 1}` })
    for (let i = 0; i < 5; i++) await appendAudit(t.system.db, { actor_id: null, entity: 'ruleset', entity_id: '1', action: 'simulate', reason: null, data: { run: i } })
    for (const [path, entity, entityId] of [[`/api/evaluations/${evaluation.id}/audit`, 'evaluation', String(evaluation.id)], ['/api/rulesets/1/audit', 'ruleset', '1']] as const) {
      const expected = (await t.system.db.selectFrom('audit_events').select('id').where('entity', '=', entity).where('entity_id', '=', entityId).orderBy('id').execute()).map((a) => a.id)
      expect(expected.length, path).toBeGreaterThanOrEqual(5)
      const w = await walk<{ id: number }>(`${path}?limit=3`, admin)
      expectPaged(w, 3, (a) => a.id)
      expect(w.rows.map((a) => a.id), path).toEqual(expected)
      expect((await t.api('GET', `${path}?limit=0`, admin)).status, path).toBe(400)
    }
    // The evaluation's own person reads their audit's pages too.
    const own = await walk<{ id: number }>(`/api/evaluations/${evaluation.id}/audit?limit=4`, await t.login((await t.system.db.selectFrom('staff').select('username').where('id', '=', evaluation.staff_id).executeTakeFirstOrThrow()).username))
    expect(own.rows.length).toBe(7)
  })

  it('pages units by id', async () => {
    const expected = (await t.system.db.selectFrom('units').select('id').orderBy('id').execute()).map((u) => u.id)
    const w = await walk<{ id: number }>('/api/units?limit=3', await t.login('cv.maiphuong'))
    expectPaged(w, 3, (u) => u.id)
    expect(w.rows.map((u) => u.id)).toEqual(expected)
  })

  it('pages cycles newest first with a before cursor', async () => {
    const w = await walk<{ id: number }>('/api/cycles?limit=2', admin)
    expectPaged(w, 2, (c) => c.id)
    expect(w.rows.map((c) => c.id)).toEqual([...cycleIds].reverse())
    expect(w.links).toEqual([`/api/cycles?limit=2&before=${cycleIds[1]}`])
  })

  it('pages rule sets by code then version', async () => {
    await t.api('POST', '/api/rulesets/1/draft', admin)
    const expected = (await t.system.db.selectFrom('rulesets').select('id').orderBy('code').orderBy('version').execute()).map((r) => r.id)
    expect(expected.length).toBeGreaterThan(3)
    const w = await walk<{ id: number; code: string; version: number }>('/api/rulesets?limit=2', admin)
    expectPaged(w, 2, (r) => r.id)
    expect(w.rows.map((r) => r.id)).toEqual(expected)
  })

  it("pages a cycle's results in rank order, scoped as before: admin all, a head their unit, staff their own", async () => {
    type Row = { evaluationId: number; unitId: number; staffId: number; rankInCycle: number; finalLevel: string; total: number }
    const results = (b: { results: Row[] }) => b.results
    const expected = await t.system.db.selectFrom('evaluations').select(['id', 'unit_id', 'rank_in_cycle']).where('cycle_id', '=', classifiedId).orderBy('rank_in_cycle').orderBy('id').execute()
    expect(expected.length).toBe(25)

    const all = await walk<Row>(`/api/cycles/${classifiedId}/results?limit=3`, admin, results)
    expectPaged(all, 3, (r) => r.evaluationId)
    expect(all.rows.map((r) => r.evaluationId)).toEqual(expected.map((e) => e.id))
    // Ranks tie in pairs and run against the ids: the order is rank, then id.
    expect(all.rows.map((r) => r.rankInCycle)).toEqual([...all.rows.map((r) => r.rankInCycle)].sort((a, b) => a - b))
    expect(all.rows[0]!.rankInCycle).toBe(all.rows[1]!.rankInCycle)
    expect(all.rows[0]!.evaluationId).toBeLessThan(all.rows[1]!.evaluationId)
    // The first page alone carries the figures over all of them.
    const [first, ...rest] = all.bodies
    expect(first.summary.count).toBe(25)
    expect(first.summary.histogram.reduce((a: number, b: number) => a + b, 0)).toBe(25)
    const perLevel = (level: string) => first.summary.byUnit.reduce((n: number, u: { levels: Record<string, number> }) => n + (u.levels[level] ?? 0), 0)
    for (const level of ['HTXS', 'HTT', 'HT', 'KHT']) expect(perLevel(level), level).toBe(all.rows.filter((r) => r.finalLevel === level).length)
    expect(first.summary.histogram[3]).toBe(all.rows.filter((r) => r.total >= 30 && r.total < 40).length)
    expect(rest.every((b) => b.summary === undefined)).toBe(true)

    const head = await walk<Row>(`/api/cycles/${classifiedId}/results?limit=2`, await t.login('tp.phamlan'), results)
    expectPaged(head, 2, (r) => r.evaluationId)
    expect(head.rows.map((r) => r.evaluationId)).toEqual(all.rows.filter((r) => r.unitId === cchc).map((r) => r.evaluationId))
    expect(head.bodies[0].summary.count).toBe(8)
    expect(head.bodies[0].summary.byUnit.map((u: { unitId: number }) => u.unitId)).toEqual([cchc])

    const staff = await t.login('cv.maiphuong')
    const me = (await t.api('GET', '/api/me', staff)).body.id
    const own = await walk<Row>(`/api/cycles/${classifiedId}/results?limit=2`, staff, results)
    expect(own.pages).toHaveLength(1)
    expect(own.rows.map((r) => r.staffId)).toEqual([me])

    // The export is the whole visible list, not a page.
    const csv = (await t.api('GET', `/api/cycles/${classifiedId}/results/export?format=csv&limit=2`, admin)).body as string
    expect(csv.trim().split('\n')).toHaveLength(1 + 25)
  })

  it('pages work items by due day then id, scoped as before', async () => {
    const head = await t.login('tp.phamlan')
    const staffIds = (await t.system.db.selectFrom('staff').select(['id', 'username']).where('unit_id', '=', cchc).execute()).filter((s) => s.username.startsWith('cv.'))
    // Due days out of the ids' order, several on the same day.
    const due = ['2026-11-20', '2026-11-10', '2026-11-20', '2026-11-05', '2026-11-10', '2026-11-25', '2026-11-05']
    for (const [i, dueOn] of due.entries()) {
      const created = await t.api('POST', '/api/work-items', head, { staffId: staffIds[i % 2]!.id, productCode: 'B01', quantity: 1, assignedOn: '2026-11-02', dueOn })
      expect(created.status).toBe(201)
    }
    const rows = await t.system.db.selectFrom('work_items').select(['id', 'staff_id', sql<string>`due_on::text`.as('due')]).execute()
    const ordered = rows.sort((a, b) => a.due.localeCompare(b.due) || a.id - b.id)

    const asHead = await walk<{ id: number; dueOn: string }>('/api/work-items?limit=2', head)
    expectPaged(asHead, 2, (w) => w.id)
    expect(asHead.rows.map((w) => w.id)).toEqual(ordered.map((w) => w.id))

    const mine = await walk<{ id: number }>('/api/work-items?limit=2', await t.login(staffIds[0]!.username))
    expectPaged(mine, 2, (w) => w.id)
    expect(mine.rows.map((w) => w.id)).toEqual(ordered.filter((w) => w.staff_id === staffIds[0]!.id).map((w) => w.id))

    const filtered = await walk<{ id: number }>(`/api/work-items?limit=1&from=2026-11-10&to=2026-11-20&unitId=${cchc}`, head)
    expect(filtered.rows.map((w) => w.id)).toEqual(ordered.filter((w) => w.due >= '2026-11-10' && w.due <= '2026-11-20').map((w) => w.id))

    // Another unit's head sees none of them.
    expect((await walk('/api/work-items?limit=2', await t.login('tp.nguyenhai'))).rows).toEqual([])
  })

  it('pages integration calls newest first, of one system or all', async () => {
    const system = async (code: string) => (await t.api('POST', '/api/integrations/systems', admin, { code, name: code })).body.id as number
    const one = await system('QLVB')
    const other = await system('DVC')
    for (let i = 0; i < 5; i++) await recordCall(t.system.db, { systemId: one, keyId: null, endpoint: `POST /api/integrations/tasks #${i}`, status: 200 })
    for (let i = 0; i < 2; i++) await recordCall(t.system.db, { systemId: other, keyId: null, endpoint: 'POST /api/integrations/tasks', status: 401 })
    const calls = await t.system.db.selectFrom('integration_calls').select(['id', 'system_id']).orderBy('id', 'desc').execute()

    const all = await walk<{ id: number }>('/api/integrations/calls?limit=2', admin)
    expectPaged(all, 2, (c) => c.id)
    expect(all.rows.map((c) => c.id)).toEqual(calls.map((c) => c.id))
    const ofOne = await walk<{ id: number; systemId: number }>(`/api/integrations/calls?systemId=${one}&limit=2`, admin)
    expectPaged(ofOne, 2, (c) => c.id)
    expect(ofOne.rows.map((c) => c.id)).toEqual(calls.filter((c) => c.system_id === one).map((c) => c.id))
    expect(ofOne.links.every((l) => l.includes(`systemId=${one}`))).toBe(true)
  })

  it('refuses a limit above 500 and a cursor that is not a number, with a code', async () => {
    const results = `/api/cycles/${classifiedId}/results`
    for (const path of ['/api/staff', '/api/units', '/api/rulesets', results, '/api/work-items']) {
      await expectRefused(`${path}?limit=501`)
      await expectRefused(`${path}?after=abc`)
      await expectRefused(`${path}?limit=0`)
    }
    for (const path of ['/api/cycles', '/api/integrations/calls']) {
      await expectRefused(`${path}?limit=501`)
      await expectRefused(`${path}?before=abc`)
    }
    await expectRefused(`/api/staff?q=${'x'.repeat(101)}`)
    expect((await t.api('GET', '/api/staff?limit=500', admin)).status).toBe(200)
  })

  it('shows the paging parameters in the OpenAPI document', async () => {
    const doc = (await t.api('GET', '/api/openapi.json', admin)).body
    const params = (path: string) => (doc.paths[path].get.parameters as { name: string }[]).map((p) => p.name)
    for (const path of ['/api/staff', '/api/units', '/api/rulesets', '/api/cycles/{id}/results', '/api/work-items']) expect(params(path), path).toEqual(expect.arrayContaining(['after', 'limit']))
    for (const path of ['/api/cycles', '/api/integrations/calls']) expect(params(path), path).toEqual(expect.arrayContaining(['before', 'limit']))
    expect(params('/api/staff')).toEqual(expect.arrayContaining(['q', 'unitId']))
  })

  it('pages unit evaluations newest first with a before cursor (the web app\'s list), and refuses a cursor of the other order', async () => {
    const ruleSets = (await t.api('GET', '/api/rulesets?limit=500', admin)).body as { id: number; code: string; status: string }[]
    const unitRuleSet = ruleSets.find((r) => r.code === unitKpiRuleSet().code && r.status === 'published')!.id
    for (const month of ['10', '11']) {
      const launched = await t.api('POST', '/api/cycles', admin, { name: `Đơn vị ${month}/2026`, periodKind: 'month', periodStart: `2026-${month}-01`, periodEnd: `2026-${month}-${month === '11' ? '30' : '31'}`, ruleSetId: unitRuleSet, subject: 'unit' })
      expect(launched.status, JSON.stringify(launched.body)).toBe(201)
    }
    const expected = (await t.system.db.selectFrom('evaluations').select('id').where('subject_unit_id', 'is not', null).orderBy('id', 'desc').execute()).map((e) => e.id)
    expect(expected.length).toBeGreaterThan(4)
    const w = await walk<{ id: number }>('/api/unit-evaluations?newestFirst=true&limit=3', admin)
    expectPaged(w, 3, (e) => e.id)
    expect(w.rows.map((e) => e.id)).toEqual(expected)
    expect(w.links[0]).toBe(`/api/unit-evaluations?newestFirst=true&limit=3&before=${expected[2]}`)
    // The ascending list is as it was.
    expect((await walk<{ id: number }>('/api/unit-evaluations?limit=4', admin)).rows.map((e) => e.id)).toEqual([...expected].reverse())
    await expectRefused('/api/unit-evaluations?before=5')
    await expectRefused('/api/unit-evaluations?newestFirst=true&after=5')
  })
})
