import { describe, expect, it } from 'vitest'
import { advanceChain, canonicalAuditEvent, chainHash, finishChain, GENESIS_HASH, startChain, type ChainRow } from '../../server/audit/audit-chain.js'

const event = (id: number, over: Partial<ChainRow> = {}): ChainRow => ({
  id,
  at: '2026-12-01T03:04:05.123456Z',
  actorId: '7',
  entity: 'evaluation',
  entityId: '12',
  action: 'submit',
  fromStage: 'SELF_ASSESSMENT',
  toStage: 'UNIT_REVIEW',
  reason: null,
  data: '{"a": 1}',
  ruleSetId: null,
  ruleHash: null,
  idempotencyKey: `evaluation:12:v${id}`,
  hash: null,
  ...over,
})

/** A chain as the trigger writes it. */
function chained(rows: ChainRow[]): ChainRow[] {
  let prev = GENESIS_HASH
  return rows.map((r) => {
    prev = chainHash(prev, r)
    return { ...r, hash: prev }
  })
}

describe('the audit hash chain', () => {
  it('writes each field escaped, so no two events share a canonical text', () => {
    expect(canonicalAuditEvent(event(1))).toBe('1|2026-12-01T03:04:05.123456Z|7|evaluation|12|submit|SELF_ASSESSMENT|UNIT_REVIEW|\\N|{"a": 1}|\\N|\\N|evaluation:12:v1')
    const a = canonicalAuditEvent(event(1, { fromStage: 'A|', toStage: 'B' }))
    const b = canonicalAuditEvent(event(1, { fromStage: 'A', toStage: '|B' }))
    expect(a).not.toBe(b)
    expect(canonicalAuditEvent(event(1, { reason: '\\N' }))).not.toBe(canonicalAuditEvent(event(1, { reason: null })))
    expect(canonicalAuditEvent(event(1, { reason: 'a\\|b' }))).toContain('|a\\\\\\|b|')
  })

  it('accepts an intact chain, page by page', () => {
    const rows = chained([event(1), event(2), event(5)])
    const progress = advanceChain(advanceChain(startChain(), rows.slice(0, 2)), rows.slice(2))
    expect(finishChain(progress, { lastId: 5, hash: rows[2]!.hash! })).toEqual({ ok: true, checked: 3, firstBrokenId: null })
    expect(finishChain(startChain(), { lastId: null, hash: GENESIS_HASH })).toEqual({ ok: true, checked: 0, firstBrokenId: null })
  })

  it('names the first event edited, or the next one when an event is removed, and stops there', () => {
    const rows = chained([event(1), event(2), event(3), event(4)])
    const edited = rows.map((r) => (r.id === 2 ? { ...r, reason: 'sửa' } : r))
    expect(finishChain(advanceChain(startChain(), edited), { lastId: 4, hash: rows[3]!.hash! })).toEqual({ ok: false, checked: 2, firstBrokenId: 2 })
    const removed = rows.filter((r) => r.id !== 3)
    expect(finishChain(advanceChain(startChain(), removed), { lastId: 4, hash: rows[3]!.hash! })).toEqual({ ok: false, checked: 3, firstBrokenId: 4 })
  })

  it('names the head when events are missing at the end', () => {
    const rows = chained([event(1), event(2), event(3)])
    expect(finishChain(advanceChain(startChain(), rows.slice(0, 2)), { lastId: 3, hash: rows[2]!.hash! })).toEqual({ ok: false, checked: 2, firstBrokenId: 3 })
  })
})
