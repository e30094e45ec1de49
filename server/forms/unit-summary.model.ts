import { LEVEL_NAMES } from '../../rules/evaluate.plan.js'
import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import { score, viDate } from './vi-format.js'

/** A unit's classified results in a cycle, as read from the database. */
export interface SummarySource {
  agency: string
  unitName: string
  cycle: { name: string; periodStart: string; periodEnd: string; classifiedAt: Date | null }
  /** Ranked within the unit, best first. */
  rows: { fullName: string; position: string; total: number | null; level: string | null; rank: number | null }[]
  /** The unit head, who draws up the list. */
  head: string
  /** Who signed the unit off, and when. */
  signOff: { name: string; at: Date } | null
}

export interface SummaryModel {
  agency: string
  unitName: string
  title: string
  cycleLine: string
  rows: { number: string; fullName: string; position: string; total: string; level: string; rank: string }[]
  counts: { level: Level; name: string; count: number; share: string }[]
  totalCount: number
  signatures: { title: string; role: string; name: string; date: string }[]
}

/** What the unit's summary list of results prints: every person with total, level and rank "3 / 12", and the count per level. Pure. */
export function buildSummaryModel(src: SummarySource): SummaryModel {
  const n = src.rows.length
  const byLevel = new Map<string, number>()
  for (const r of src.rows) if (r.level) byLevel.set(r.level, (byLevel.get(r.level) ?? 0) + 1)
  return {
    agency: src.agency,
    unitName: src.unitName,
    title: 'DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC',
    cycleLine: `Kỳ đánh giá: ${src.cycle.name} (từ ngày ${viDate(src.cycle.periodStart)} đến ngày ${viDate(src.cycle.periodEnd)}) — Đơn vị: ${src.unitName}`,
    rows: src.rows.map((r, i) => ({
      number: String(i + 1),
      fullName: r.fullName,
      position: r.position,
      total: score(r.total),
      level: r.level ?? '',
      rank: r.rank !== null ? `${r.rank} / ${n}` : '',
    })),
    counts: LEVELS.map((level) => {
      const count = byLevel.get(level) ?? 0
      return { level, name: LEVEL_NAMES[level].vi, count, share: n ? `${score((100 * count) / n)} %` : '' }
    }),
    totalCount: n,
    signatures: [
      { title: 'NGƯỜI LẬP DANH SÁCH', role: 'Trưởng đơn vị', name: src.head, date: viDate(src.cycle.classifiedAt) },
      { title: 'CẤP CÓ THẨM QUYỀN', role: 'Phê duyệt', name: src.signOff?.name ?? '', date: viDate(src.signOff?.at) },
    ],
  }
}
