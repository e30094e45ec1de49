import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../server/app.js'
import * as password from '../../server/auth/password.js'
import { forgetSessionsOf } from '../../server/auth/session.js'
import type { AuthConfig } from '../../server/config.js'
import { openDatabase, type Db } from '../../server/db/database.js'
import { serveWebApp } from '../../server/http/serve.js'
import { ADMIN_PASSWORD, DEMO_PASSWORD, startTestSystem, type TestSystem } from '../support/harness.js'

// The real scrypt check, watched: which hash each sign-in is checked against.
vi.mock(import('../../server/auth/password.js'), async (original) => {
  const real = await original()
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) }
})

type App = ReturnType<typeof createApp>

/** Issue 11, points 3 and 4: each attack seen in the review is a test here. */
describe('sign-in and sessions: throttling, equal work, rotation, lifetimes, sign out everywhere, security headers', () => {
  let t: TestSystem
  let admin: string

  beforeAll(async () => {
    t = await startTestSystem({ label: 'signin', worker: false })
    admin = await t.login('admin')
  })
  afterAll(async () => t?.stop())

  /** A second API instance on the same database, with its own auth settings. */
  const appWith = (auth: Partial<AuthConfig>, db: Db = t.system.db): App => createApp({ db, client: t.system.client, config: { ...t.config, auth: { ...t.config.auth, ...auth } } })
  const signIn = async (username: string, pass: string, init: { app?: App; url?: string; headers?: Record<string, string> } = {}): Promise<Response> =>
    (init.app ?? t.system.app).request(init.url ?? '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify({ username, password: pass }) })
  const me = async (token: string) => (await t.api('GET', '/api/me', token)).status
  const sessionCookie = (res: Response) => res.headers.get('set-cookie') ?? ''
  const staffId = async (username: string) => (await t.system.db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
  const endBackoff = (key: string) => t.system.db.updateTable('sign_in_throttles').set({ blocked_until: new Date(Date.now() - 1000) }).where('key', '=', key).execute()

  it('answers 100 wrong passwords with 429 and Retry-After after five, refuses the right one while backing off, and doubles the wait', async () => {
    const statuses: number[] = []
    let last!: Response
    for (let i = 0; i < 100; i++) {
      last = await signIn('cv.buingoc', `wrong-${i}`)
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]))
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(last.headers.get('retry-after'))).toBeLessThanOrEqual(15)
    expect(await last.json()).toMatchObject({ error: { code: 'TOO_MANY_ATTEMPTS', message: expect.stringContaining('Vui lòng thử lại sau'), messageEn: expect.stringContaining('Try again in') } })

    const right = await signIn('cv.buingoc', DEMO_PASSWORD)
    expect(right.status).toBe(429)
    expect(right.headers.get('retry-after')).toBeTruthy()

    // Once the back-off is over, one more wrong guess earns twice the wait.
    await endBackoff('account:cv.buingoc')
    expect((await signIn('cv.buingoc', 'wrong-again')).status).toBe(401)
    const doubled = await signIn('cv.buingoc', DEMO_PASSWORD)
    expect(doubled.status).toBe(429)
    expect(Number(doubled.headers.get('retry-after'))).toBeGreaterThan(15)
    expect(Number(doubled.headers.get('retry-after'))).toBeLessThanOrEqual(30)

    // The right password after the wait works and forgets the failures.
    await endBackoff('account:cv.buingoc')
    expect((await signIn('cv.buingoc', DEMO_PASSWORD)).status).toBe(200)
    expect(await t.system.db.selectFrom('sign_in_throttles').selectAll().where('key', '=', 'account:cv.buingoc').executeTakeFirst()).toBeUndefined()
  })

  it('counts a burst of parallel guesses before checking any: at most five passwords are checked', async () => {
    vi.mocked(password.verifyPassword).mockClear()
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('cv.dohuong', `burst-${i}`).then((r) => r.status)))
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(35)
    expect(password.verifyPassword).toHaveBeenCalledTimes(5)
  })

  it('keeps the back-off across API processes: another instance with its own connection pool refuses too', async () => {
    const otherDb = await openDatabase({ databaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir, poolSize: 2 })
    try {
      const other = appWith({}, otherDb)
      for (let i = 0; i < 5; i++) expect((await signIn('cv.trinhquang', `wrong-${i}`)).status).toBe(401)
      const refused = await signIn('cv.trinhquang', DEMO_PASSWORD, { app: other })
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBeTruthy()
    } finally {
      await otherDb.destroy()
    }
  })

  it('backs off per client address too (left-most X-Forwarded-For behind a trusted proxy), across accounts', async () => {
    const proxied = appWith({ trustProxy: true, addressFreeAttempts: 3 })
    const from = (address: string) => ({ app: proxied, headers: { 'x-forwarded-for': `${address}, 10.0.0.1` } })
    for (const user of ['cvc.ngodung', 'ptp.vuthao', 'tp.nguyenhai']) expect((await signIn(user, 'spray-1', from('203.0.113.7'))).status).toBe(401)
    expect((await signIn('tp.phamlan', DEMO_PASSWORD, from('203.0.113.7'))).status).toBe(429)
    expect((await signIn('tp.phamlan', DEMO_PASSWORD, from('198.51.100.2'))).status).toBe(200)
    // Not behind a trusted proxy, the header is the client's word and is ignored.
    expect((await signIn('tp.phamlan', DEMO_PASSWORD, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(200)
    // A success from an address takes back its own charge only.
    expect((await t.system.db.selectFrom('sign_in_throttles').select('failures').where('key', '=', 'address:198.51.100.2').executeTakeFirst())).toBeUndefined()
  })

  it('does the same scrypt work for an unknown username, an inactive account and a wrong password', async () => {
    const verify = vi.mocked(password.verifyPassword)
    const known = await t.system.db.selectFrom('staff').select('password_hash').where('username', '=', 'cv.dangkhoa').executeTakeFirstOrThrow()
    const dummy = await password.dummyPasswordHash()
    verify.mockClear()
    const unknown = await signIn('no.such.person', 'whatever-1')
    const wrong = await signIn('cv.dangkhoa', 'whatever-1')
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(await unknown.json()).toEqual(await wrong.json())
    expect(verify.mock.calls).toEqual([
      ['whatever-1', dummy],
      ['whatever-1', known.password_hash],
    ])
    // Same parameters (N, r, p) and key length: the same work.
    const shape = (hash: string) => [...hash.split('$').slice(0, 4), Buffer.from(hash.split('$')[5]!, 'base64').length]
    expect(shape(dummy)).toEqual(shape(known.password_hash))

    // An inactive account is checked in full too, and refused with the same answer even with its right password.
    const id = await staffId('cv.trinhquang')
    await t.system.db.updateTable('staff').set({ active: false }).where('id', '=', id).execute()
    await t.system.db.deleteFrom('sign_in_throttles').where('key', '=', 'account:cv.trinhquang').execute()
    verify.mockClear()
    const inactive = await signIn('cv.trinhquang', DEMO_PASSWORD)
    expect(inactive.status).toBe(401)
    expect(verify).toHaveBeenCalledTimes(1)
    await t.system.db.updateTable('staff').set({ active: true }).where('id', '=', id).execute()
  })

  it('rotates the session id at sign-in: the cookie presented with the login is ended', async () => {
    const first = await signIn('cv.dangkhoa', DEMO_PASSWORD)
    const { token: a } = await first.json()
    const cookieA = sessionCookie(first).split(';')[0]!
    expect(cookieA).toBe(`kpi_session=${a}`)
    const second = await signIn('cv.dangkhoa', DEMO_PASSWORD, { headers: { cookie: cookieA } })
    const { token: b } = await second.json()
    expect(b).not.toBe(a)
    expect(await me(a)).toBe(401)
    expect((await t.system.app.request('/api/me', { headers: { cookie: cookieA } })).status).toBe(401)
    expect(await me(b)).toBe(200)
  })

  it('sets the cookie HttpOnly, SameSite=Strict, path /, and Secure over HTTPS or with COOKIE_SECURE', async () => {
    const plain = sessionCookie(await signIn('cvp.lethu', DEMO_PASSWORD))
    expect(plain).toMatch(/HttpOnly/)
    expect(plain).toMatch(/SameSite=Strict/)
    expect(plain).toMatch(/Path=\//)
    expect(plain).not.toMatch(/Secure/)
    expect(plain).not.toMatch(/Expires|Max-Age/) // ends with the browser; the server enforces lifetimes
    expect(sessionCookie(await signIn('cvp.lethu', DEMO_PASSWORD, { app: appWith({ cookieSecure: true }) }))).toMatch(/; Secure/)
    expect(sessionCookie(await signIn('cvp.lethu', DEMO_PASSWORD, { app: appWith({ trustProxy: true }), headers: { 'x-forwarded-proto': 'https' } }))).toMatch(/; Secure/)
    expect(sessionCookie(await signIn('cvp.lethu', DEMO_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } }))).not.toMatch(/Secure/)
    expect(sessionCookie(await signIn('cvp.lethu', DEMO_PASSWORD, { url: 'https://kpi.example/api/auth/login' }))).toMatch(/; Secure/)
  })

  it('ends a session after 2 hours unused and 12 hours after sign-in, and refreshes idle time at most once a minute', async () => {
    const id = await staffId('pgd.hoangyen')
    const session = async () => {
      const { token } = await (await signIn('pgd.hoangyen', DEMO_PASSWORD)).json()
      return token as string
    }
    const age = (token: string, set: { created_at?: Date; last_seen_at?: Date }) =>
      t.system.db.updateTable('sessions').set(set).where('token_hash', '=', sql<string>`encode(sha256(${token}::bytea), 'hex')`).execute()
    const lastSeen = async (token: string) =>
      (await t.system.db.selectFrom('sessions').select('last_seen_at').where('token_hash', '=', sql<string>`encode(sha256(${token}::bytea), 'hex')`).executeTakeFirstOrThrow()).last_seen_at
    const ago = (ms: number) => new Date(Date.now() - ms)

    const idle = await session()
    await age(idle, { last_seen_at: ago(2 * 3600_000 + 60_000) })
    expect(await me(idle)).toBe(401)

    const old = await session()
    await age(old, { created_at: ago(12 * 3600_000 + 60_000), last_seen_at: ago(1000) })
    expect(await me(old)).toBe(401)

    const used = await session()
    await age(used, { created_at: ago(3 * 3600_000), last_seen_at: ago(90 * 60_000) })
    expect(await me(used)).toBe(200)
    expect((await lastSeen(used)).getTime()).toBeGreaterThan(Date.now() - 10_000)

    const recent = ago(30_000)
    await age(used, { last_seen_at: recent })
    forgetSessionsOf(id) // as if the 5-second cache had run out
    expect(await me(used)).toBe(200)
    expect((await lastSeen(used)).getTime()).toBe(recent.getTime()) // used 30 s ago: no write
  })

  it('signs out everywhere: POST /api/auth/logout-all ends every session of the user, or all but this one', async () => {
    const tokens = await Promise.all([1, 2, 3].map(async () => (await (await signIn('gd.tranminh', DEMO_PASSWORD)).json()).token as string))
    for (const token of tokens) expect(await me(token)).toBe(200)
    const keep = await t.api('POST', '/api/auth/logout-all', tokens[0], { keepCurrent: true })
    expect(keep).toMatchObject({ status: 200, body: { ok: true, ended: 2 } })
    expect([await me(tokens[0]!), await me(tokens[1]!), await me(tokens[2]!)]).toEqual([200, 401, 401])

    const other = (await (await signIn('gd.tranminh', DEMO_PASSWORD)).json()).token as string
    const all = await t.system.app.request('/api/auth/logout-all', { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}` } })
    expect(all.status).toBe(200)
    expect(await me(tokens[0]!)).toBe(401)
    expect(await me(other)).toBe(401)
    expect((await t.api('POST', '/api/auth/logout-all', admin, { everything: true })).status).toBe(400) // unknown keys are refused, not ignored
  })

  it('ends access at once when an admin deactivates the account', async () => {
    const token = (await (await signIn('cv.dangkhoa', DEMO_PASSWORD)).json()).token as string
    expect(await me(token)).toBe(200)
    const id = await staffId('cv.dangkhoa')
    expect((await t.api('PATCH', `/api/staff/${id}`, admin, { active: false })).status).toBe(200)
    expect(await me(token)).toBe(401)
    expect((await signIn('cv.dangkhoa', DEMO_PASSWORD)).status).toBe(401)
    expect((await t.api('PATCH', `/api/staff/${id}`, admin, { active: true })).status).toBe(200)
  })

  it('sends Content-Security-Policy (no inline script, never framed) with the web app and with API answers', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'kpi-signin-web-'))
    try {
      await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
      const html = readFileSync(join(outDir, 'index.html'), 'utf8')
      expect(html.match(/<script\b[^>]*>/g)!.every((tag) => / src="\/assets\//.test(tag))).toBe(true) // no inline script
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)

      const app = appWith({})
      expect(serveWebApp(app, outDir)).toBe(true)
      for (const path of ['/', '/cycles/1']) {
        const page = await app.request(path)
        expect(page.status).toBe(200)
        expect(page.headers.get('content-type')).toMatch(/text\/html/)
        expect(await page.text()).toContain('<div id="root">')
        const csp = page.headers.get('content-security-policy')!
        for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'", "style-src 'self'"]) expect(csp).toContain(directive)
        expect(csp).toMatch(/script-src 'self'[^;]*;/)
        expect(csp).not.toContain('unsafe-inline')
        expect(page.headers.get('x-frame-options')).toBe('DENY')
      }
      const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!
      expect((await app.request(script)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
    for (const [path, token] of [['/api/health', undefined], ['/api/me', admin], ['/api/me', undefined]] as const) {
      const res = await t.system.app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {})
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'")
    }
    expect((await signIn('admin', ADMIN_PASSWORD)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })
})
