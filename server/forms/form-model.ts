import { LEVEL_NAMES } from '../../rules/evaluate.plan.js'
import type { ComputedValue, RuleSetDefinition } from '../../rules/ruleset.types.js'
import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import { effectiveInputs } from '../evaluations/effective-inputs.js'
import { quantity, score, viDate } from './vi-format.js'
import { uiOrdered } from '../../rules/ui-order.js'

/** What Mẫu số 01 is printed from: an evaluation with its rule set, people and dates, as read from the database. */
export interface FormSource {
  agency: string
  unitName: string
  cycle: { name: string; periodStart: string; periodEnd: string }
  person: { fullName: string; position: string }
  /** A unit evaluation (a unit cycle): the unit evaluated, whose head answers for it. */
  subjectUnit?: string | null
  evaluation: {
    stage: string
    ruleRole: 'staff' | 'leader'
    data: Record<string, unknown>
    adjustments: Record<string, unknown> | null
    /** The values of record (data with the reviewer's adjustments), once scored. */
    values: Record<string, number | null> | null
    total: number | null
    level: string | null
    finalLevel: string | null
    override: string | null
    rankInUnit: number | null
    unitSize: number | null
  }
  /** The values scored at the latest submission: what the person proposed. */
  submittedValues: Record<string, number | null> | null
  ruleSet: Pick<RuleSetDefinition, 'inputSchema' | 'uiSchema' | 'computed' | 'totalKey'>
  /** Catalogue names and units of measure by product code. */
  catalogue: Map<string, { name: string; unit: string }>
  signatures: { owner: Signature; reviewer: Signature | null; authority: Signature | null }
}

export interface Signature {
  name: string
  at: Date | null
}

export type RowKind = 'section' | 'group' | 'criterion' | 'total'

/** One printed row of the criteria table; every figure already formatted. */
export interface CriterionRow {
  kind: RowKind
  number: string
  title: string
  maximum: string
  self: string
  authority: string
}

export interface FormModel {
  formCode: '01A' | '01B'
  /** A unit evaluation prints as the unit's form: the unit and its head instead of a person's fields. */
  unit: { name: string; head: string } | null
  title: string
  agency: string
  unitName: string
  cycleName: string
  period: string
  person: { fullName: string; position: string; unitName: string }
  rows: CriterionRow[]
  strengths: string
  weaknesses: string
  reviewerComment: string
  levels: { level: Level; name: string; self: boolean; authority: boolean }[]
  result: { total: string; level: string; rank: string; override: string }
  figures: { label: string; value: string }[]
  products: { code: string; name: string; unit: string; k: string; assigned: string; done: string; qualityFailures: string; delays: string; source: string }[]
  /** An annual evaluation: the classified periods behind the annual score (printed as its annex instead of products). */
  periods: { name: string; period: string; months: string; total: string; level: string }[]
  signatures: { title: string; role: string; name: string; date: string }[]
}

/** Stages at which the reviewer has approved: the authority's column is filled from then on. */
const REVIEWED = new Set(['AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED'])
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X']
/** The computed keys of the task score and of the general score in the NĐ 335 rule sets; a rule set without them prints no such row. */
const TASK_KEY = 'task'
const GENERAL_KEY = 'generalScore'
const SOURCES: Record<string, string> = { worklog: 'Nhật ký công việc', self: 'Tự khai' }

/** A general criterion read from the rule set's input schema: a leaf with its path, or a group of them. */
interface Criterion {
  path: string[]
  title: string
  maximum: number | null
  children: Criterion[] | null
}

/**
 * The general criteria of a rule set, read generically from its input schema's `general`
 * object: nested objects are groups (title, `maximum` or the sum of theirs), numeric leaves are
 * criteria (title, `maximum`). Works on the flat NĐ 335 shape (three 0–10 boxes) and on Mẫu 01's
 * groups alike; the uiSchema's `ui:order` is followed where it names the fields.
 */
export function generalCriteria(inputSchema: Record<string, unknown>, uiSchema?: Record<string, unknown>): Criterion[] {
  const general = (inputSchema['properties'] as Record<string, unknown> | undefined)?.['general']
  return isObject(general) ? childrenOf(general, ['general'], asObject(uiSchema?.['general'])) : []
}

