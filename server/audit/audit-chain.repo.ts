import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { advanceChain, finishChain, startChain, type ChainHead, type ChainRow, type ChainVerdict } from './audit-chain.js'

/** The chain head the trigger keeps, or undefined before the audit-chain migration. */
export async function readChainHead(db: Db): Promise<ChainHead | undefined> {
  const { rows } = await sql<{ last_id: number | null; hash: string }>`select last_id, hash from audit_chain_head`.execute(db)
  return rows[0] && { lastId: rows[0].last_id, hash: rows[0].hash }
}

/** One page of events after `afterId`, up to `lastId`, with every field as PostgreSQL prints it. */
async function chainPage(db: Db, afterId: number, lastId: number, limit: number): Promise<ChainRow[]> {
  // The same texts as audit_event_canonical() in migration 2026-12-01-002-audit-chain.
  const { rows } = await sql<ChainRow>`
    select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at", actor_id::text as "actorId", entity, entity_id as "entityId",
           action, from_stage as "fromStage", to_stage as "toStage", reason, data::text as data, ruleset_id::text as "ruleSetId",
           rule_hash as "ruleHash", idempotency_key as "idempotencyKey", hash
    from audit_events where id > ${afterId} and id <= ${lastId} order by id limit ${limit}`.execute(db)
  return rows
}

/**
 * Recomputes the audit chain in id order, a page at a time, up to the head read first: every
 * event up to the head's id is committed (the head moves in the same transaction, under its lock),
 * and events appended meanwhile are left to the next check.
 */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainVerdict> {
  const head = await readChainHead(db)
  if (!head) throw new Error('audit_chain_head is missing: the audit-chain migration has not run')
  let progress = startChain()
  let afterId = 0
  while (head.lastId !== null && progress.firstBrokenId === null) {
    const rows = await chainPage(db, afterId, head.lastId, pageSize)
    progress = advanceChain(progress, rows)
    if (rows.length < pageSize) break
    afterId = rows[rows.length - 1]!.id
  }
  return finishChain(progress, head)
}
