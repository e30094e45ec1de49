import type { Db } from '../db/database.js'
import { Org } from './parties.js'

export interface StaffView {
  id: number
  username: string
  fullName: string
  email: string | null
  unitId: number | null
  unitName: string | null
  positionCode: string | null
  roles: string[]
  scopeUnitIds: number[]
}

export async function findStaffView(db: Db, id: number): Promise<StaffView | undefined> {
  return (await listStaffViews(db, id))[0]
}

export async function listStaffViews(db: Db, id?: number): Promise<StaffView[]> {
  let q = db
    .selectFrom('staff as s')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select(['s.id', 's.username', 's.full_name', 's.email', 's.unit_id', 'u.name as unit_name', 's.position_code', 's.roles', 's.scope_unit_ids'])
    .where('s.active', '=', true)
    .orderBy('s.id')
  if (id !== undefined) q = q.where('s.id', '=', id)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    unitId: r.unit_id,
    unitName: r.unit_name,
    positionCode: r.position_code,
    roles: r.roles,
    scopeUnitIds: r.scope_unit_ids,
  }))
}

export interface UnitView {
  id: number
  code: string
  name: string
  parentId: number | null
  headId: number | null
  headName: string | null
}

export async function listUnits(db: Db): Promise<UnitView[]> {
  const rows = await db
    .selectFrom('units as u')
    .leftJoin('staff as h', 'h.id', 'u.head_id')
    .select(['u.id', 'u.code', 'u.name', 'u.parent_id', 'u.head_id', 'h.full_name'])
    .orderBy('u.id')
    .execute()
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, parentId: r.parent_id, headId: r.head_id, headName: r.full_name }))
}

/** A snapshot of the organisation, for computing who acts on whose evaluation. */
export async function loadOrg(db: Db): Promise<Org> {
  const units = await db.selectFrom('units').select(['id', 'parent_id', 'head_id']).execute()
  const people = await db.selectFrom('staff').select(['id', 'unit_id', 'roles', 'scope_unit_ids']).where('active', '=', true).execute()
  return new Org(
    units.map((u) => ({ id: u.id, parentId: u.parent_id, headId: u.head_id })),
    people.map((p) => ({ id: p.id, unitId: p.unit_id, roles: p.roles, scopeUnitIds: p.scope_unit_ids })),
  )
}
