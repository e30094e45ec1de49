import { hc, type ClientResponse } from 'hono/client'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import type { ApiType } from '../../server/api.types'
import { failure } from './api'

/**
 * The typed client of the routes defined with @hono/zod-openapi (server/api.routes.ts): their paths,
 * inputs and answers come from the server's zod schemas, so nothing here mirrors a response by hand.
 * Same fetch as `api()`: the session cookie, the page's language for the server's messages.
 * Routes not converted yet are still called with `api()`.
 */
export const client = hc<ApiType>('/', {
  init: { credentials: 'same-origin' },
  headers: () => ({ 'accept-language': document.documentElement.lang }),
})

/** The body of a successful answer, typed by its route; an error answer throws the same ApiFailure as `api()`. */
export async function ok<R extends ClientResponse<unknown, number, string>>(call: R | Promise<R>): Promise<SuccessBody<R>> {
  const res = await call
  const data: unknown = res.status === 204 ? null : await res.json()
  if (!res.ok) throw failure(res.status, res.statusText, data)
  return data as SuccessBody<R>
}

/** What a route answers when it succeeds. */
export type SuccessBody<R> = R extends ClientResponse<infer T, infer S, string> ? (S extends SuccessStatusCode ? T : never) : never

/** A page's query: `limit` and the cursor the server's Link names (`after`, or `before` on the lists read newest first). */
type Page = Record<string, string>

/**
 * Every page of a list route (keyset pages, `Link: <…>; rel="next"`), 500 at a time: each next
 * page is asked for with the query of the Link the server sends, whatever its cursor is called.
 */
export async function allPages<Q extends object, R extends ClientResponse<unknown, number, string>>(get: (args: { query: Q & Page }) => Promise<R>, query: Q): Promise<SuccessBody<R>> {
  const rows: unknown[] = []
  let page: Page | null = { ...(query as Page), limit: '500' }
  while (page) {
    const res = await get({ query: page as Q & Page })
    rows.push(...((await ok(res)) as unknown[]))
    page = nextPage(res.headers.get('link'))
  }
  return rows as SuccessBody<R>
}

/** The query of the `Link: <…>; rel="next"` header (filters, cursor and limit, as the server wrote them), if there is a next page. */
export function nextPage(link: string | null): Page | null {
  const next = link?.match(/<([^>]+)>;\s*rel="next"/)?.[1]
  if (!next) return null
  return Object.fromEntries(new URL(next, 'http://x').searchParams)
}
