import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { SessionUser } from '../http/context.js'

const SESSION_HOURS = 12

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

/** Opens a session; only the token's hash is stored. */
export async function createSession(db: Db, staffId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000)
  await db.insertInto('sessions').values({ token_hash: digest(token), staff_id: staffId, expires_at: expiresAt }).execute()
  return { token, expiresAt }
}

/**
 * Who a token belongs to, remembered for a few seconds: every request needs it, and it rarely
 * changes. Logging out or changing the person (roles, unit, deactivation) forgets it at once in
 * this process; another API process sees the change within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000
const SESSION_CACHE_MAX = 10_000
const remembered = new Map<string, { user: SessionUser; until: number }>()

export async function findSessionUser(db: Db, token: string): Promise<SessionUser | undefined> {
  const key = digest(token)
  const hit = remembered.get(key)
  if (hit && hit.until > Date.now()) return hit.user
  remembered.delete(key)
  const found = await lookUpSession(db, key)
  if (!found) return undefined
  const { expiresAt, ...user } = found
  if (remembered.size >= SESSION_CACHE_MAX) remembered.delete(remembered.keys().next().value!)
  remembered.set(key, { user, until: Math.min(Date.now() + SESSION_CACHE_MS, expiresAt.getTime()) })
  return user
}

/** Forgets the remembered sessions of one person (after their roles, unit or status change). */
export function forgetSessionsOf(staffId: number): void {
  for (const [key, entry] of remembered) if (entry.user.id === staffId) remembered.delete(key)
}

async function lookUpSession(db: Db, tokenHash: string): Promise<(SessionUser & { expiresAt: Date }) | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('staff as u', 'u.id', 's.staff_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.roles', 'u.unit_id', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .where('u.active', '=', true)
    .executeTakeFirst()
  return row && { id: row.id, username: row.username, fullName: row.full_name, roles: row.roles, unitId: row.unit_id, expiresAt: new Date(row.expires_at) }
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  remembered.delete(digest(token))
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute()
}