function childrenOf(schema: Record<string, unknown>, path: string[], ui: Record<string, unknown> | undefined): Criterion[] {
  const props = asObject(schema['properties']) ?? {}
  const out: Criterion[] = []
  for (const key of uiOrdered(Object.keys(props), ui?.['ui:order'])) {
    const prop = props[key]
    if (!isObject(prop)) continue
    const title = typeof prop['title'] === 'string' ? prop['title'] : key
    const own = typeof prop['maximum'] === 'number' ? prop['maximum'] : null
    if (prop['type'] === 'object') {
      const children = childrenOf(prop, [...path, key], asObject(ui?.[key]))
      out.push({ path: [...path, key], title, maximum: own ?? sumOrNull(children.map((c) => c.maximum)), children })
    } else if (prop['type'] === 'number' || prop['type'] === 'integer') {
      out.push({ path: [...path, key], title, maximum: own, children: null })
    }
  }
  return out
}

/** What to print for one evaluation on Mẫu 01A (staff) or 01B (leaders). Pure. */
export function buildFormModel(src: FormSource): FormModel {
  const ev = src.evaluation
  const leader = ev.ruleRole === 'leader'
  const reviewed = REVIEWED.has(ev.stage)
  const own = ev.data
  const effective = effectiveInputs(ev.data, ev.adjustments, ev.ruleRole)
  const criteria = generalCriteria(src.ruleSet.inputSchema, src.ruleSet.uiSchema)
  const computed = new Map(src.ruleSet.computed.map((c) => [c.key, c]))

  const rows: CriterionRow[] = []
  const leafValue = (doc: Record<string, unknown>, c: Criterion) => numberAt(doc, c.path)
  const sumOf = (doc: Record<string, unknown>, c: Criterion): number | null => (c.children ? sumOrNull(c.children.map((k) => sumOf(doc, k))) : leafValue(doc, c))
  if (criteria.length) {
    const general = (src.ruleSet.inputSchema['properties'] as Record<string, Record<string, unknown>>)['general']!
    const all: Criterion = { path: ['general'], title: '', maximum: null, children: criteria }
    const max = typeof general['maximum'] === 'number' ? general['maximum'] : sumOrNull(criteria.map((c) => c.maximum))
    rows.push(row('section', 'A', sectionTitle(general['title'], 'Tiêu chí chung'), max, sumOf(own, all), reviewed ? sumOf(effective, all) : null))
    const grouped = criteria.some((c) => c.children)
    criteria.forEach((c, i) => {
      rows.push(row(c.children ? 'group' : 'criterion', grouped ? (ROMAN[i] ?? String(i + 1)) : String(i + 1), c.title, c.maximum, sumOf(own, c), reviewed ? sumOf(effective, c) : null))
      c.children?.forEach((k, j) => rows.push(row('criterion', String(j + 1), k.title, k.maximum, sumOf(own, k), reviewed ? sumOf(effective, k) : null)))
    })
  }
  const task = computed.get(TASK_KEY)
  if (task) rows.push(row('section', criteria.length ? 'B' : 'A', task.label.vi, scaleMax(task), src.submittedValues?.[TASK_KEY] ?? null, reviewed ? (ev.values?.[TASK_KEY] ?? null) : null))
  const total = computed.get(src.ruleSet.totalKey)
  rows.push(row('total', '', (total?.label.vi ?? 'Tổng điểm').toUpperCase(), total ? scaleMax(total) : null, src.submittedValues?.[src.ruleSet.totalKey] ?? null, reviewed ? ev.total : null))

  const assessment = asObject(own['assessment']) ?? {}
  const review = asObject(ev.adjustments?.['assessment']) ?? {}
  const selfLevel = asLevel(assessment['proposedLevel'])
  const authorityLevel = asLevel(ev.finalLevel) ?? (reviewed ? (asLevel(review['proposedLevel']) ?? asLevel(ev.level)) : null)
  const shown = new Set([TASK_KEY, GENERAL_KEY, src.ruleSet.totalKey])
  const values = ev.values ?? src.submittedValues ?? {}

  return {
    formCode: leader ? '01B' : '01A',
    unit: src.subjectUnit ? { name: src.subjectUnit, head: src.person.fullName } : null,
    title: src.subjectUnit ? 'PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐƠN VỊ' : leader ? 'PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ' : 'PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC',
    agency: src.agency,
    unitName: src.unitName,
    cycleName: src.cycle.name,
    period: `từ ngày ${viDate(src.cycle.periodStart)} đến ngày ${viDate(src.cycle.periodEnd)}`,
    person: { fullName: src.person.fullName, position: src.person.position, unitName: src.unitName },
    rows,
    strengths: text(assessment['strengths']),
    weaknesses: text(assessment['weaknesses']),
    reviewerComment: text(review['comment']),
    levels: LEVELS.map((level) => ({ level, name: LEVEL_NAMES[level].vi, self: selfLevel === level, authority: authorityLevel === level })),
    result: {
      total: reviewed ? score(ev.total) : '',
      level: authorityLevel ? `${authorityLevel} (${LEVEL_NAMES[authorityLevel].vi})` : '',
      rank: ev.rankInUnit !== null && ev.unitSize ? `${ev.rankInUnit} / ${ev.unitSize}` : '',
      override: ev.override ?? '',
    },
    figures: src.ruleSet.computed.filter((c) => !shown.has(c.key) && typeof values[c.key] === 'number').map((c) => ({ label: c.label.vi, value: score(values[c.key]) })),
    products: productsOf(effective, src.catalogue),
    periods: periodsOf(own),
    signatures: [
      { title: src.subjectUnit ? 'THỦ TRƯỞNG ĐƠN VỊ' : 'NGƯỜI TỰ ĐÁNH GIÁ', role: src.subjectUnit ? 'Tự đánh giá cho đơn vị' : 'Người được đánh giá', name: src.signatures.owner.name, date: viDate(src.signatures.owner.at) },
      { title: 'NGƯỜI NHẬN XÉT, ĐÁNH GIÁ', role: 'Người quản lý trực tiếp', name: src.signatures.reviewer?.name ?? '', date: viDate(src.signatures.reviewer?.at) },
      { title: 'CẤP CÓ THẨM QUYỀN', role: 'Phê duyệt, xếp loại', name: src.signatures.authority?.name ?? '', date: viDate(src.signatures.authority?.at) },
    ],
  }
}

