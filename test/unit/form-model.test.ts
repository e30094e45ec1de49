import { describe, expect, it } from 'vitest'
import { buildFormModel, generalCriteria, type FormSource } from '../../server/forms/form-model.js'
import { buildSummaryModel } from '../../server/forms/unit-summary.model.js'
import { score, viDate } from '../../server/forms/vi-format.js'

const leaf = (title: string, maximum: number) => ({ type: 'number', minimum: 0, maximum, title })
const computed = [
  { key: 'generalScore', label: { vi: 'Điểm tiêu chí chung', en: 'General' }, formula: 0, scale: { min: 0, max: 30 } },
  { key: 'a', label: { vi: 'Số lượng (%)', en: 'Quantity (%)' }, formula: 0, scale: { min: 0, max: 100 } },
  { key: 'task', label: { vi: 'Điểm kết quả thực hiện nhiệm vụ', en: 'Task' }, formula: 0, scale: { min: 0, max: 70 } },
  { key: 'total', label: { vi: 'Tổng điểm', en: 'Total' }, formula: 0, scale: { min: 0, max: 100 } },
]

/** The rule set before Mẫu 01: three 0–10 boxes. */
const flatSchema = {
  type: 'object',
  properties: {
    general: { type: 'object', title: 'Tiêu chí chung (30 điểm)', properties: { ethics: leaf('Chính trị, đạo đức', 10), competence: leaf('Năng lực chuyên môn', 10), innovation: leaf('Đổi mới, sáng tạo', 10) } },
  },
}
/** Mẫu 01's groups: I (5 + 5), II and III (4 × 2.5). */
const nestedSchema = {
  type: 'object',
  properties: {
    general: {
      type: 'object',
      title: 'Tiêu chí chung',
      properties: {
        ethics: { type: 'object', title: 'Phẩm chất chính trị, đạo đức, văn hóa công vụ, kỷ luật', maximum: 10, properties: { politics: leaf('Phẩm chất chính trị, đạo đức, văn hóa công vụ', 5), discipline: leaf('Ý thức kỷ luật, kỷ cương', 5) } },
        competence: { type: 'object', title: 'Năng lực', properties: { expertise: leaf('Năng lực chuyên môn', 2.5), meeting: leaf('Đáp ứng yêu cầu nhiệm vụ', 2.5), responsibility: leaf('Tinh thần trách nhiệm', 2.5), service: leaf('Thái độ phục vụ, phối hợp', 2.5) } },
        innovation: { type: 'object', title: 'Đổi mới, sáng tạo', properties: { renewal: leaf('Đổi mới', 2.5), creativity: leaf('Sáng tạo', 2.5), boldness: leaf('Dám nghĩ', 2.5), action: leaf('Dám làm', 2.5) } },
      },
    },
  },
}

const source = (over: Partial<FormSource['evaluation']> & { schema?: Record<string, unknown>; submitted?: Record<string, number | null> | null } = {}): FormSource => {
  const { schema = flatSchema, submitted = { task: 63.97, total: 90.97 }, ...evaluation } = over
  return {
    agency: 'Sở Nội vụ tỉnh Khánh An',
    unitName: 'Phòng Cải cách hành chính',
    cycle: { name: 'Tháng 10/2026', periodStart: '2026-10-01', periodEnd: '2026-10-31' },
    person: { fullName: 'Nguyễn Thị Mai Phương', position: 'Chuyên viên' },
    evaluation: {
      stage: 'CLASSIFIED',
      ruleRole: 'staff',
      data: { general: { ethics: 9, competence: 9, innovation: 9 }, products: [{ code: 'B01', k: 1, assigned: 10, done: 9, qualityFailures: 0, delays: 1, source: 'worklog' }, { code: 'X9', name: 'Báo cáo đột xuất', k: 2.5, assigned: 2, done: 2, qualityFailures: 1, delays: 0 }] },
      adjustments: { general: { competence: 8 } },
      values: { generalScore: 26, a: 93.333333, task: 63.97, total: 89.97 },
      total: 89.97,
      level: 'HTT',
      finalLevel: 'HTT',
      override: null,
      rankInUnit: 3,
      unitSize: 12,
      ...evaluation,
    },
    submittedValues: submitted,
    ruleSet: { inputSchema: schema, computed: computed, totalKey: 'total' },
    catalogue: new Map([['B01', { name: 'Văn bản hành chính', unit: 'văn bản' }]]),
    signatures: { owner: { name: 'Nguyễn Thị Mai Phương', at: new Date('2026-11-02T18:30:00Z') }, reviewer: { name: 'Phạm Lan', at: new Date('2026-11-04T03:00:00Z') }, authority: null },
  }
}

