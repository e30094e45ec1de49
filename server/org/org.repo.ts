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
  return (await listStaffViews(db, { id }))[0]
}

/** Which active staff to list: one by id, or a keyset page (after an id, at most `limit`), found by name or username and by unit. */
export interface StaffFilter {
  id?: number
  /** Part of the full name or username, case-insensitive. */
  q?: string
  unitId?: number
  after?: number
  limit?: number
}

/** `%` and `_` typed by a user are looked for as themselves, not as wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export async function listStaffViews(db: Db, filter: StaffFilter = {}): Promise<StaffView[]> {
  let q = db
    .selectFrom('staff as s')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select(['s.id', 's.username', 's.full_name', 's.email', 's.unit_id', 'u.name as unit_name', 's.position_code', 's.roles', 's.scope_unit_ids'])
    .where('s.active', '=', true)
    .orderBy('s.id')
  if (filter.id !== undefined) q = q.where('s.id', '=', filter.id)
  if (filter.q) {
    const pattern = likePattern(filter.q)
    q = q.where((eb) => eb.or([eb('s.full_name', 'ilike', pattern), eb('s.username', 'ilike', pattern)]))
  }
  if (filter.unitId !== undefined) q = q.where('s.unit_id', '=', filter.unitId)
  if (filter.after !== undefined) q = q.where('s.id', '>', filter.after)
  if (filter.limit !== undefined) q = q.limit(filter.limit)
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

/** Units by id: one, or a keyset page (after an id, at most `limit`), or all. */
export async function listUnits(db: Db, filter: { id?: number; after?: number; limit?: number } = {}): Promise<UnitView[]> {
  let q = db
    .selectFrom('units as u')
    .leftJoin('staff as h', 'h.id', 'u.head_id')
    .select(['u.id', 'u.code', 'u.name', 'u.parent_id', 'u.head_id', 'h.full_name'])
    .orderBy('u.id')
  if (filter.id !== undefined) q = q.where('u.id', '=', filter.id)
  if (filter.after !== undefined) q = q.where('u.id', '>', filter.after)
  if (filter.limit !== undefined) q = q.limit(filter.limit)
  const rows = await q.execute()
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