function periodsOf(doc: Record<string, unknown>): FormModel['periods'] {
  const list = Array.isArray(doc['periods']) ? doc['periods'] : []
  return list.filter(isObject).map((p) => ({
    name: text(p['cycleName']),
    period: `${viDate(text(p['periodStart']))} – ${viDate(text(p['periodEnd']))}`,
    months: quantity(num(p['months'])),
    total: score(num(p['total'])),
    level: text(p['level']),
  }))
}

function productsOf(doc: Record<string, unknown>, catalogue: FormSource['catalogue']): FormModel['products'] {
  const lines = Array.isArray(doc['products']) ? doc['products'] : []
  return lines.filter(isObject).map((p) => {
    const code = typeof p['code'] === 'string' ? p['code'] : ''
    const known = catalogue.get(code)
    return {
      code,
      name: (typeof p['name'] === 'string' && p['name']) || known?.name || '',
      unit: known?.unit ?? '',
      k: quantity(num(p['k'])),
      assigned: quantity(num(p['assigned'])),
      done: quantity(num(p['done'])),
      qualityFailures: quantity(num(p['qualityFailures'])),
      delays: quantity(num(p['delays'])),
      source: typeof p['source'] === 'string' ? (SOURCES[p['source']] ?? p['source']) : SOURCES['self']!,
    }
  })
}

const row = (kind: RowKind, number: string, title: string, maximum: number | null, self: number | null, authority: number | null): CriterionRow => ({
  kind,
  number,
  title,
  maximum: maximum === null ? '' : quantity(maximum),
  self: score(self),
  authority: score(authority),
})

/** "Tiêu chí chung (30 điểm)" → "TIÊU CHÍ CHUNG": the maximum has its own column. */
const sectionTitle = (title: unknown, fallback: string) => (typeof title === 'string' ? title : fallback).replace(/\s*\([^)]*điểm\)\s*$/i, '').toUpperCase()
const scaleMax = (c: ComputedValue) => c.scale?.max ?? null
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const asLevel = (v: unknown): Level | null => (typeof v === 'string' && (LEVELS as readonly string[]).includes(v) ? (v as Level) : null)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const asObject = (v: unknown) => (isObject(v) ? v : undefined)

function numberAt(doc: Record<string, unknown>, path: string[]): number | null {
  let at: unknown = doc
  for (const key of path) at = isObject(at) ? at[key] : undefined
  return num(at)
}

/** The sum of the numbers present; null when none is. */
function sumOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null)
  return present.length ? present.reduce((a, b) => a + b, 0) : null
}