const table = (rows: ReturnType<typeof buildFormModel>['rows']) => rows.map((r) => [r.number, r.title, r.maximum, r.self, r.authority])

describe('Mẫu 01: what is printed', () => {
  it('reads flat general criteria (numeric leaves) with self and authority scores side by side', () => {
    const m = buildFormModel(source())
    expect(m.formCode).toBe('01A')
    expect(table(m.rows)).toEqual([
      ['A', 'TIÊU CHÍ CHUNG', '30', '27,00', '26,00'],
      ['1', 'Chính trị, đạo đức', '10', '9,00', '9,00'],
      ['2', 'Năng lực chuyên môn', '10', '9,00', '8,00'],
      ['3', 'Đổi mới, sáng tạo', '10', '9,00', '9,00'],
      ['B', 'Điểm kết quả thực hiện nhiệm vụ', '70', '63,97', '63,97'],
      ['', 'TỔNG ĐIỂM', '100', '90,97', '89,97'],
    ])
  })

  it("reads Mẫu 01's nested groups: group rows with their maximum and the sum of their criteria", () => {
    const data = {
      general: { ethics: { politics: 5, discipline: 4.5 }, competence: { expertise: 2.5, meeting: 2, responsibility: 2.5, service: 2.5 }, innovation: { renewal: 2, creativity: 2, boldness: 2.5, action: 2.5 } },
      assessment: { strengths: 'Hoàn thành đúng hạn', weaknesses: 'Còn chậm đổi mới', proposedLevel: 'HTXS' },
    }
    const adjustments = { general: { innovation: { creativity: 1.5 } }, assessment: { comment: 'Cần chủ động hơn', proposedLevel: 'HTT' } }
    const m = buildFormModel(source({ schema: nestedSchema, data, adjustments, finalLevel: null, stage: 'AWAITING_SIGN_OFF' }))
    expect(table(m.rows)).toEqual([
      ['A', 'TIÊU CHÍ CHUNG', '30', '28,00', '27,50'],
      ['I', 'Phẩm chất chính trị, đạo đức, văn hóa công vụ, kỷ luật', '10', '9,50', '9,50'],
      ['1', 'Phẩm chất chính trị, đạo đức, văn hóa công vụ', '5', '5,00', '5,00'],
      ['2', 'Ý thức kỷ luật, kỷ cương', '5', '4,50', '4,50'],
      ['II', 'Năng lực', '10', '9,50', '9,50'],
      ['1', 'Năng lực chuyên môn', '2,5', '2,50', '2,50'],
      ['2', 'Đáp ứng yêu cầu nhiệm vụ', '2,5', '2,00', '2,00'],
      ['3', 'Tinh thần trách nhiệm', '2,5', '2,50', '2,50'],
      ['4', 'Thái độ phục vụ, phối hợp', '2,5', '2,50', '2,50'],
      ['III', 'Đổi mới, sáng tạo', '10', '9,00', '8,50'],
      ['1', 'Đổi mới', '2,5', '2,00', '2,00'],
      ['2', 'Sáng tạo', '2,5', '2,00', '1,50'],
      ['3', 'Dám nghĩ', '2,5', '2,50', '2,50'],
      ['4', 'Dám làm', '2,5', '2,50', '2,50'],
      ['B', 'Điểm kết quả thực hiện nhiệm vụ', '70', '63,97', '63,97'],
      ['', 'TỔNG ĐIỂM', '100', '90,97', '89,97'],
    ])
    expect(m.rows.map((r) => r.kind).slice(0, 3)).toEqual(['section', 'group', 'criterion'])
    expect([m.strengths, m.weaknesses, m.reviewerComment]).toEqual(['Hoàn thành đúng hạn', 'Còn chậm đổi mới', 'Cần chủ động hơn'])
    // Before classification the authority's tick is the reviewer's proposal.
    expect(m.levels.filter((l) => l.self).map((l) => l.level)).toEqual(['HTXS'])
    expect(m.levels.filter((l) => l.authority).map((l) => l.level)).toEqual(['HTT'])
  })

  it('follows the uiSchema order of the criteria', () => {
    const order = generalCriteria(flatSchema, { general: { 'ui:order': ['innovation', '*'] } }).map((c) => c.path.join('.'))
    expect(order).toEqual(['general.innovation', 'general.ethics', 'general.competence'])
  })

  it('leaves the authority column empty until the reviewer has approved', () => {
    const m = buildFormModel(source({ stage: 'UNIT_REVIEW', finalLevel: null, rankInUnit: null }))
    expect(m.rows.map((r) => r.authority)).toEqual(['', '', '', '', '', ''])
    expect(m.levels.some((l) => l.authority)).toBe(false)
    expect(m.result).toEqual({ total: '', level: '', rank: '', override: '' })
  })

  it('prints absent self-assessment fields as empty lines and no tick, and nothing submitted as empty scores', () => {
    const m = buildFormModel(source({ stage: 'SELF_ASSESSMENT', data: {}, adjustments: null, finalLevel: null, submitted: null }))
    expect([m.strengths, m.weaknesses, m.reviewerComment]).toEqual(['', '', ''])
    expect(m.levels.some((l) => l.self || l.authority)).toBe(false)
    expect(m.rows.map((r) => r.self)).toEqual(['', '', '', '', '', ''])
    expect(m.products).toEqual([])
  })

  it('classified: the final level is ticked, the result gives total, level and rank "n / m"', () => {
    const m = buildFormModel(source())
    expect(m.levels.filter((l) => l.authority).map((l) => l.name)).toEqual(['Hoàn thành tốt nhiệm vụ'])
    expect(m.result).toEqual({ total: '89,97', level: 'HTT (Hoàn thành tốt nhiệm vụ)', rank: '3 / 12', override: '' })
    expect(m.figures).toEqual([{ label: 'Số lượng (%)', value: '93,33' }])
  })

  it('is Mẫu 01B for a leader, with the leaders’ title', () => {
    const m = buildFormModel(source({ ruleRole: 'leader' }))
    expect(m.formCode).toBe('01B')
    expect(m.title).toContain('LÃNH ĐẠO, QUẢN LÝ')
  })

  it('lists the products with catalogue names, Vietnamese numbers and their source', () => {
    const m = buildFormModel(source())
    expect(m.products).toEqual([
      { code: 'B01', name: 'Văn bản hành chính', unit: 'văn bản', k: '1', assigned: '10', done: '9', qualityFailures: '0', delays: '1', source: 'Nhật ký công việc' },
      { code: 'X9', name: 'Báo cáo đột xuất', unit: '', k: '2,5', assigned: '2', done: '2', qualityFailures: '1', delays: '0', source: 'Tự khai' },
    ])
  })

  it('dates the signatures by the day in Vietnam', () => {
    const m = buildFormModel(source())
    // 18:30 UTC on 2 November is 01:30 on 3 November in Hà Nội.
    expect(m.signatures.map((s) => [s.name, s.date])).toEqual([
      ['Nguyễn Thị Mai Phương', '03/11/2026'],
      ['Phạm Lan', '04/11/2026'],
      ['', ''],
    ])
    expect(m.period).toBe('từ ngày 01/10/2026 đến ngày 31/10/2026')
  })
})

