import type { Payload, PayloadCodec } from '@temporalio/common'
import { Hono } from 'hono'
import { cors } from 'hono/cors'

/** A payload as Temporal's Web UI and CLI send it to a remote codec: proto JSON, bytes in base64. */
interface JsonPayload {
  metadata?: Record<string, string> | null
  data?: string | null
}

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : {},
  data: data ? Buffer.from(data, 'base64') : new Uint8Array(),
})
const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])) : {},
  data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
})

/**
 * The remote codec endpoint of Temporal's Web UI and CLI (`POST /decode`, `POST /encode`), so an
 * operator reads workflow inputs and results in clear. It holds the key: bind it to loopback on
 * the operator's side (SSH tunnel), never to a public address; CORS admits only the UI's origin.
 */
export function codecServer(codec: PayloadCodec, uiOrigin: string): Hono {
  const app = new Hono()
  app.use('*', cors({ origin: uiOrigin, allowHeaders: ['content-type', 'x-namespace', 'authorization'], allowMethods: ['POST', 'OPTIONS'], credentials: true }))
  const handle = (op: 'encode' | 'decode') =>
    app.post(`/${op}`, async (c) => {
      const body = (await c.req.json().catch(() => null)) as { payloads?: unknown } | null
      if (!body || !Array.isArray(body.payloads)) return c.json({ error: 'expected {"payloads": [...]}' }, 400)
      try {
        const payloads = await codec[op]((body.payloads as JsonPayload[]).map(fromJson))
        return c.json({ payloads: payloads.map(toJson) })
      } catch (err) {
        return c.json({ error: (err as Error).message }, 400)
      }
    })
  handle('decode')
  handle('encode')
  return app
}
