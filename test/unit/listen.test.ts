import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../server/http/context.js'
import { listen } from '../../server/http/serve.js'
import { freePort } from '../../server/temporal/temporal-cli.js'

describe('listen', () => {
  it('resolves once the port is bound: a request sent at once is answered, not refused', async () => {
    const app = new Hono<AppEnv>()
    app.get('/api/health', (c) => c.json({ ok: true }))
    const port = await freePort()
    const http = await listen(app, port, false)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ok: true })
    } finally {
      await http.close()
    }
  })

  it('fails when the port is taken instead of printing ready', async () => {
    const app = new Hono<AppEnv>()
    const port = await freePort()
    const first = await listen(app, port, false)
    try {
      await expect(listen(app, port, false)).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.close()
    }
  })
})
