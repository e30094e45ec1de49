import type { FormModel } from './form-model.js'
import { box, field, heading, nationalHeader, newDocument, paragraph, signatures, table, title, toBuffer, type TableRow } from './pdf-document.js'

/** Mẫu số 01A (staff) or 01B (leaders) on A4, with the product table as an annex. */
export async function renderMau01(m: FormModel): Promise<Buffer> {
  const doc = newDocument(`${m.title} — ${m.person.fullName} — ${m.cycleName}`)
  // A unit's form has no decree number: Mẫu 01A/01B are the people's.
  nationalHeader(doc, m.agency, m.unitName, m.unit ? '' : `Mẫu số ${m.formCode}`)
  title(doc, m.title, `Kỳ đánh giá: ${m.cycleName} (${m.period})`)

  if (m.unit) {
    field(doc, 'Đơn vị được đánh giá', m.unit.name)
    field(doc, 'Thủ trưởng đơn vị', m.unit.head)
  } else {
    field(doc, 'Họ và tên', m.person.fullName)
    field(doc, 'Chức vụ, chức danh', m.person.position)
    field(doc, 'Đơn vị công tác', m.person.unitName)
  }

  heading(doc, 'I. KẾT QUẢ TỰ ĐÁNH GIÁ VÀ ĐÁNH GIÁ CỦA CẤP CÓ THẨM QUYỀN')
  table(
    doc,
    [
      { header: 'STT', share: 0.06, align: 'center' },
      { header: 'Tiêu chí', share: 0.46 },
      { header: 'Điểm tối đa', share: 0.12, align: 'center' },
      { header: 'Cá nhân tự chấm', share: 0.17, align: 'center' },
      { header: 'Cấp có thẩm quyền chấm', share: 0.19, align: 'center' },
    ],
    m.rows.map((r): TableRow => ({ cells: [r.number, r.title, r.maximum, r.self, r.authority], bold: r.kind !== 'criterion', indent: r.kind === 'criterion' ? 10 : 0 })),
  )

  heading(doc, 'II. TỰ NHẬN XÉT')
  doc.font('bold').text('Ưu điểm:').font('regular')
  paragraph(doc, m.strengths)
  doc.font('bold').text('Hạn chế, khuyết điểm:').font('regular')
  paragraph(doc, m.weaknesses)

  heading(doc, 'III. XẾP LOẠI CHẤT LƯỢNG')
  table(
    doc,
    [
      { header: 'Mức xếp loại', share: 0.52 },
      { header: 'Cá nhân tự xếp loại', share: 0.24, align: 'center' },
      { header: 'Cấp có thẩm quyền xếp loại', share: 0.24, align: 'center' },
    ],
    m.levels.map((l) => ({ cells: [`${l.name} (${l.level})`, box(l.self), box(l.authority)], symbolColumns: [1, 2] })),
  )
  field(doc, 'Tổng điểm', m.result.total)
  field(doc, 'Xếp loại', m.result.level)
  if (m.result.rank) field(doc, 'Thứ hạng trong đơn vị', m.result.rank)
  if (m.result.override) field(doc, 'Trường hợp đặc biệt', m.result.override)

  heading(doc, 'IV. NHẬN XÉT, ĐÁNH GIÁ CỦA CẤP CÓ THẨM QUYỀN')
  paragraph(doc, m.reviewerComment)

  signatures(doc, m.signatures)

  doc.addPage()
  if (m.periods.length) {
    title(doc, 'PHỤ LỤC: KẾT QUẢ CÁC KỲ ĐÁNH GIÁ TRONG NĂM', `Kèm theo Mẫu số ${m.formCode} của ${m.person.fullName} — ${m.cycleName}`)
    table(
      doc,
      [
        { header: 'Kỳ đánh giá', share: 0.34 },
        { header: 'Thời gian', share: 0.3 },
        { header: 'Số tháng', share: 0.1, align: 'right' },
        { header: 'Tổng điểm', share: 0.13, align: 'right' },
        { header: 'Xếp loại', share: 0.13, align: 'center' },
      ],
      m.periods.map((p) => ({ cells: [p.name, p.period, p.months, p.total, p.level] })),
    )
    if (m.figures.length) {
      heading(doc, 'Các chỉ số tính điểm')
      for (const f of m.figures) field(doc, f.label, f.value)
    }
    return toBuffer(doc)
  }
  title(doc, `PHỤ LỤC: SẢN PHẨM, CÔNG VIỆC TRONG KỲ`, m.unit ? `Kèm theo phiếu đánh giá ${m.unit.name} — ${m.cycleName}` : `Kèm theo Mẫu số ${m.formCode} của ${m.person.fullName} — ${m.cycleName}`)
  table(
    doc,
    [
      { header: 'Mã', share: 0.08 },
      { header: 'Tên sản phẩm, công việc', share: 0.3 },
      { header: 'Đơn vị tính', share: 0.1 },
      { header: 'Hệ số k', share: 0.07, align: 'right' },
      { header: 'Được giao', share: 0.08, align: 'right' },
      { header: 'Hoàn thành', share: 0.09, align: 'right' },
      { header: 'Lỗi chất lượng', share: 0.09, align: 'right' },
      { header: 'Chậm tiến độ', share: 0.08, align: 'right' },
      { header: 'Nguồn', share: 0.11 },
    ],
    m.products.length
      ? m.products.map((p) => ({ cells: [p.code, p.name, p.unit, p.k, p.assigned, p.done, p.qualityFailures, p.delays, p.source] }))
      : [{ cells: ['', 'Không có sản phẩm, công việc nào.', '', '', '', '', '', '', ''], italic: true }],
    8.5,
  )
  if (m.figures.length) {
    heading(doc, 'Các chỉ số tính điểm')
    for (const f of m.figures) field(doc, f.label, f.value)
  }
  return toBuffer(doc)
}
