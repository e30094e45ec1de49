import { createHash } from 'node:crypto'

/**
 * The audit hash chain, recomputed in JavaScript: the same canonical text and hash as the
 * trigger of migration 2026-12-01-002-audit-chain, so a row edited behind the application's
 * back (triggers disabled by a superuser) no longer matches its stored hash.
 */

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64)

/** One audit event as PostgreSQL prints its fields (the repository selects them as text). */
export interface ChainRow {
  id: number
  /** UTC, microseconds: `YYYY-MM-DDTHH:MI:SS.ffffffZ`. */
  at: string
  actorId: string | null
  entity: string
  entityId: string
  action: string
  fromStage: string | null
  toStage: string | null
  reason: string | null
  /** The jsonb value's text (`data::text`): PostgreSQL prints jsonb canonically. */
  data: string | null
  ruleSetId: string | null
  ruleHash: string | null
  idempotencyKey: string | null
  hash: string | null
}

/** The verdict `GET /api/audit/verify` answers. */
export interface ChainVerdict {
  ok: boolean
  checked: number
  /** The first event whose stored hash differs from the recomputed one (or, rows missing at the end, the head's last id). */
  firstBrokenId: number | null
}

/** Where a verification stands after some rows: the hash to chain from next. */
export interface ChainProgress {
  prevHash: string
  checked: number
  firstBrokenId: number | null
}

/** The head the trigger keeps: the last event chained and its hash. */
export interface ChainHead {
  lastId: number | null
  hash: string
}

/** A field as the canonical text writes it: `\` → `\\`, `|` → `\|`, NULL → `\N`. */
function field(value: string | number | null): string {
  return value === null ? '\\N' : String(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|')
}

/** The canonical text of one event (see the migration for the definition). */
export function canonicalAuditEvent(r: ChainRow): string {
  return [r.id, r.at, r.actorId, r.entity, r.entityId, r.action, r.fromStage, r.toStage, r.reason, r.data, r.ruleSetId, r.ruleHash, r.idempotencyKey].map(field).join('|')
}

/** sha256(previous hash | canonical event), hex over UTF-8. */
export function chainHash(prevHash: string, row: ChainRow): string {
  return createHash('sha256').update(`${prevHash}|${canonicalAuditEvent(row)}`, 'utf8').digest('hex')
}

/** The start of a verification. */
export function startChain(): ChainProgress {
  return { prevHash: GENESIS_HASH, checked: 0, firstBrokenId: null }
}

/** Checks the next rows (in id order); stops at the first broken one. */
export function advanceChain(progress: ChainProgress, rows: readonly ChainRow[]): ChainProgress {
  let { prevHash, checked } = progress
  if (progress.firstBrokenId !== null) return progress
  for (const row of rows) {
    const expected = chainHash(prevHash, row)
    checked++
    if (row.hash !== expected) return { prevHash, checked, firstBrokenId: row.id }
    prevHash = expected
  }
  return { prevHash, checked, firstBrokenId: null }
}

/** The verdict once every row up to the head is checked: the last hash must be the head's (else rows were removed at the end). */
export function finishChain(progress: ChainProgress, head: ChainHead): ChainVerdict {
  if (progress.firstBrokenId !== null) return { ok: false, checked: progress.checked, firstBrokenId: progress.firstBrokenId }
  if (progress.prevHash !== head.hash) return { ok: false, checked: progress.checked, firstBrokenId: head.lastId ?? 0 }
  return { ok: true, checked: progress.checked, firstBrokenId: null }
}
