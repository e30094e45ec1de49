import type { Db } from '../db/database.js'
import type { NewAuditEvent } from '../db/schema.js'

type AuditInput = Omit<NewAuditEvent, 'data'> & { data?: Record<string, unknown> | null }

// Every insert into audit_events is chained by the database (trigger audit_events_chain, migration
// 2026-12-01-002): it assigns the id and the hash under a lock on the chain head that is held until
// the transaction ends. So append the audit last in a transaction, after its other writes.

/** Appends one audit event; with an idempotency key a retried write is a no-op. Returns false when it already existed. */
export async function appendAudit(db: Db, event: AuditInput): Promise<boolean> {
  const result = await db
    .insertInto('audit_events')
    .values({ ...event, data: event.data ? JSON.stringify(event.data) : null })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Appends many audit events in one statement per 500 (bulk actions: sign-off, cancel, ranking). Idempotent by key. */
export async function appendAuditMany(db: Db, events: AuditInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await db
      .insertInto('audit_events')
      .values(events.slice(i, i + 500).map((e) => ({ ...e, data: e.data ? JSON.stringify(e.data) : null })))
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
  }
}

export interface AuditEvent {
  id: number
  at: Date
  actorId: number | null
  actorName: string | null
  action: string
  fromStage: string | null
  toStage: string | null
  reason: string | null
  data: unknown
  ruleSetId: number | null
  ruleHash: string | null
}

export async function listAudit(db: Db, entity: string, entityId: string, pageOf: { after?: number | undefined; limit: number }): Promise<AuditEvent[]> {
  let q = db
    .selectFrom('audit_events as a')
    .leftJoin('staff as s', 's.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 's.full_name', 'a.action', 'a.from_stage', 'a.to_stage', 'a.reason', 'a.data', 'a.ruleset_id', 'a.rule_hash'])
    .where('a.entity', '=', entity as never)
    .where('a.entity_id', '=', entityId)
    .orderBy('a.id')
    .limit(pageOf.limit)
  if (pageOf.after !== undefined) q = q.where('a.id', '>', pageOf.after)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.full_name,
    action: r.action,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    reason: r.reason,
    data: r.data,
    ruleSetId: r.ruleset_id,
    ruleHash: r.rule_hash,
  }))
}
