import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

const leftmost = (value: string | undefined) => value?.split(',')[0]?.trim() || undefined

/**
 * The client's address, for per-address sign-in back-off: the socket's peer, or — only when the
 * server sits behind a proxy it trusts (TRUST_PROXY=1) — the left-most X-Forwarded-For. IPv6
 * addresses are reduced to their /64, which one client usually owns whole. Undefined when there
 * is no socket (a request made in-process, as the tests do).
 */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? leftmost(c.req.header('x-forwarded-for')) : undefined
  return normalise(forwarded ?? socketAddress(c))
}

/** Whether the browser reached us over HTTPS: the URL's scheme, or X-Forwarded-Proto behind a trusted proxy. */
export function cameOverHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && leftmost(c.req.header('x-forwarded-proto'))?.toLowerCase() === 'https'
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined // no Node socket behind this request
  }
}

function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined
  const bare = address.replace(/^\[|\](:\d+)?$/g, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  if (!bare.includes(':')) return bare
  const [head = '', tail = ''] = bare.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = bare.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = [...left, ...Array<string>(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right]
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}
