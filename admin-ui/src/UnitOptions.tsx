import type { InferResponseType } from 'hono/client'
import type { client } from './client'

/** A unit as `GET /api/units` lists it (the tree as a flat list: parentId). */
export type Unit = InferResponseType<typeof client.api.units.$get, 200>[number]

/** The `<option>`s of a unit picker, valued by id or by code. */
export function UnitOptions({ units, by = 'id' }: { units: Pick<Unit, 'id' | 'code' | 'name'>[]; by?: 'id' | 'code' }) {
  return (
    <>
      {units.map((u) => (
        <option key={u.id} value={by === 'id' ? u.id : u.code}>
          {u.name}
        </option>
      ))}
    </>
  )
}
