import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { Org } from './parties.js'

/**
 * The organisation this process last read from each database, with the version (`org_version`,
 * moved by every change to `units`) read before it: the units are read again only when the
 * version has moved. A change committed by any API instance moves the version, so no answer is
 * computed from an organisation older than what the database held when the request read it.
 */
const known = new WeakMap<Db, { version: string; org: Org }>()

async function orgAt(db: Db, version: string): Promise<Org> {
  const cached = known.get(db)
  if (cached?.version === version) return cached.org
  // Read after the version: a change in between makes this organisation newer than its label, never older (the next request reads again).
  const units = await db.selectFrom('units').select(['id', 'parent_id', 'head_id']).execute()
  const org = new Org(units.map((u) => ({ id: u.id, parentId: u.parent_id, headId: u.head_id })), [])
  known.set(db, { version, org })
  return org
}

/**
 * The units whose cycle figures and results a user may see (see `Org.visibleUnits`): all for an
 * admin, a leader's scope, the units a head heads; none beyond their own row for staff.
 */
export async function visibleUnitsOf(db: Db, userId: number): Promise<'all' | Set<number>> {
  const me = await db
    .selectFrom('staff')
    .select(['id', 'unit_id', 'roles', 'scope_unit_ids', sql<string>`(select version::text from org_version where id = 1)`.as('org_version')])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  const org = await orgAt(db, me.org_version)
  return org.visibleUnits({ id: me.id, unitId: me.unit_id, roles: me.roles, scopeUnitIds: me.scope_unit_ids })
}

/** Whether a unit is among the visible ones. */
export const canSeeUnit = (visible: 'all' | Set<number>, unitId: number): boolean => visible === 'all' || visible.has(unitId)
