import type { Db } from '../db/database.js'

/** What a product line shows of the catalogue version its items were recorded against. */
export interface ProductVersion {
  code: string
  name: string
  k: number
}

/**
 * Catalogue versions by id, remembered for the life of the process. Safe without expiry: a version
 * row's code, name and coefficient never change (a new version is a new row; only its validity end
 * is ever written), and a catalogue holds hundreds of versions, not millions. So the month summary
 * needs no join with the catalogue, and reads the versions it has not seen yet once (through
 * `reader`, the transaction a caller may be in, when it is not `db`).
 */
const known = new WeakMap<Db, Map<number, ProductVersion>>()

export async function catalogueVersions(db: Db, ids: Iterable<number>, reader: Db = db): Promise<Map<number, ProductVersion>> {
  let versions = known.get(db)
  if (!versions) known.set(db, (versions = new Map()))
  const missing = [...new Set(ids)].filter((id) => !versions.has(id))
  if (missing.length) {
    const rows = await reader.selectFrom('catalogue_products').select(['id', 'code', 'name', 'k']).where('id', 'in', missing).execute()
    for (const r of rows) versions.set(r.id, { code: r.code, name: r.name, k: r.k })
  }
  return versions
}
