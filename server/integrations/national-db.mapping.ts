import { createHash } from 'node:crypto'

/**
 * The record the national cán bộ, công chức, viên chức database receives for one evaluated person
 * (NĐ 27/2026: results within 3 working days, keyed on the personal ID). This module is the only
 * place that knows its shape: once the official format and connection are issued, change this
 * mapping and the adapter (national-db.adapter.ts), nothing else.
 */
export interface NationalDbRecord {
  /** Số định danh cá nhân: `staff.personal_id`, 12 digits (validated, see personal-id.ts). The key of the record. */
  personalId: string
  /** Mã cơ quan: NATIONAL_DB_AGENCY_CODE, else the code of the top-level unit above the person's unit (`units.code`). */
  agencyCode: string
  /** Đầu kỳ đánh giá: `cycles.period_start`, yyyy-MM-dd. */
  periodStart: string
  /** Cuối kỳ đánh giá: `cycles.period_end`, yyyy-MM-dd. */
  periodEnd: string
  /** Điểm: `evaluations.total`, the 100-point total rounded half-up to 2 decimals by the rule set. */
  score: number
  /** Mức xếp loại: `evaluations.final_level` after overrides and quota — HTXS, HTT, HT or KHT (NĐ 335 names). */
  level: 'HTXS' | 'HTT' | 'HT' | 'KHT'
  /** Số quyết định công nhận kết quả: entered by the admin for the cycle (`national_db_syncs.decision_number`). */
  decisionNumber: string
  /** Ngày quyết định: `national_db_syncs.decision_date`, yyyy-MM-dd. */
  decisionDate: string
}

/** What the product holds about one classified evaluation. */
export interface ResultSource {
  staffId: number
  fullName: string
  personalId: string | null
  agencyCode: string | null
  periodStart: string
  periodEnd: string
  total: number | null
  finalLevel: string | null
  decisionNumber: string
  decisionDate: string
}

const LEVELS = new Set(['HTXS', 'HTT', 'HT', 'KHT'])

/** The record, or why none can be built (the person is then listed as invalid until corrected). */
export function toNationalRecord(src: ResultSource): { record: NationalDbRecord } | { problem: string } {
  if (!src.personalId) return { problem: `Thiếu số định danh cá nhân của ${src.fullName} / missing personal ID` }
  if (!src.agencyCode) return { problem: 'Thiếu mã cơ quan / missing agency code' }
  if (src.total === null || !src.finalLevel || !LEVELS.has(src.finalLevel)) return { problem: 'Chưa có kết quả xếp loại / not classified' }
  return {
    record: {
      personalId: src.personalId,
      agencyCode: src.agencyCode,
      periodStart: src.periodStart,
      periodEnd: src.periodEnd,
      score: src.total,
      level: src.finalLevel as NationalDbRecord['level'],
      decisionNumber: src.decisionNumber,
      decisionDate: src.decisionDate,
    },
  }
}

/** A record's fingerprint: a refused record is sent again only once it differs (corrected). */
export function recordHash(record: NationalDbRecord | { problem: string }): string {
  const canonical = JSON.stringify(record, Object.keys(record).sort())
  return createHash('sha256').update(canonical).digest('hex')
}

/** The file export's columns, in order (the record's fields, then its delivery state). */
export const EXPORT_COLUMNS = ['personalId', 'agencyCode', 'periodStart', 'periodEnd', 'score', 'level', 'decisionNumber', 'decisionDate'] as const