describe('formatting', () => {
  it('rounds half-up to two decimals with a decimal comma', () => {
    expect([score(85.185), score(90), score(1.005), score(null)]).toEqual(['85,19', '90,00', '1,01', ''])
    expect([viDate('2026-12-31'), viDate(new Date('2026-12-31T17:00:00Z')), viDate(null)]).toEqual(['31/12/2026', '01/01/2027', ''])
  })
})

describe('the unit summary list', () => {
  it('ranks "n / m" over the unit and counts each level', () => {
    const rows = [
      { fullName: 'A', position: 'Trưởng phòng', total: 92.5, level: 'HTXS', rank: 1 },
      { fullName: 'B', position: 'Chuyên viên', total: 85, level: 'HTT', rank: 2 },
      { fullName: 'C', position: 'Chuyên viên', total: 85, level: 'HTT', rank: 2 },
      { fullName: 'D', position: 'Chuyên viên', total: 40.125, level: 'KHT', rank: 4 },
    ]
    const m = buildSummaryModel({ agency: 'Sở', unitName: 'Phòng CCHC', cycle: { name: 'Tháng 10/2026', periodStart: '2026-10-01', periodEnd: '2026-10-31', classifiedAt: new Date('2026-11-10T02:00:00Z') }, rows, head: 'Phạm Lan', signOff: { name: 'Hoàng Yến', at: new Date('2026-11-09T02:00:00Z') } })
    expect(m.rows.map((r) => [r.number, r.total, r.level, r.rank])).toEqual([
      ['1', '92,50', 'HTXS', '1 / 4'],
      ['2', '85,00', 'HTT', '2 / 4'],
      ['3', '85,00', 'HTT', '2 / 4'],
      ['4', '40,13', 'KHT', '4 / 4'],
    ])
    expect(m.counts.map((c) => [c.level, c.count, c.share])).toEqual([
      ['HTXS', 1, '25,00 %'],
      ['HTT', 2, '50,00 %'],
      ['HT', 0, '0,00 %'],
      ['KHT', 1, '25,00 %'],
    ])
    expect(m.signatures.map((s) => [s.name, s.date])).toEqual([
      ['Phạm Lan', '10/11/2026'],
      ['Hoàng Yến', '09/11/2026'],
    ])
  })
})
