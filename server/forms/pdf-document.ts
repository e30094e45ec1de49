import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

type Doc = PDFKit.PDFDocument

const require = createRequire(import.meta.url)
/** DejaVu, shipped by the dejavu-fonts-ttf package: every Vietnamese letter and the ballot boxes, embedded in the file. */
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf'),
  symbols: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
} as const
export type FontName = keyof typeof FONTS
let fontBytes: Map<string, Buffer> | undefined
/** The font files, read once per process (on the first print, not at start). */
const fonts = () => (fontBytes ??= new Map(Object.entries(FONTS).map(([name, path]) => [name, readFileSync(path)])))

/** A4 with the margins of an administrative document (NĐ 30/2020: left 30 mm, others 20 mm). */
const MM = 72 / 25.4
export const PAGE = { left: 30 * MM, right: 15 * MM, top: 20 * MM, bottom: 20 * MM }
export const BODY_SIZE = 10.5

/** A new A4 document with the fonts registered and the title in its metadata. */
export function newDocument(title: string): Doc {
  const doc = new PDFDocument({ size: 'A4', margins: PAGE, bufferPages: true, info: { Title: title, Author: 'KPI Công vụ', Creator: 'KPI Công vụ' }, lang: 'vi-VN' })
  for (const [name, bytes] of fonts()) doc.registerFont(name, bytes)
  doc.font('regular').fontSize(BODY_SIZE)
  return doc
}

/** The finished file. */
export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    numberPages(doc)
    doc.end()
  })
}

/** "Trang 1/3" at the foot of every page. */
function numberPages(doc: Doc): void {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc.font('italic').fontSize(8).text(`Trang ${i + 1}/${range.count}`, PAGE.left, doc.page.height - bottom / 2 - 4, { width: contentWidth(doc), align: 'center', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
}

export const contentWidth = (doc: Doc) => doc.page.width - PAGE.left - PAGE.right

/**
 * The heading of a Vietnamese administrative document: the agency and its unit on the left, the
 * national motto on the right, each centred over its half, with the short rules beneath.
 */
export function nationalHeader(doc: Doc, agency: string, unit: string, formCode: string): void {
  const width = contentWidth(doc)
  if (formCode) doc.font('italic').fontSize(9).text(formCode, PAGE.left, doc.y, { width, align: 'right' })
  const top = doc.y + 4
  const left = { x: PAGE.left, w: width * 0.42 }
  const right = { x: PAGE.left + width * 0.42, w: width * 0.58 }
  doc.font('regular').fontSize(10).text(agency.toUpperCase(), left.x, top, { width: left.w, align: 'center' })
  doc.font('bold').text(unit.toUpperCase(), { width: left.w, align: 'center' })
  const leftEnd = doc.y
  rule(doc, left.x + left.w / 2, leftEnd + 2, 40)
  doc.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right.x, top, { width: right.w, align: 'center' })
  doc.font('bold').fontSize(11).text('Độc lập - Tự do - Hạnh phúc', { width: right.w, align: 'center' })
  const rightEnd = doc.y
  rule(doc, right.x + right.w / 2, rightEnd + 2, doc.widthOfString('Độc lập - Tự do - Hạnh phúc') / 2)
  doc.x = PAGE.left
  doc.y = Math.max(leftEnd, rightEnd) + 14
  doc.font('regular').fontSize(BODY_SIZE)
}

function rule(doc: Doc, centre: number, y: number, half: number): void {
  doc.moveTo(centre - half, y).lineTo(centre + half, y).lineWidth(0.6).stroke()
}

/** A centred bold title, and optional lines under it. */
export function title(doc: Doc, text: string, ...lines: string[]): void {
  doc.x = PAGE.left
  doc.font('bold').fontSize(12).text(text, { width: contentWidth(doc), align: 'center' })
  for (const line of lines) doc.font('italic').fontSize(BODY_SIZE).text(line, { width: contentWidth(doc), align: 'center' })
  doc.moveDown(0.8)
  doc.font('regular').fontSize(BODY_SIZE)
}

/** "Label: value" on one line, the value left empty as a dotted line when there is none. */
export function field(doc: Doc, label: string, value: string): void {
  doc.x = PAGE.left
  doc.font('bold').text(`${label}: `, { continued: true }).font('regular').text(value || '…'.repeat(30))
}

/** A heading inside the document. */
export function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 40)
  doc.x = PAGE.left
  doc.moveDown(0.5).font('bold').fontSize(BODY_SIZE + 0.5).text(text).font('regular').fontSize(BODY_SIZE).moveDown(0.2)
}

