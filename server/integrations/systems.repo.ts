import { sql } from 'kysely'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import type { RejectedRow } from '../db/schema.integrations.js'
import { ApiError, notFound } from '../errors.js'
import { hashKey, newKey, ROTATION_GRACE_MS } from './api-keys.js'

/** A key as the admin sees it (never the key itself, never the secret). */
export interface KeyView {
  id: number
  prefix: string
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
  lastUsedAt: Date | null
  state: 'active' | 'expiring' | 'expired' | 'revoked'
}

export interface SystemView {
  id: number
  code: string
  name: string
  requireSignature: boolean
  active: boolean
  createdAt: Date
  keys: KeyView[]
}

/** Shown once, at creation or rotation: the key and its signing secret. */
export interface IssuedKey {
  keyId: number
  key: string
  signingSecret: string
  prefix: string
}

const keyState = (k: { expires_at: Date | null; revoked_at: Date | null }, now: Date): KeyView['state'] =>
  k.revoked_at ? 'revoked' : !k.expires_at ? 'active' : k.expires_at > now ? 'expiring' : 'expired'

/** Every connected system with its keys. */
export async function listSystems(db: Db): Promise<SystemView[]> {
  const systems = await db.selectFrom('integration_systems').selectAll().orderBy('id').execute()
  const keys = await db.selectFrom('integration_keys').select(['id', 'system_id', 'prefix', 'created_at', 'expires_at', 'revoked_at', 'last_used_at']).orderBy('id').execute()
  const now = new Date()
  return systems.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    requireSignature: s.require_signature,
    active: s.active,
    createdAt: s.created_at,
    keys: keys
      .filter((k) => k.system_id === s.id)
      .map((k) => ({ id: k.id, prefix: k.prefix, createdAt: k.created_at, expiresAt: k.expires_at, revokedAt: k.revoked_at, lastUsedAt: k.last_used_at, state: keyState(k, now) })),
  }))
}

/** Connects a system and issues its first key (shown once). */
export async function createSystem(db: Db, input: { code: string; name: string; requireSignature: boolean }, actorId: number): Promise<{ system: SystemView; issued: IssuedKey }> {
  const issued = await db.transaction().execute(async (trx) => {
    const dup = await trx.selectFrom('integration_systems').select('id').where('code', '=', input.code).executeTakeFirst()
    if (dup) throw new ApiError(409, 'DUPLICATE', `Đã có hệ thống mã ${input.code}.`, `A system with code ${input.code} already exists.`)
    const row = await trx.insertInto('integration_systems').values({ code: input.code, name: input.name, require_signature: input.requireSignature, created_by: actorId }).returning('id').executeTakeFirstOrThrow()
    const key = await insertKey(trx, row.id, actorId)
    await appendAudit(trx, { actor_id: actorId, entity: 'integration', entity_id: `system:${row.id}`, action: 'createSystem', reason: null, data: { ...input, keyPrefix: key.prefix } })
    return { ...key, systemId: row.id }
  })
  const system = (await listSystems(db)).find((s) => s.id === issued.systemId)!
  return { system, issued: { keyId: issued.keyId, key: issued.key, signingSecret: issued.signingSecret, prefix: issued.prefix } }
}

/** Changes a system's name, signature requirement or whether it may call at all. */
export async function updateSystem(db: Db, id: number, input: { name?: string | undefined; requireSignature?: boolean | undefined; active?: boolean | undefined }, actorId: number): Promise<SystemView> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('integration_systems')
      .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.requireSignature !== undefined ? { require_signature: input.requireSignature } : {}), ...(input.active !== undefined ? { active: input.active } : {}) })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst()
    if (!row) throw notFound('hệ thống / system', id)
    await appendAudit(trx, { actor_id: actorId, entity: 'integration', entity_id: `system:${id}`, action: 'updateSystem', reason: null, data: { ...input } })
  })
  return (await listSystems(db)).find((s) => s.id === id)!
}

/**
 * Issues a new key; every key still active gets `expires_at = now + grace` (24 h), so the system
 * can switch without a gap. Revoke the old key to end it at once.
 */
export async function rotateKey(db: Db, systemId: number, actorId: number): Promise<IssuedKey> {
  return db.transaction().execute(async (trx) => {
    const system = await trx.selectFrom('integration_systems').select('id').where('id', '=', systemId).forUpdate().executeTakeFirst()
    if (!system) throw notFound('hệ thống / system', systemId)
    const expiresAt = new Date(Date.now() + ROTATION_GRACE_MS)
    const old = await trx.updateTable('integration_keys').set({ expires_at: expiresAt }).where('system_id', '=', systemId).where('revoked_at', 'is', null).where('expires_at', 'is', null).returning('prefix').execute()
    const key = await insertKey(trx, systemId, actorId)
    await appendAudit(trx, { actor_id: actorId, entity: 'integration', entity_id: `system:${systemId}`, action: 'rotateKey', reason: null, data: { newKeyPrefix: key.prefix, expiring: old.map((k) => k.prefix), expiresAt: expiresAt.toISOString() } })
    return key
  })
}

