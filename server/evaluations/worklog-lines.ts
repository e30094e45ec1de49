import { ApiError } from '../errors.js'

type Line = Record<string, unknown>

/**
 * Product lines pre-filled from the confirmed work log are read-only for staff; lines they add
 * must say `source: "self"` and give a reason, which the unit head reviews.
 */
export function checkWorklogLines(before: unknown, after: unknown): void {
  const prefilled = asLines(before).filter((l) => l['source'] === 'worklog')
  if (!prefilled.length) return
  const submitted = asLines(after)
  const kept = submitted.filter((l) => l['source'] === 'worklog')
  if (canonical(kept) !== canonical(prefilled)) {
    throw new ApiError(400, 'WORKLOG_READ_ONLY', 'Số liệu lấy từ nhật ký công việc đã được xác nhận, không sửa được; hãy thêm dòng mới kèm lý do.', 'Figures from the confirmed work log are read-only; add a line with a reason instead.')
  }
  const missing = submitted.findIndex((l) => l['source'] !== 'worklog' && !(l['source'] === 'self' && typeof l['reason'] === 'string' && l['reason'].trim().length >= 3))
  if (missing >= 0) {
    throw new ApiError(400, 'REASON_REQUIRED', `Dòng sản phẩm ${missing + 1} tự bổ sung cần ghi nguồn "self" và lý do.`, `Product line ${missing + 1} was added by hand: it needs source "self" and a reason.`, [{ path: `products[${missing}].reason`, message: 'required' }])
  }
}

function asLines(doc: unknown): Line[] {
  const products = (doc as { products?: unknown } | null)?.products
  return Array.isArray(products) ? (products.filter((l) => l && typeof l === 'object') as Line[]) : []
}

function canonical(lines: Line[]): string {
  return JSON.stringify(lines.map((l) => Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)))))
}
