import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Context } from 'hono'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** One sheet of an XLSX download: an optional title line, a bold header, the rows, the columns' widths (characters). */
export interface Sheet {
  name: string
  title?: string
  widths?: number[]
  header: unknown[]
  rows: Iterable<unknown[]>
}

/**
 * An XLSX file to download, written row by row with exceljs's streaming writer: each row is turned
 * into the sheet's XML and compressed as it is added, so memory holds the compressed file, not a
 * workbook of cells (a province's 50,000 results took the API past 1 GiB that way).
 */
export async function xlsxAnswer(c: Context, fileName: string, sheet: Sheet) {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (chunk: Buffer) => chunks.push(chunk))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const ws = workbook.addWorksheet(sheet.name)
  if (sheet.widths) ws.columns = sheet.widths.map((width) => ({ width }))
  if (sheet.title !== undefined) ws.addRow([sheet.title]).commit()
  const header = ws.addRow(sheet.header)
  header.font = { bold: true }
  header.commit()
  for (const row of sheet.rows) ws.addRow(row).commit()
  ws.commit()
  await workbook.commit()
  return c.body(new Uint8Array(Buffer.concat(chunks)), 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${fileName}.xlsx"` })
}
