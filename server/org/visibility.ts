import type { Db } from '../db/database.js'
import { Org } from './parties.js'

/**
 * The units whose cycle figures and results a user may see (see `Org.visibleUnits`): all for an
 * admin, a leader's scope, the units a head heads; none beyond their own row for staff.
 */
export async function visibleUnitsOf(db: Db, userId: number): Promise<'all' | Set<number>> {
  const units = await db.selectFrom('units').select(['id', 'parent_id', 'head_id']).execute()
  const me = await db.selectFrom('staff').select(['id', 'unit_id', 'roles', 'scope_unit_ids']).where('id', '=', userId).executeTakeFirstOrThrow()
  const org = new Org(units.map((u) => ({ id: u.id, parentId: u.parent_id, headId: u.head_id })), [])
  return org.visibleUnits({ id: me.id, unitId: me.unit_id, roles: me.roles, scopeUnitIds: me.scope_unit_ids })
}

/** Whether a unit is among the visible ones. */
export const canSeeUnit = (visible: 'all' | Set<number>, unitId: number): boolean => visible === 'all' || visible.has(unitId)
