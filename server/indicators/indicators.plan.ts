import { z } from 'zod'
import type { RejectedRow } from '../db/schema.integrations.js'
import { formatDay, isIsoDay } from '../calendar/working-days.js'
import { closesAt, closingLabel } from './closing.js'
import type { DeclaredIndicator } from './declarations.js'

/** A real yyyy-MM-dd day (no 30/02). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd').refine(isIsoDay, 'ngày không hợp lệ / invalid date')

/** One value from a system: an indicator, a period, a subject (person or unit), the value. */
export const indicatorRow = z
  .object({
    indicatorCode: z.string().trim().min(1).max(60),
    periodStart: isoDate,
    periodEnd: isoDate,
    /** Scope person: personal ID (12 digits) or username; the personal ID wins when both are sent. */
    personalId: z.string().trim().regex(/^\d{12}$/, '12 chữ số / 12 digits').optional(),
    username: z.string().trim().min(1).max(60).optional(),
    /** Scope unit: the unit's code. */
    unitCode: z.string().trim().min(1).max(40).optional(),
    value: z.number().finite(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((r) => r.periodStart <= r.periodEnd, { message: 'periodStart sau periodEnd / after periodEnd', path: ['periodEnd'] })
  .refine((r) => r.personalId || r.username || r.unitCode, { message: 'cần personalId, username hoặc unitCode / personalId, username or unitCode required', path: ['personalId'] })
export type IndicatorRow = z.infer<typeof indicatorRow>

/** A refused row with the HTTP status it would have had alone: 400 bad data, 404 unknown, 409 locked. */
export interface IndicatorRejectedRow extends RejectedRow {
  status: 400 | 404 | 409
}

export interface IndicatorLookups {
  /** The indicator as the published rule sets declare it, for this system. */
  indicator(code: string): DeclaredIndicator | undefined
  person(row: IndicatorRow): { id: number } | undefined
  unit(code: string): { id: number } | undefined
  /** The value this system already sent for the key. */
  existing(key: ValueKey): { id: number; value: number; note: string | null } | undefined
}

export interface ValueKey {
  code: string
  subject: string
  periodStart: string
  periodEnd: string
}

export interface ValueFields extends ValueKey {
  staffId: number | null
  unitId: number | null
  value: number
  note: string | null
}

export type IndicatorDecision =
  | { kind: 'insert'; row: number; fields: ValueFields }
  | { kind: 'update'; row: number; id: number; fields: ValueFields; before: number }
  | { kind: 'unchanged'; row: number; id: number; fields: ValueFields }
  | { kind: 'late'; row: number; fields: ValueFields; closedAt: Date }

export const valueKeyOf = (k: ValueKey) => `${k.code}|${k.subject}|${k.periodStart}|${k.periodEnd}`

const fmt = (n: number) => String(n).replace('.', ',')

/**
 * Decides each row of a batch (pure): a new value, a changed one, the same again (an idempotent
 * replay), too late (the period's closing date has passed: refused with 409 PERIOD_LOCKED, kept
 * for the admin's list as late), or refused with its reason. A refused row writes nothing.
 */
export function planIndicators(rows: unknown[], lookups: IndicatorLookups, now: Date): { decisions: IndicatorDecision[]; rejected: IndicatorRejectedRow[] } {
  const decisions: IndicatorDecision[] = []
  const rejected: IndicatorRejectedRow[] = []
  const seen = new Set<string>()
  rows.forEach((raw, i) => {
    const row = i + 1
    const code = typeof (raw as { indicatorCode?: unknown } | null)?.indicatorCode === 'string' ? (raw as { indicatorCode: string }).indicatorCode : null
    const refuse = (status: IndicatorRejectedRow['status'], errorCode: string, vi: string, en: string, label = code) => void rejected.push({ row, externalId: label, code: errorCode, message: vi, messageEn: en, status })
    const parsed = indicatorRow.safeParse(raw)
    if (!parsed.success) {
      const list = parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ')
      return refuse(400, 'VALIDATION_FAILED', `Dòng không hợp lệ: ${list}`, `Invalid row: ${list}`)
    }
    const r = parsed.data
    const who = r.personalId ?? r.username ?? r.unitCode!
    const label = `${r.indicatorCode} · ${who}`
    const indicator = lookups.indicator(r.indicatorCode)
    if (!indicator) return refuse(404, 'UNKNOWN_INDICATOR', `Không bộ quy tắc nào đang ban hành dùng chỉ số ${r.indicatorCode} của hệ thống này.`, `No published rule set uses indicator ${r.indicatorCode} of this system.`, label)
    if (indicator.conflict) return refuse(400, 'SCOPE_CONFLICT', `Các bộ quy tắc khai báo chỉ số ${r.indicatorCode} với phạm vi khác nhau (cá nhân / đơn vị); quản trị cần sửa bộ quy tắc.`, `Rule sets declare ${r.indicatorCode} with different scopes (person / unit); an admin must fix them.`, label)
    let subject: { staffId: number | null; unitId: number | null; key: string }
    if (indicator.scope === 'person') {
      if (!r.personalId && !r.username) return refuse(400, 'SCOPE_MISMATCH', `Chỉ số ${r.indicatorCode} tính theo từng cán bộ: cần personalId hoặc username.`, `${r.indicatorCode} is per person: send personalId or username.`, label)
      const person = lookups.person(r)
      if (!person) return refuse(404, 'UNKNOWN_PERSON', `Không có cán bộ đang làm việc với ${r.personalId ? 'số định danh' : 'tên đăng nhập'} ${who}.`, `No active staff member with ${r.personalId ? 'personal ID' : 'username'} ${who}.`, label)
      subject = { staffId: person.id, unitId: null, key: `staff:${person.id}` }
    } else {
      if (!r.unitCode) return refuse(400, 'SCOPE_MISMATCH', `Chỉ số ${r.indicatorCode} tính theo đơn vị: cần unitCode.`, `${r.indicatorCode} is per unit: send unitCode.`, label)
      const unit = lookups.unit(r.unitCode)
      if (!unit) return refuse(404, 'UNKNOWN_UNIT', `Không có đơn vị mã ${r.unitCode}.`, `No unit with code ${r.unitCode}.`, label)
      subject = { staffId: null, unitId: unit.id, key: `unit:${unit.id}` }
    }
    if ((indicator.min !== null && r.value < indicator.min) || (indicator.max !== null && r.value > indicator.max) || (indicator.integer && !Number.isInteger(r.value))) {
      const range = `${indicator.min === null ? '−∞' : fmt(indicator.min)}–${indicator.max === null ? '∞' : fmt(indicator.max)}${indicator.integer ? (', số nguyên') : ''}`
      return refuse(400, 'OUT_OF_RANGE', `Giá trị ${fmt(r.value)} ${indicator.unit} của ${r.indicatorCode} ngoài khoảng cho phép (${range}).`, `Value ${r.value} ${indicator.unit} of ${r.indicatorCode} is out of range (${range.replace('số nguyên', 'integer')}).`, label)
    }
    const fields: ValueFields = { code: r.indicatorCode, subject: subject.key, periodStart: r.periodStart, periodEnd: r.periodEnd, staffId: subject.staffId, unitId: subject.unitId, value: r.value, note: r.note ?? null }
    const key = valueKeyOf(fields)
    if (seen.has(key)) return refuse(400, 'DUPLICATE_IN_BATCH', `Chỉ số ${r.indicatorCode} của ${who} cho kỳ ${r.periodStart}–${r.periodEnd} xuất hiện nhiều lần trong lô.`, `${r.indicatorCode} of ${who} for ${r.periodStart}–${r.periodEnd} appears more than once in the batch.`, label)
    seen.add(key)
    const closedAt = closesAt(r.periodEnd, indicator.closingDay)
    if (now.getTime() > closedAt.getTime()) {
      refuse(409, 'PERIOD_LOCKED', `Số liệu kỳ ${formatDay(r.periodStart)} – ${formatDay(r.periodEnd)} của chỉ số ${r.indicatorCode} đã khóa ngày ${closingLabel(r.periodEnd, indicator.closingDay)}; giá trị gửi muộn không được dùng.`, `Values of ${r.indicatorCode} for ${formatDay(r.periodStart)} – ${formatDay(r.periodEnd)} locked on ${closingLabel(r.periodEnd, indicator.closingDay)}; a late value is not used.`, label)
      return void decisions.push({ kind: 'late', row, fields, closedAt })
    }
    const existing = lookups.existing(fields)
    if (!existing) return void decisions.push({ kind: 'insert', row, fields })
    if (existing.value === fields.value && existing.note === fields.note) return void decisions.push({ kind: 'unchanged', row, id: existing.id, fields })
    decisions.push({ kind: 'update', row, id: existing.id, fields, before: existing.value })
  })
  return { decisions, rejected }
}
