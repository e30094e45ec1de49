import { createHash, randomBytes } from 'node:crypto'
import { loadAuthConfig, type AuthConfig } from '../config.js'
import type { Db } from '../db/database.js'
import type { SessionUser } from '../http/context.js'

/** How long a session lives: `idleMs` after its last use, `absoluteMs` after sign-in at most. */
export interface SessionLifetime {
  idleMs: number
  absoluteMs: number
}

/** Idle time is written back at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

/** The configured lifetimes (SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS). */
export function configuredLifetime(auth: AuthConfig = loadAuthConfig()): SessionLifetime {
  return { idleMs: auth.sessionIdleMs, absoluteMs: auth.sessionAbsoluteMs }
}

/** Opens a session under a fresh random token; only the token's hash is stored. */
export async function createSession(db: Db, staffId: number, lifetime: SessionLifetime = configuredLifetime()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const now = new Date()
  const expiresAt = new Date(now.getTime() + lifetime.absoluteMs)
  // Housekeeping while we are here: this person's sessions that have run out.
  await db
    .deleteFrom('sessions')
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', new Date(now.getTime() - lifetime.absoluteMs)), eb('last_seen_at', '<=', new Date(now.getTime() - lifetime.idleMs))]))
    .execute()
  await db.insertInto('sessions').values({ token_hash: digest(token), staff_id: staffId, expires_at: expiresAt, created_at: now, last_seen_at: now }).execute()
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

export async function findSessionUser(db: Db, token: string, lifetime: SessionLifetime): Promise<SessionUser | undefined> {
  const key = digest(token)
  const now = Date.now()
  const hit = remembered.get(key)
  if (hit && hit.until > now) return hit.user
  remembered.delete(key)
  const found = await lookUpSession(db, key, lifetime, new Date(now))
  if (!found) return undefined
  const { endsAt, lastSeenAt, ...user } = found
  if (now - lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(db, key, new Date(now))
  if (remembered.size >= SESSION_CACHE_MAX) remembered.delete(remembered.keys().next().value!)
  remembered.set(key, { user, until: Math.min(now + SESSION_CACHE_MS, endsAt.getTime()) })
  return user
}

/** Forgets the remembered sessions of one person (after their roles, unit or status change). */
export function forgetSessionsOf(staffId: number): void {
  for (const [key, entry] of remembered) if (entry.user.id === staffId) remembered.delete(key)
}

async function lookUpSession(db: Db, tokenHash: string, lifetime: SessionLifetime, now: Date): Promise<(SessionUser & { endsAt: Date; lastSeenAt: Date }) | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('staff as u', 'u.id', 's.staff_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.roles', 'u.unit_id', 's.expires_at', 's.created_at', 's.last_seen_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('s.created_at', '>', new Date(now.getTime() - lifetime.absoluteMs))
    .where('s.last_seen_at', '>', new Date(now.getTime() - lifetime.idleMs))
    .where('u.active', '=', true)
    .executeTakeFirst()
  if (!row) return undefined
  const endsAt = Math.min(new Date(row.expires_at).getTime(), new Date(row.created_at).getTime() + lifetime.absoluteMs)
  return { id: row.id, username: row.username, fullName: row.full_name, roles: row.roles, unitId: row.unit_id, endsAt: new Date(endsAt), lastSeenAt: new Date(row.last_seen_at) }
}

/** Marks the session used now; the condition keeps several processes from writing the same minute twice. */
async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '<=', new Date(now.getTime() - TOUCH_EVERY_MS))
    .execute()
}

/** Ends one session (sign out, or the session a new sign-in replaces). */
export async function deleteSession(db: Db, token: string): Promise<void> {
  remembered.delete(digest(token))
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute()
}

/**
 * Ends every session of one person (sign out everywhere), but for `keep` when given; other API
 * processes notice within SESSION_CACHE_MS. Returns how many ended.
 */
export async function endSessionsOf(db: Db, staffId: number, keep?: string): Promise<number> {
  forgetSessionsOf(staffId)
  let query = db.deleteFrom('sessions').where('staff_id', '=', staffId)
  if (keep) query = query.where('token_hash', '!=', digest(keep))
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}
