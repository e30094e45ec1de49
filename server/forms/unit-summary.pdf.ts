import type { SummaryModel } from './unit-summary.model.js'
import { ensureSpace, heading, nationalHeader, newDocument, signatures, table, title, toBuffer } from './pdf-document.js'

/** The unit's summary list of results in a cycle, on A4. */
export async function renderUnitSummary(m: SummaryModel): Promise<Buffer> {
  const doc = newDocument(`${m.title} — ${m.unitName} — ${m.cycleLine}`)
  nationalHeader(doc, m.agency, m.unitName, '')
  title(doc, m.title, m.cycleLine)
  table(
    doc,
    [
      { header: 'STT', share: 0.07, align: 'center' },
      { header: 'Họ và tên', share: 0.3 },
      { header: 'Chức vụ, chức danh', share: 0.23 },
      { header: 'Tổng điểm', share: 0.13, align: 'right' },
      { header: 'Xếp loại', share: 0.12, align: 'center' },
      { header: 'Thứ hạng', share: 0.15, align: 'center' },
    ],
    m.rows.length ? m.rows.map((r) => ({ cells: [r.number, r.fullName, r.position, r.total, r.level, r.rank] })) : [{ cells: ['', 'Không có kết quả nào.', '', '', '', ''], italic: true }],
  )
  ensureSpace(doc, 130) // the counts stay together with their heading
  heading(doc, `Tổng hợp theo mức xếp loại (${m.totalCount} người)`)
  table(
    doc,
    [
      { header: 'Mức xếp loại', share: 0.6 },
      { header: 'Số người', share: 0.2, align: 'right' },
      { header: 'Tỷ lệ', share: 0.2, align: 'right' },
    ],
    m.counts.map((c) => ({ cells: [`${c.name} (${c.level})`, String(c.count), c.share] })),
  )
  signatures(doc, m.signatures)
  return toBuffer(doc)
}
