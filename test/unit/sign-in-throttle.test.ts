import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cameOverHttps, clientAddress } from '../../server/auth/client-address.js'
import { admit, backoffMs, refund, type ThrottleRule, type ThrottleState } from '../../server/auth/throttle.policy.js'

const rule: ThrottleRule = { freeAttempts: 5, firstBackoffMs: 15_000, maxBackoffMs: 900_000, forgetAfterMs: 3_600_000 }
const at = (s: number) => new Date(Date.UTC(2026, 11, 1) + s * 1000)

describe('sign-in back-off (pure)', () => {
  it('waits nothing for the first four failures, then 15 s doubling per failure up to 15 min', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, rule))).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 8, 9, 10, 11, 12, 100].map((n) => backoffMs(n, rule) / 1000)).toEqual([15, 30, 60, 120, 240, 480, 900, 900, 900])
  })

  it('charges each admitted attempt and refuses attempts while the back-off runs, without charging them', () => {
    let state: ThrottleState | undefined
    for (let i = 0; i < 5; i++) {
      const a = admit(state, rule, at(i))
      expect(a.allowed).toBe(true)
      if (a.allowed) state = a.next
    }
    expect(state).toEqual({ failures: 5, lastFailureAt: at(4), blockedUntil: at(19) })
    expect(admit(state, rule, at(10))).toEqual({ allowed: false, retryAfterMs: 9000 })
    const next = admit(state, rule, at(19))
    expect(next).toEqual({ allowed: true, next: { failures: 6, lastFailureAt: at(19), blockedUntil: at(49) } })
  })

  it('forgets failures an hour after the last one', () => {
    const old: ThrottleState = { failures: 9, lastFailureAt: at(0), blockedUntil: at(240) }
    expect(admit(old, rule, at(3600))).toEqual({ allowed: true, next: { failures: 1, lastFailureAt: at(3600), blockedUntil: null } })
  })

  it('takes back a successful attempt’s charge, and its back-off when under the free attempts again', () => {
    expect(refund({ failures: 1, lastFailureAt: at(0), blockedUntil: null }, rule)).toBeUndefined()
    expect(refund({ failures: 5, lastFailureAt: at(0), blockedUntil: at(15) }, rule)).toEqual({ failures: 4, lastFailureAt: at(0), blockedUntil: null })
    expect(refund({ failures: 7, lastFailureAt: at(0), blockedUntil: at(60) }, rule)).toEqual({ failures: 6, lastFailureAt: at(0), blockedUntil: at(60) })
  })
})

describe('client address and HTTPS', () => {
  const probe = (trustProxy: boolean) => {
    const app = new Hono()
    app.get('*', (c) => c.json({ address: clientAddress(c, trustProxy) ?? null, https: cameOverHttps(c, trustProxy) }))
    return async (url: string, headers: Record<string, string> = {}) => (await app.request(url, { headers })).json()
  }

  it('has no address without a socket, and trusts forwarding headers only behind a trusted proxy', async () => {
    const direct = probe(false)
    expect(await direct('http://x/', { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' })).toEqual({ address: null, https: false })
    expect(await direct('https://x/')).toEqual({ address: null, https: true })
    const proxied = probe(true)
    expect(await proxied('http://x/', { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-forwarded-proto': 'https' })).toEqual({ address: '203.0.113.9', https: true })
    expect(await proxied('http://x/', { 'x-forwarded-for': '::ffff:192.0.2.1' })).toMatchObject({ address: '192.0.2.1' })
  })

  it('reduces IPv6 addresses to their /64', async () => {
    const proxied = probe(true)
    expect(await proxied('http://x/', { 'x-forwarded-for': '2001:db8:abcd:12::1' })).toMatchObject({ address: '2001:db8:abcd:12::/64' })
    expect(await proxied('http://x/', { 'x-forwarded-for': '2001:0db8:abcd:0012:ffff:1:2:3' })).toMatchObject({ address: '2001:db8:abcd:12::/64' })
    expect(await proxied('http://x/', { 'x-forwarded-for': '[2001:db8::7]:443' })).toMatchObject({ address: '2001:db8:0:0::/64' })
  })
})
