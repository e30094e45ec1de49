import { z } from 'zod'
import { appendAudit } from '../audit/audit.repo.js'
import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { isIsoDay } from '../calendar/working-days.js'

/** A real day (no 30/02: the columns are `date`s, which refuse one), years 1900–2199. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd').refine(isIsoDay, 'ngày không hợp lệ / invalid date')

export const productInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
  name: z.string().trim().min(1).max(300),
  unit: z.string().trim().min(1).max(60),
  k: z.number().gt(0).max(100),
  normHours: z.number().min(0).max(1000),
  group: z.enum(['A', 'B', 'C', 'D']),
  positions: z.array(z.string().min(1).max(20)).max(50),
  validFrom: isoDate,
})
export type ProductInput = z.infer<typeof productInput>

export interface Product {
  id: number
  code: string
  name: string
  unit: string
  k: number
  normHours: number
  group: string
  positions: string[]
  validFrom: string
  validTo: string | null
}

/** Whether a product is for a job position: one that lists no position is for every position. */
export function isForPosition(product: Pick<Product, 'positions'>, positionCode: string | null): boolean {
  return !product.positions.length || (positionCode !== null && product.positions.includes(positionCode))
}

/** The catalogue as it stands on a date (each product's version valid that day), optionally for one position. */
export async function catalogueOn(db: Db, date: string, positionCode?: string): Promise<Product[]> {
  // A product that names no position applies to every position.
  return (await versionsValid(db, date, date)).filter((p) => !positionCode || isForPosition(p, positionCode))
}

/** The catalogue of a period, by code: each product's latest version valid at some day of it. */
export async function catalogueForPeriod(db: Db, from: string, to: string): Promise<Map<string, Product>> {
  return new Map((await versionsValid(db, from, to)).map((p) => [p.code, p]))
}

/** Product versions valid on some day from `from` to `to`, by code, then oldest first. */
async function versionsValid(db: Db, from: string, to: string): Promise<Product[]> {
  const rows = await db
    .selectFrom('catalogue_products')
    .selectAll()
    .where('valid_from', '<=', to)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', from)]))
    .orderBy('code')
    .orderBy('valid_from')
    .execute()
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, unit: r.unit_of_measure, k: r.k, normHours: r.norm_hours, group: r.group_code, positions: r.position_codes, validFrom: r.valid_from, validTo: r.valid_to }))
}

/**
 * Adds product versions, all or nothing. A version starting later closes the current one the day
 * before; the same code and start date twice is a conflict.
 */
export async function addProductVersions(db: Db, inputs: ProductInput[], actorId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (const p of inputs) {
      const current = await trx.selectFrom('catalogue_products').selectAll().where('code', '=', p.code).where('valid_to', 'is', null).forUpdate().executeTakeFirst()
      if (current && current.valid_from >= p.validFrom) {
        throw new ApiError(409, 'DUPLICATE', `Sản phẩm ${p.code} đã có phiên bản từ ${current.valid_from}.`, `Product ${p.code} already has a version from ${current.valid_from}.`)
      }
      if (current) await trx.updateTable('catalogue_products').set({ valid_to: dayBefore(p.validFrom) }).where('id', '=', current.id).execute()
      const row = await trx
        .insertInto('catalogue_products')
        .values({ code: p.code, name: p.name, unit_of_measure: p.unit, k: p.k, norm_hours: p.normHours, group_code: p.group, position_codes: JSON.stringify(p.positions), valid_from: p.validFrom, created_by: actorId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendAudit(trx, { actor_id: actorId, entity: 'catalogue', entity_id: String(row.id), action: current ? 'newVersion' : 'create', reason: null, data: { ...p } })
    }
    return inputs.length
  })
}

/** Maps a row of the sample catalogue file (code, name, unit, k, normHours, group, positions "a;b"). */
export function productFromRow(r: Record<string, string>, validFrom: string): Record<string, unknown> {
  return {
    code: r['code'],
    name: r['name'],
    unit: r['unit'],
    k: Number(String(r['k'] ?? '').replace(',', '.')),
    normHours: Number(String(r['normHours'] ?? '').replace(',', '.')),
    group: r['group'],
    positions: (r['positions'] ?? '').split(';').map((x) => x.trim()).filter(Boolean),
    validFrom,
  }
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}
