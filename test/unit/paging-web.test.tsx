import { renderToStaticMarkup } from 'react-dom/server'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { apiAll, apiPageOf } from '../../admin-ui/src/api'
import { screenMessages } from '../../admin-ui/src/i18n.js'
import { CallsPanel } from '../../admin-ui/src/integrations/CallsPanel'
import type { CallView } from '../../admin-ui/src/integrations/views'
import { LoadMore } from '../../admin-ui/src/paged-list'

// The screens' messages load with the first screen in the app; here, before the components render.
beforeAll(screenMessages)

/** A server of one paged list: `?after=` pages of `size` over `rows`, with the Link header the API sends. */
function pagedServer(rows: number[], size: number) {
  const asked: string[] = []
  const fetch = vi.fn((path: string) => {
    asked.push(path)
    const url = new URL(path, 'http://app')
    const after = Number(url.searchParams.get('after') ?? 0)
    const items = rows.filter((r) => r > after).slice(0, size)
    const more = rows.some((r) => r > items.at(-1)!)
    url.searchParams.set('after', String(items.at(-1)))
    return Promise.resolve(new Response(JSON.stringify(items.map((id) => ({ id }))), { headers: { 'content-type': 'application/json', ...(more ? { link: `<${url.pathname}${url.search}>; rel="next"` } : {}) } }))
  })
  vi.stubGlobal('fetch', fetch)
  vi.stubGlobal('document', { documentElement: { lang: 'vi' } })
  return asked
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('lists the web app reads a page at a time', () => {
  it('reads every page of a small list by following the Link header, 500 at a time', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => i + 1)
    const asked = pagedServer(rows, 3)
    expect((await apiAll<{ id: number }>('/api/units')).map((r) => r.id)).toEqual(rows)
    expect(asked).toEqual(['/api/units?limit=500', '/api/units?limit=500&after=3', '/api/units?limit=500&after=6'])
  })

  it('gives one page of a list and where the next one is, none after the last', async () => {
    pagedServer([1, 2, 3], 2)
    const first = await apiPageOf<{ id: number }[]>('/api/staff?limit=2')
    expect(first).toEqual({ body: [{ id: 1 }, { id: 2 }], next: '/api/staff?limit=2&after=2' })
    expect((await apiPageOf<{ id: number }[]>(first.next ?? '')).next).toBeNull()
  })

  it('offers "Tải thêm" (load more) only while there is a next page', () => {
    const call: CallView = { id: 1, systemId: 1, systemCode: 'QLVB', endpoint: 'POST /api/integrations/tasks', status: 200, errorCode: null, rows: 2, accepted: 2, unchanged: 0, rejected: [], at: '2026-12-01T02:00:00Z' }
    const more = async () => {}
    expect(renderToStaticMarkup(<CallsPanel lang="vi" calls={[call]} next="/api/integrations/calls?limit=50&before=1" onMore={more} />)).toContain('Tải thêm')
    expect(renderToStaticMarkup(<CallsPanel lang="vi" calls={[call]} next={null} onMore={more} />)).not.toContain('Tải thêm')
    expect(renderToStaticMarkup(<LoadMore next="/api/staff?after=50" onMore={more} lang="en" />)).toContain('Load more')
  })
})
