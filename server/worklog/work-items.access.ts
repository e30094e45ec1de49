import type { Db } from '../db/database.js'
import type { SessionUser } from '../http/context.js'
import { loadOrg } from '../org/org.repo.js'

/** Which units' work logs a user may see and manage. */
export interface WorkLogAccess {
  /** Units whose items the user confirms, assigns and accepts (their unit heads). */
  heads: Set<number>
  /** Units the user may read (heads, leaders' scope, everything for admins). */
  reads: Set<number> | 'all'
}

export async function workLogAccess(db: Db, user: SessionUser): Promise<WorkLogAccess> {
  if (user.roles.includes('admin')) return { heads: new Set(), reads: 'all' }
  const headed = await db.selectFrom('units').select('id').where('head_id', '=', user.id).execute()
  const heads = new Set(headed.map((u) => u.id))
  if (user.roles.includes('unit_head') && user.unitId !== null) heads.add(user.unitId)
  const reads = new Set(heads)
  if (user.roles.includes('leader')) {
    const org = await loadOrg(db)
    const me = await db.selectFrom('staff').select(['unit_id', 'scope_unit_ids']).where('id', '=', user.id).executeTakeFirstOrThrow()
    for (const id of org.leaderScope({ id: user.id, unitId: me.unit_id, roles: user.roles, scopeUnitIds: me.scope_unit_ids })) reads.add(id)
  }
  return { heads, reads }
}

export const canRead = (access: WorkLogAccess, user: SessionUser, item: { staff_id: number; unit_id: number }) =>
  item.staff_id === user.id || access.reads === 'all' || access.reads.has(item.unit_id)
