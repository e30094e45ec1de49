import ExcelJS from 'exceljs'
import { ApiError } from '../errors.js'
import { parseCsv } from './csv.js'

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/** Reads an uploaded table: XLSX (first sheet, first row = header) or UTF-8 CSV, told apart by content. */
export async function readTable(bytes: Uint8Array): Promise<Record<string, string>[]> {
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return readXlsx(bytes)
  return parseCsv(new TextDecoder('utf-8').decode(bytes))
}

async function readXlsx(bytes: Uint8Array): Promise<Record<string, string>[]> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch (err) {
    throw new ApiError(400, 'BAD_REQUEST', 'Không đọc được tệp Excel (XLSX).', `Cannot read the XLSX file: ${String(err)}`)
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return []
  const rows: string[][] = []
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = []
    for (let col = 1; col <= sheet.columnCount; col++) values.push(cellText(row.getCell(col).value))
    rows.push(values)
  })
  const [header, ...body] = rows
  if (!header) return []
  const keys = header.map((h) => h.trim())
  return body.filter((r) => r.some((v) => v.trim() !== '')).map((r) => Object.fromEntries(keys.map((k, i) => [k, (r[i] ?? '').trim()])))
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('')
    if ('text' in value) return String(value.text)
    if ('result' in value) return value.result === undefined || value.result === null ? '' : typeof value.result === 'object' ? JSON.stringify(value.result) : `${value.result}`
    if (value instanceof Date) return value.toISOString().slice(0, 10)
  }
  return `${value as string | number | boolean}`
}
