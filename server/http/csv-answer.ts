import type { Context } from 'hono'
import { toCsv } from '../org/csv.js'

/** A CSV file to download: UTF-8 with a byte order mark (so spreadsheets read Vietnamese), cells as toCsv writes them. */
export function csvAnswer(c: Context, fileName: string, rows: readonly (readonly unknown[])[]) {
  return c.body(`\uFEFF${toCsv(rows)}\n`, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}.csv"` })
}
