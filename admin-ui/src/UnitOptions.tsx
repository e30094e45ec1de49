import type { Unit } from './types'

/** The `<option>`s of a unit picker, valued by id or by code. */
export function UnitOptions({ units, by = 'id' }: { units: Unit[]; by?: 'id' | 'code' }) {
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
