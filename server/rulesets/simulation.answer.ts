import type { SimulatedEvaluation, SimulationReport } from './simulate.service.js'

/** Who changes band or cannot be scored, shown by the simulate route: the first 100 of each unless asked for up to 500. */
export const SHOWN_BY_DEFAULT = 100

/**
 * What the simulate route answers: every figure of the comparison (summary, distributions, units)
 * and, of its lists — 50,000 rows at a province — the first `limit` who change band and who cannot
 * be scored by one of the two versions. Every evaluation is in the CSV export.
 */
export function simulationAnswer(report: SimulationReport, limit: number) {
  const { evaluations, changes, ...figures } = report
  return { ...figures, changes: changes.slice(0, limit), unscored: evaluations.filter((e) => e.change === 'skipped').slice(0, limit) }
}

const CHANGE = { up: 'Lên hạng / Up', down: 'Xuống hạng / Down', same: 'Không đổi / Same', skipped: 'Không chấm được / Not scored' } as const

/** Every evaluation of a simulation as CSV rows (a header first): both sides' total, final level and quota cut, the change and why one could not be scored. */
export function simulationCsvRows(report: SimulationReport): unknown[][] {
  const header = [
    'Mã bản đánh giá / Evaluation',
    'Họ và tên / Full name',
    'Đơn vị / Unit',
    'Giai đoạn / Stage',
    'Tổng điểm hiện hành / Total now',
    'Xếp loại hiện hành / Level now',
    'Bị cắt do tỷ lệ (hiện hành) / Cut by quota now',
    'Tổng điểm theo phiên bản này / Total with this version',
    'Xếp loại theo phiên bản này / Level with this version',
    'Bị cắt do tỷ lệ (phiên bản này) / Cut by quota with this version',
    'Thay đổi / Change',
    'Lý do / Reason',
  ]
  const side = (s: SimulatedEvaluation['before']) => (s ? [s.total === null ? null : String(s.total).replace('.', ','), s.finalLevel, s.quotaCut ? 'Có / Yes' : ''] : [null, null, null])
  return [header, ...report.evaluations.map((e) => [e.evaluationId, e.fullName, e.unitName, e.stage, ...side(e.before), ...side(e.after), CHANGE[e.change], e.reason ? `${e.reason.vi} / ${e.reason.en}` : null])]
}
