import { gunzipSync } from 'node:zlib'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../server/http/context.js'
import { compressed } from '../../server/http/serve.js'

/** The answers as a client gets them over the network (`compressed` is what `listen` serves). */
describe('API answers as sent: JSON gzipped whole, other text streamed, secrets never', () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ evaluationId: i + 1, fullName: `Nguyễn Văn ${i}`, total: 80 + i / 10, level: 'HTT' }))
  const app = new Hono<AppEnv>()
  app.get('/api/results', (c) => c.json({ results: rows }))
  app.get('/api/small', (c) => c.json({ ok: true }))
  app.get('/api/tagged', (c) => c.json({ results: rows }, 200, { ETag: '"v7"', Vary: 'Cookie' }))
  app.get('/api/no-transform', (c) => c.json({ results: rows }, 200, { 'Cache-Control': 'no-transform' }))
  app.get('/api/missing', (c) => c.json({ error: { code: 'NOT_FOUND', message: 'Không tìm thấy.', messageEn: 'Not found.', details: rows } }, 404))
  app.get('/api/export.csv', (c) => c.body(rows.map((r) => `${r.evaluationId};${r.fullName};${r.total}`).join('\n'), 200, { 'Content-Type': 'text/csv; charset=utf-8' }))
  app.get('/api/session', (c) => c.json({ token: 'secret', results: rows }))
  const served = compressed(app)
  const get = (path: string, encoding: string) => served.request(path, { headers: { 'accept-encoding': encoding } })

  it('gzips a JSON answer at once, with its length: the same JSON once gunzipped', async () => {
    const res = await get('/api/results', 'gzip, deflate, br')
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i)
    const body = new Uint8Array(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(body.byteLength)
    expect(body.byteLength).toBeLessThan(JSON.stringify({ results: rows }).length / 2)
    expect(JSON.parse(gunzipSync(body).toString('utf8'))).toEqual({ results: rows })
  })

  it('keeps the status of a refusal it compresses', async () => {
    const res = await get('/api/missing', 'gzip')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(JSON.parse(gunzipSync(new Uint8Array(await res.arrayBuffer())).toString('utf8')).error.code).toBe('NOT_FOUND')
  })

  it('sends a client that does not accept gzip the JSON as it is, saying it depends on Accept-Encoding', async () => {
    for (const encoding of ['identity', 'br', 'gzip;q=0']) {
      const res = await get('/api/results', encoding)
      expect(res.headers.get('content-encoding')).toBeNull()
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i)
      expect(await res.json()).toEqual({ results: rows })
    }
  })

  it('sends an answer under 1 KB as it is, with its length (not streamed through compress either)', async () => {
    const res = await get('/api/small', 'gzip')
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(res.headers.get('content-length')).toBe(String('{"ok":true}'.length))
    expect(await res.json()).toEqual({ ok: true })
  })

  it('weakens a strong ETag of what it compresses, keeps the Vary it had, leaves no-transform answers alone', async () => {
    const tagged = await get('/api/tagged', 'gzip')
    expect(tagged.headers.get('etag')).toBe('W/"v7"')
    expect(tagged.headers.get('vary')).toBe('Cookie, Accept-Encoding')
    const untouched = await get('/api/no-transform', 'gzip')
    expect(untouched.headers.get('content-encoding')).toBeNull()
    expect(await untouched.json()).toEqual({ results: rows })
  })

  it('leaves other text to the streaming compression, and never compresses an answer carrying a secret (BREACH)', async () => {
    const csv = await get('/api/export.csv', 'gzip')
    expect(csv.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(new Uint8Array(await csv.arrayBuffer())).toString('utf8')).toContain('1;Nguyễn Văn 0;80')
    const session = await get('/api/session', 'gzip')
    expect(session.headers.get('content-encoding')).toBeNull()
    expect((await session.json()).token).toBe('secret')
  })
})
