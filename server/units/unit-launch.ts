import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { ApiError } from '../errors.js'

export type Subject = 'staff' | 'unit'

/** Whom a rule set evaluates: a unit rule set (`subject: "unit"`) launches a unit cycle. */
export function subjectOf(definition: RuleSetDefinition, asked?: Subject): Subject {
  const subject = definition.subject ?? 'staff'
  if (asked && asked !== subject) {
    throw new ApiError(
      400,
      'UNIT_RULE_SET_REQUIRED',
      subject === 'unit' ? 'Bộ quy tắc này đánh giá đơn vị: kỳ đánh giá phải là kỳ đánh giá đơn vị (subject "unit").' : 'Kỳ đánh giá đơn vị cần bộ quy tắc đánh giá đơn vị (subject "unit"), ví dụ "Đánh giá đơn vị theo Khung KPI".',
      subject === 'unit' ? 'This rule set evaluates units: the cycle must be a unit cycle (subject "unit").' : 'A unit cycle needs a unit rule set (subject "unit"), e.g. "Unit evaluation by the KPI framework".',
    )
  }
  return subject
}

export interface UnitRow {
  id: number
  name: string
  parent_id: number | null
  head_id: number | null
}

export interface StaffRow {
  id: number
  unit_id: number | null
  roles: string[]
  scope_unit_ids: number[]
  position_code: string | null
}

/**
 * Who answers for each unit of a unit cycle: its head, placed in the unit (one evaluation per
 * unit, owned by the head, so the evaluation workflow runs unchanged and the org's partiesOf gives
 * the leaders in scope as reviewers and sign-off). The head is the unit's `head_id`, else its one
 * active `unit_head`. The agency itself (a unit without a parent) is evaluated by its own superior,
 * not here. A unit without a head, or a head of two units in scope, is a clear 400: nothing launched.
 */
export function unitMembers(units: UnitRow[], staff: StaffRow[], scope: Set<number>): StaffRow[] {
  const active = new Map(staff.map((s) => [s.id, s]))
  const inScope = units.filter((u) => scope.has(u.id) && u.parent_id !== null).sort((a, b) => a.id - b.id)
  if (!inScope.length) throw new ApiError(400, 'VALIDATION_FAILED', 'Không có đơn vị nào (dưới cấp cơ quan) trong phạm vi kỳ đánh giá đơn vị.', 'No unit (below the agency) in the scope of the unit cycle.')
  const headless: string[] = []
  const members: StaffRow[] = []
  for (const u of inScope) {
    const named = u.head_id !== null ? active.get(u.head_id) : undefined
    const heads = named ? [named] : staff.filter((s) => s.unit_id === u.id && s.roles.includes('unit_head'))
    if (heads.length !== 1) {
      headless.push(u.name)
      continue
    }
    members.push({ ...heads[0]!, unit_id: u.id })
  }
  if (headless.length) {
    throw new ApiError(400, 'UNIT_HEAD_MISSING', `Đơn vị chưa có (đúng một) trưởng đơn vị để tự đánh giá: ${headless.join(', ')}.`, `Units without (exactly one) head to self-assess: ${headless.join(', ')}.`)
  }
  const twice = members.filter((m, i) => members.findIndex((x) => x.id === m.id) !== i)
  if (twice.length) {
    const names = units.filter((u) => members.some((m) => m.unit_id === u.id && twice.some((t) => t.id === m.id))).map((u) => u.name)
    throw new ApiError(400, 'VALIDATION_FAILED', `Một người đứng đầu nhiều đơn vị trong cùng kỳ (${names.join(', ')}): hãy mở kỳ riêng cho từng đơn vị.`, `One person heads several units of the cycle (${names.join(', ')}): launch a cycle per unit.`)
  }
  return members
}
