import type { Context } from 'hono'
import { z } from 'zod'

/** Keyset paging of a list: `?after=<last id seen>&limit=` (default 50, at most 500). */
export const pageQuery = {
  after: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
}

/**
 * One page of rows ordered by id (ascending after the cursor, or descending before it): the rows (at most `limit`), and a `Link: <…>; rel="next"` header
 * (RFC 8288) when there may be more. The query fetches `limit + 1` rows to know.
 */
export function page<T extends { id: number }>(c: Context, rows: T[], limit: number, cursor: 'after' | 'before' = 'after', cursorParts?: (last: T) => Record<string, string>): T[] {
  if (rows.length <= limit) return rows
  const items = rows.slice(0, limit)
  const url = new URL(c.req.url)
  url.searchParams.set(cursor, String(items.at(-1)!.id))
  // A list ordered by something else than the id names that too (as the page read it): see `cursorParts` of its route.
  for (const [k, v] of Object.entries(cursorParts?.(items.at(-1)!) ?? {})) url.searchParams.set(k, v)
  url.searchParams.set('limit', String(limit))
  c.header('Link', `<${url.pathname}${url.search}>; rel="next"`)
  return items
}
