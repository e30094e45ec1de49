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

export async function findSessionUser(db: Db, token: string): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('staff as u', 'u.id', 's.staff_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.roles', 'u.unit_id'])
    .where('s.token_hash', '=', digest(token))
    .where('s.expires_at', '>', new Date())
    .where('u.active', '=', true)
    .executeTakeFirst()
  return row && { id: row.id, username: row.username, fullName: row.full_name, roles: row.roles as string[], unitId: row.unit_id }
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute()
}
