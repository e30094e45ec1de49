import { serve } from '@hono/node-server'
import type { Config } from '../config.js'
import { codecServer } from './codec-server.js'
import { payloadCodecOf } from './data-converter.js'

export interface CodecEndpoint {
  url: string
  close(): void
}

/**
 * Serves the Temporal Web UI's codec endpoint on loopback (CODEC_PORT, default 8888), so an
 * operator sees decrypted inputs and results. Nothing when no key is configured; a warning, not a
 * failure, when the port is taken.
 */
export function startCodecEndpoint(config: Pick<Config, 'payloadKey' | 'payloadOldKeys' | 'codecPort' | 'temporalUiOrigin'>): CodecEndpoint | undefined {
  const codec = payloadCodecOf(config)
  if (!codec) return undefined
  const server = serve({ fetch: codecServer(codec, config.temporalUiOrigin).fetch, port: config.codecPort, hostname: '127.0.0.1' })
  server.on('error', (err) => console.warn(`Codec endpoint for the Temporal UI not started (port ${config.codecPort}): ${(err as Error).message}`))
  return { url: `http://127.0.0.1:${config.codecPort}`, close: () => void server.close() }
}
