import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common'
import proto from '@temporalio/proto'

const ENCODING = 'binary/encrypted'
const KEY_ID = 'encryption-key-id'
const IV_BYTES = 12
const TAG_BYTES = 16
const utf8 = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : '')

/** A key and its id (the first 16 hex digits of its SHA-256), so a payload names the key that sealed it. */
export interface PayloadKey {
  id: string
  key: Buffer
}

/** Reads a base64 AES-256 key (32 bytes), as PAYLOAD_KEY holds it. */
export function payloadKey(base64: string): PayloadKey {
  const key = Buffer.from(base64, 'base64')
  if (key.length !== 32) throw new Error('PAYLOAD_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)')
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key }
}

/**
 * Encrypts every payload the product sends to Temporal — workflow inputs, Update arguments and
 * results, activity inputs, query answers — with AES-256-GCM, so the Temporal server, its
 * database and its Web UI hold only ciphertext. Payloads written before encryption was turned on
 * (and the recorded test histories) pass through unchanged; older keys still decrypt what they
 * sealed, so a key can be rotated.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>

  constructor(
    private readonly current: PayloadKey,
    older: PayloadKey[] = [],
  ) {
    this.keys = new Map([current, ...older].map((k) => [k.id, k.key]))
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => ({
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING), [KEY_ID]: utf8(this.current.id) },
        data: seal(proto.temporal.api.common.v1.Payload.encode(payload).finish(), this.current.key),
      })),
    )
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    try {
      return Promise.resolve(payloads.map((payload) => this.open(payload)))
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }

  private open(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return payload
    const id = text(payload.metadata?.[KEY_ID])
    const key = this.keys.get(id)
    if (!key) throw new Error(`No payload key with id ${id}: set PAYLOAD_KEY (or PAYLOAD_OLD_KEYS) to the key that encrypted it`)
    return proto.temporal.api.common.v1.Payload.decode(open(payload.data ?? new Uint8Array(), key))
  }
}

function seal(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()])
}

function open(sealed: Uint8Array, key: Buffer): Uint8Array {
  const data = Buffer.from(sealed)
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES))
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES))
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()])
}
