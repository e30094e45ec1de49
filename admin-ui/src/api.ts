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

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'accept-language': document.documentElement.lang },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const data = res.status === 204 ? null : await res.json()
  if (!res.ok) throw new ApiFailure(res.status, data?.error?.code ?? 'UNKNOWN', data?.error?.message ?? res.statusText, data?.error?.details)
  return data as T
}
