import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DataConverter } from '@temporalio/common'
import type { Config } from '../config.js'
import { EncryptionCodec, payloadKey } from './payload-codec.js'

/** The payload codec of every client and worker: encryption when a key is configured. */
export function payloadCodecOf(config: Pick<Config, 'payloadKey' | 'payloadOldKeys'>): EncryptionCodec | undefined {
  return config.payloadKey ? new EncryptionCodec(payloadKey(config.payloadKey), config.payloadOldKeys.map(payloadKey)) : undefined
}

export function dataConverterOf(config: Pick<Config, 'payloadKey' | 'payloadOldKeys'>): DataConverter | undefined {
  const codec = payloadCodecOf(config)
  return codec ? { payloadCodecs: [codec] } : undefined
}

/**
 * The embedded set-up (`npm start` without PAYLOAD_KEY) keeps its own key in the data folder, so
 * even the demo never writes personal data to Temporal in clear; production sets PAYLOAD_KEY.
 */
export function embeddedPayloadKey(dataDir: string): string {
  const file = join(dataDir, 'payload.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64')
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return key
}
