import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../admin-ui/src/api'
import { allPages, client, ok } from '../../admin-ui/src/client'

/** A server answering each call with the next of `answers`, recording what the web app sent. */
function server(...answers: Response[]) {
  const sent: { url: string; method: string; headers: Record<string, string>; credentials: string | undefined; body: unknown }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      sent.push({ url, method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers).entries()), credentials: init.credentials, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined })
      return Promise.resolve(answers.shift()!)
    }),
  )
  vi.stubGlobal('document', { documentElement: { lang: 'en' } })
  return sent
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

afterEach(() => {
  vi.unstubAllGlobals()
})

describe("the web app's typed client (hc) of the converted routes", () => {
  it('sends JSON with the session cookie and the page language, and gives the answer', async () => {
    const sent = server(json({ id: 9 }, 201))
    const created = await ok(client.api.delegations.$post({ json: { delegateId: 4, scope: 'review', from: '2026-12-10', to: '2026-12-12', reason: 'Nghỉ phép' } }))
    expect(created).toEqual({ id: 9 })
    expect(sent).toEqual([
      {
        url: '/api/delegations',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        credentials: 'same-origin',
        body: { delegateId: 4, scope: 'review', from: '2026-12-10', to: '2026-12-12', reason: 'Nghỉ phép' },
      },
    ])
  })

  it('puts path ids and the query in the URL', async () => {
    const sent = server(json({ id: 5, status: 'ended' }), json({ id: 3, status: 'ACCEPTED', evaluationId: 8 }), json([]))
    await ok(client.api.delegations[':id'].$delete({ param: { id: '5' } }))
    await ok(client.api.petitions[':id'].accept.$post({ param: { id: '3' }, json: { reason: 'Đã xác minh' } }))
    await ok(client.api.petitions.$get({ query: { cycleId: '12' } }))
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['DELETE /api/delegations/5', 'POST /api/petitions/3/accept', 'GET /api/petitions?cycleId=12'])
  })

  it('turns an error answer into the same ApiFailure as api(): status, code, message, details', async () => {
    server(json({ error: { code: 'DELEGATION_OVERLAP', message: 'You already have a delegation of this scope overlapping these dates (#2).', messageEn: '…', details: { id: 2 } } }, 409))
    const failure = await ok(client.api.delegations.$post({ json: { delegateId: 4, scope: 'review', from: '2026-12-10', to: '2026-12-12', reason: 'Trùng' } })).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(ApiFailure)
    expect(failure).toMatchObject({ status: 409, code: 'DELEGATION_OVERLAP', message: 'You already have a delegation of this scope overlapping these dates (#2).', details: { id: 2 } })
  })

  it('reads every page of a list by following the Link header, 500 at a time', async () => {
    const sent = server(json([{ id: 1 }, { id: 2 }], 200, { link: '</api/petitions?status=OPEN&limit=500&after=2>; rel="next"' }), json([{ id: 3 }]))
    const rows = await allPages(client.api.petitions.$get, { status: 'OPEN' as const })
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3])
    expect(sent.map((s) => s.url)).toEqual(['/api/petitions?status=OPEN&limit=500', '/api/petitions?status=OPEN&limit=500&after=2'])
  })

  it('follows a list read newest first through its `before` cursor, to the last page', async () => {
    // The cycles list pages with `before`: a client that only knew `after` asked for the first page again and again.
    const sent = server(json([{ id: 9 }, { id: 8 }], 200, { link: '</api/cycles?limit=500&before=8>; rel="next"' }), json([{ id: 7 }], 200, { link: '</api/cycles?limit=500&before=7>; rel="next"' }), json([]))
    const rows = await allPages(client.api.cycles.$get, {})
    expect(rows.map((r) => r.id)).toEqual([9, 8, 7])
    expect(sent.map((s) => s.url)).toEqual(['/api/cycles?limit=500', '/api/cycles?limit=500&before=8', '/api/cycles?limit=500&before=7'])
  })
})