/** Ends a key at once. */
export async function revokeKey(db: Db, systemId: number, keyId: number, actorId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('integration_keys').set({ revoked_at: new Date() }).where('id', '=', keyId).where('system_id', '=', systemId).where('revoked_at', 'is', null).returning('prefix').executeTakeFirst()
    if (!row) {
      const exists = await trx.selectFrom('integration_keys').select('id').where('id', '=', keyId).where('system_id', '=', systemId).executeTakeFirst()
      if (!exists) throw notFound('khóa / key', keyId)
      throw new ApiError(409, 'CONFLICT', 'Khóa này đã bị thu hồi.', 'This key is already revoked.')
    }
    await appendAudit(trx, { actor_id: actorId, entity: 'integration', entity_id: `system:${systemId}`, action: 'revokeKey', reason: null, data: { keyId, prefix: row.prefix } })
  })
}

async function insertKey(db: Db, systemId: number, actorId: number): Promise<IssuedKey> {
  const k = newKey()
  const row = await db.insertInto('integration_keys').values({ system_id: systemId, key_hash: k.hash, prefix: k.prefix, signing_secret: k.signingSecret, created_by: actorId }).returning('id').executeTakeFirstOrThrow()
  return { keyId: row.id, key: k.key, signingSecret: k.signingSecret, prefix: k.prefix }
}

/** The calling system behind a key, while the key is valid (not revoked, not past its grace period) and the system active. */
export interface Caller {
  systemId: number
  systemCode: string
  systemName: string
  keyId: number
  signingSecret: string
  requireSignature: boolean
  /** The admin who connected the system: recorded as creator of the work items it sends. */
  ownerId: number
}

export async function findCaller(db: Db, key: string): Promise<Caller | undefined> {
  const row = await db
    .selectFrom('integration_keys as k')
    .innerJoin('integration_systems as s', 's.id', 'k.system_id')
    .select(['k.id', 'k.signing_secret', 's.id as system_id', 's.code', 's.name', 's.require_signature', 's.created_by'])
    .where('k.key_hash', '=', hashKey(key))
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', new Date())]))
    .where('s.active', '=', true)
    .executeTakeFirst()
  if (!row) return undefined
  await db.updateTable('integration_keys').set({ last_used_at: sql<Date>`now()` }).where('id', '=', row.id).execute()
  return { systemId: row.system_id, systemCode: row.code, systemName: row.name, keyId: row.id, signingSecret: row.signing_secret, requireSignature: row.require_signature, ownerId: row.created_by }
}

/** Records one call of a system (answered or refused) and audits it. */
export async function recordCall(
  db: Db,
  call: { systemId: number | null; keyId: number | null; endpoint: string; status: number; errorCode?: string | null; rows?: number; accepted?: number; unchanged?: number; rejected?: RejectedRow[] },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('integration_calls')
      .values({ system_id: call.systemId, key_id: call.keyId, endpoint: call.endpoint, status: call.status, error_code: call.errorCode ?? null, rows: call.rows ?? 0, accepted: call.accepted ?? 0, unchanged: call.unchanged ?? 0, rejected: JSON.stringify(call.rejected ?? []) })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, {
      actor_id: null,
      entity: 'integration',
      entity_id: call.systemId ? `system:${call.systemId}` : 'unknown',
      action: 'call',
      reason: call.errorCode ?? null,
      data: { callId: row.id, endpoint: call.endpoint, status: call.status, rows: call.rows ?? 0, accepted: call.accepted ?? 0, unchanged: call.unchanged ?? 0, rejected: (call.rejected ?? []).length },
    })
  })
}

/** The latest calls (all systems or one), with their refused rows. */
/** Calls newest first: of one system or all, before the call with id `before`, at most `limit`. */
export async function listCalls(db: Db, filter: { systemId?: number | undefined; before?: number | undefined }, limit: number) {
  let q = db.selectFrom('integration_calls as c').leftJoin('integration_systems as s', 's.id', 'c.system_id').select(['c.id', 'c.system_id', 's.code as system_code', 'c.endpoint', 'c.status', 'c.error_code', 'c.rows', 'c.accepted', 'c.unchanged', 'c.rejected', 'c.at']).orderBy('c.id', 'desc').limit(limit)
  if (filter.systemId) q = q.where('c.system_id', '=', filter.systemId)
  if (filter.before !== undefined) q = q.where('c.id', '<', filter.before)
  return (await q.execute()).map((r) => ({ id: r.id, systemId: r.system_id, systemCode: r.system_code, endpoint: r.endpoint, status: r.status, errorCode: r.error_code, rows: r.rows, accepted: r.accepted, unchanged: r.unchanged, rejected: r.rejected, at: r.at }))
}
