import { ApiError } from '../errors.js'
import { isForPosition, type Product } from '../worklog/catalogue.repo.js'

type Line = Record<string, unknown>

/** The figures that identify a line pre-filled from the work log. */
const FIGURES = ['code', 'k', 'assigned', 'done', 'qualityFailures', 'delays'] as const
/** What the server decides about a line, never the request. */
const SERVER_SET = new Set(['name', 'k', 'unit', 'source'])

export interface ProductRules {
  /** The lines pre-filled from the confirmed work log at launch. */
  prefilled: Line[]
  /** The catalogue valid in the period, by code. */
  catalogue: Map<string, Product>
  /** The person's job position; a product lists the positions it is for (none: every position). */
  positionCode: string | null
  /** Whether the rule set's product lines carry a name. */
  withName: boolean
}

/**
 * The product lines as they are stored: the ones pre-filled from the work log at launch kept
 * exactly, every other line checked against the catalogue valid in the period and the person's
 * position, with its name and coefficient taken from the catalogue and `source: "self"` plus the
 * reason the unit head reviews. The request's `name`, `k` and `source` are not trusted.
 */
export function settleProductLines(submitted: unknown, rules: ProductRules): Line[] {
  if (!Array.isArray(submitted)) return submitted as Line[]
  const unmatched = rules.prefilled.map((line, i) => ({ line, i }))
  const out = submitted.map((raw, i): Line => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw as Line
    const line = raw as Line
    const match = unmatched.findIndex(({ line: p }) => FIGURES.every((f) => p[f] === line[f]))
    if (match >= 0) return unmatched.splice(match, 1)[0]!.line
    if (line['source'] === 'worklog') throw readOnly(i)
    return selfLine(line, i, rules)
  })
  if (unmatched.length) throw readOnly(unmatched[0]!.i)
  return out
}

function selfLine(line: Line, i: number, rules: ProductRules): Line {
  const code = typeof line['code'] === 'string' ? line['code'] : ''
  const product = rules.catalogue.get(code)
  if (!product) {
    throw new ApiError(400, 'UNKNOWN_PRODUCT', `Dòng ${i + 1}: không có sản phẩm mã "${code}" trong danh mục của kỳ đánh giá.`, `Line ${i + 1}: no product "${code}" in the catalogue of the period.`, [{ path: `products[${i}].code`, message: 'unknown product' }])
  }
  if (!isForPosition(product, rules.positionCode)) {
    throw new ApiError(400, 'PRODUCT_NOT_FOR_POSITION', `Dòng ${i + 1}: sản phẩm ${code} không thuộc vị trí việc làm của bạn (${rules.positionCode ?? 'chưa có'}).`, `Line ${i + 1}: product ${code} is not for your job position (${rules.positionCode ?? 'none'}).`, [{ path: `products[${i}].code`, message: 'not for the position' }])
  }
  const reason = typeof line['reason'] === 'string' ? line['reason'].trim() : ''
  if (reason.length < 3) {
    throw new ApiError(400, 'REASON_REQUIRED', `Dòng ${i + 1} tự khai (không từ nhật ký công việc): cần ghi lý do.`, `Line ${i + 1} is self-declared (not from the work log): it needs a reason.`, [{ path: `products[${i}].reason`, message: 'required' }])
  }
  const figures = Object.fromEntries(Object.entries(line).filter(([k]) => !SERVER_SET.has(k) && k !== 'code' && k !== 'reason'))
  return { code: product.code, ...(rules.withName ? { name: product.name } : {}), k: product.k, ...figures, source: 'self', reason }
}

function readOnly(i: number): ApiError {
  return new ApiError(400, 'WORKLOG_READ_ONLY', 'Số liệu lấy từ nhật ký công việc đã được xác nhận, không sửa hoặc xóa được; hãy thêm dòng mới kèm lý do.', 'Figures from the confirmed work log are read-only and cannot be removed; add a line with a reason instead.', [{ path: `products[${i}]`, message: 'read-only' }])
}