/** A free-text answer; an empty one prints as dotted lines to be filled by hand. */
export function paragraph(doc: Doc, value: string, emptyLines = 2): void {
  doc.x = PAGE.left
  if (value) doc.font('regular').text(value, { width: contentWidth(doc), align: 'justify' })
  else for (let i = 0; i < emptyLines; i++) doc.font('regular').text('.'.repeat(110), { width: contentWidth(doc), lineBreak: false })
}

export interface Column {
  header: string
  /** A share of the content width; the shares of a table add up to 1. */
  share: number
  align?: 'left' | 'center' | 'right'
}

export interface TableRow {
  cells: string[]
  bold?: boolean
  italic?: boolean
  /** Indent of the first text column, in points. */
  indent?: number
  /** A cell drawn in the symbols font (tick boxes). */
  symbolColumns?: number[]
}

const PAD = 3

/** A bordered table that breaks across pages and repeats its header row on each. */
export function table(doc: Doc, columns: Column[], rows: TableRow[], size = BODY_SIZE - 1): void {
  const width = contentWidth(doc)
  const widths = columns.map((c) => c.share * width)
  const header: TableRow = { cells: columns.map((c) => c.header), bold: true }
  const drawRow = (r: TableRow, isHeader: boolean) => {
    const font = (i: number): FontName => (r.symbolColumns?.includes(i) ? 'symbols' : r.bold ? 'bold' : r.italic ? 'italic' : 'regular')
    const heights = r.cells.map((text, i) => doc.font(font(i)).fontSize(size).heightOfString(text || ' ', { width: widths[i]! - 2 * PAD - (i === 1 ? (r.indent ?? 0) : 0) }))
    const height = Math.max(...heights) + 2 * PAD
    if (doc.y + height > doc.page.height - PAGE.bottom) {
      doc.addPage()
      if (!isHeader) drawRow(header, true)
    }
    const y = doc.y
    let x = PAGE.left
    r.cells.forEach((text, i) => {
      const w = widths[i]!
      const indent = i === 1 ? (r.indent ?? 0) : 0
      doc.rect(x, y, w, height).lineWidth(0.5).stroke()
      const align = isHeader ? 'center' : (columns[i]!.align ?? 'left')
      doc.font(font(i)).fontSize(size).text(text, x + PAD + indent, y + PAD, { width: w - 2 * PAD - indent, align })
      x += w
    })
    doc.x = PAGE.left
    doc.y = y + height
  }
  drawRow(header, true)
  for (const r of rows) drawRow(r, false)
  doc.moveDown(0.5)
  doc.font('regular').fontSize(BODY_SIZE)
}

/** A ticked or empty box, as text (so it reads back from the file as ☒ or ☐). */
export const box = (checked: boolean) => (checked ? '☒' : '☐')

export interface SignatureBlock {
  title: string
  role: string
  name: string
  date: string
}

/** Side by side: the date, who signs and in what capacity, room for the signature, the name. */
export function signatures(doc: Doc, blocks: SignatureBlock[]): void {
  ensureSpace(doc, 110)
  doc.moveDown(0.6)
  const width = contentWidth(doc) / blocks.length
  const top = doc.y
  const options = { width: width - 6, align: 'center' as const }
  // Titles first, then every name on one line below the tallest title, with room to sign between.
  let titlesEnd = top
  blocks.forEach((b, i) => {
    doc.font('italic').fontSize(9.5).text(b.date ? `Ngày ${b.date}` : 'Ngày …/…/……', PAGE.left + i * width + 3, top, options)
    doc.font('bold').fontSize(10).text(b.title, options)
    doc.font('italic').fontSize(9).text(`(${b.role})`, options)
    titlesEnd = Math.max(titlesEnd, doc.y)
  })
  let bottom = titlesEnd
  blocks.forEach((b, i) => {
    doc.font('bold').fontSize(10).text(b.name || ' ', PAGE.left + i * width + 3, titlesEnd + 42, options)
    bottom = Math.max(bottom, doc.y)
  })
  doc.x = PAGE.left
  doc.y = bottom + 6
  doc.font('regular').fontSize(BODY_SIZE)
}

/** A new page when fewer than `points` remain on this one. */
export function ensureSpace(doc: Doc, points: number): void {
  if (doc.y + points > doc.page.height - PAGE.bottom) doc.addPage()
}
