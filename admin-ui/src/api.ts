/** The only way the web app talks to the server: JSON over /api with the session cookie. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** The ApiFailure of an error answer: its code and message (in the page's language), or the HTTP status text. */
export function failure(status: number, statusText: string, data: unknown): ApiFailure {
  const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
  return new ApiFailure(status, error?.code ?? 'UNKNOWN', error?.message ?? statusText, error?.details)
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'accept-language': document.documentElement.lang },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const data = res.status === 204 ? null : await res.json()
  if (!res.ok) throw failure(res.status, res.statusText, data)
  return data as T
}

/** One page's body (a list, or an object holding one) and the path of the next page (the `Link: <…>; rel="next"` header), if any. */
export async function apiPageOf<B>(path: string): Promise<{ body: B; next: string | null }> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { 'accept-language': document.documentElement.lang } })
  const data = await res.json()
  if (!res.ok) throw failure(res.status, res.statusText, data)
  const next = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1] ?? null
  return { body: data as B, next }
}

/** One page of a list and the path of the next one, if any. */
export async function apiPage<T>(path: string): Promise<{ items: T[]; next: string | null }> {
  const { body, next } = await apiPageOf<T[]>(path)
  return { items: body, next }
}

/** Every page of a list (for figures computed over all of it), 500 at a time. */
export async function apiAll<T>(path: string): Promise<T[]> {
  const all: T[] = []
  let next: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=500`
  while (next) {
    const pageOf: { items: T[]; next: string | null } = await apiPage<T>(next)
    all.push(...pageOf.items)
    next = pageOf.next
  }
  return all
}
