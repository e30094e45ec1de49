import { randomBytes } from 'node:crypto'
import { defaultPayloadConverter } from '@temporalio/common'
import { describe, expect, it } from 'vitest'
import { codecServer } from '../../server/temporal/codec-server.js'
import { EncryptionCodec, payloadKey } from '../../server/temporal/payload-codec.js'

const key = () => payloadKey(randomBytes(32).toString('base64'))
const document = { fullName: 'Mai Thị Phương', reason: 'Bổ sung minh chứng hồ sơ thẩm định' }
const plain = () => defaultPayloadConverter.toPayload(document)

describe('the payload codec', () => {
  it('seals payloads with AES-256-GCM: no clear text leaves the process, and they come back whole', async () => {
    const codec = new EncryptionCodec(key())
    const [sealed] = await codec.encode([plain()])
    expect(Buffer.from(sealed!.data!).toString('utf8')).not.toContain('Phương')
    expect(Buffer.from(sealed!.metadata!['encoding']!).toString()).toBe('binary/encrypted')
    const [opened] = await codec.decode([sealed!])
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(document)
  })

  it('passes payloads written before encryption through, and refuses tampered or unknown-key ones', async () => {
    const codec = new EncryptionCodec(key())
    const [old] = await codec.decode([plain()])
    expect(defaultPayloadConverter.fromPayload(old!)).toEqual(document)
    const [sealed] = await codec.encode([plain()])
    const tampered = { ...sealed!, data: Uint8Array.from(sealed!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) }
    await expect(codec.decode([tampered])).rejects.toThrow()
    await expect(new EncryptionCodec(key()).decode([sealed!])).rejects.toThrow(/No payload key/)
  })

  it('decodes with an older key after rotation', async () => {
    const before = key()
    const [sealed] = await new EncryptionCodec(before).encode([plain()])
    const [opened] = await new EncryptionCodec(key(), [before]).decode([sealed!])
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(document)
  })

  it('serves the Web UI codec protocol, to the UI origin only', async () => {
    const codec = new EncryptionCodec(key())
    const [sealed] = await codec.encode([plain()])
    const app = codecServer(codec, 'http://localhost:8233')
    const json = { payloads: [{ metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(sealed!.data!).toString('base64') }] }
    const res = await app.request('/decode', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:8233' }, body: JSON.stringify(json) })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233')
    const body = (await res.json()) as { payloads: { data: string }[] }
    expect(JSON.parse(Buffer.from(body.payloads[0]!.data, 'base64').toString('utf8'))).toEqual(document)
    const foreign = await app.request('/decode', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
    expect((await app.request('/decode', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400)
  })
})
