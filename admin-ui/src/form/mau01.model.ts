import { tr, type Lang } from '../i18n.js'
import { uiOrdered } from '../../../rules/ui-order.js'

/**
 * Mẫu số 01 read from a rule set's input schema: the general criteria (groups of sub-criteria, or
 * flat boxes on earlier rule sets), their titles, maxima and steps, and the person's own review.
 * Nothing here names a criterion: everything comes from the schema. Pure functions, no React.
 */

type Schema = Record<string, unknown>

export interface Criterion {
  /** Path in the document: ['general', 'ethics', 'politics']. */
  path: string[]
  title: string
  maximum: number | null
  minimum: number
  /** The input's step: the schema's multipleOf, else any. */
  step: number | 'any'
}

export interface CriteriaGroup {
  path: string[]
  title: string
  /** The sum of its criteria's maxima. */
  maximum: number | null
  /** The criteria to score; a flat box is a group of one, scored itself. */
  criteria: Criterion[]
  /** True when the group is a box of its own (earlier rule sets: three 0–10 boxes). */
  single: boolean
}

export interface GeneralCriteria {
  title: string
  groups: CriteriaGroup[]
  maximum: number | null
}

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function criterion(schema: Schema, path: string[]): Criterion {
  const step = num(schema['multipleOf'])
  return { path, title: typeof schema['title'] === 'string' ? schema['title'] : path[path.length - 1]!, maximum: num(schema['maximum']), minimum: num(schema['minimum']) ?? 0, step: step ?? 'any' }
}

const isNumber = (s: Schema) => s['type'] === 'number' || s['type'] === 'integer'

/** The general criteria of a rule set's input schema (`properties.general`), or null when it has none. */
export function generalCriteria(formSchema: Schema, uiSchema: Schema = {}): GeneralCriteria | null {
  const general = (formSchema['properties'] as Schema | undefined)?.['general']
  if (!isObject(general)) return null
  const props = isObject(general['properties']) ? general['properties'] : {}
  const ui = isObject(uiSchema['general']) ? uiSchema['general'] : {}
  const groups: CriteriaGroup[] = []
  for (const key of uiOrdered(Object.keys(props), ui['ui:order'])) {
    const sub = props[key]
    if (!isObject(sub)) continue
    const path = ['general', key]
    if (isNumber(sub)) {
      const c = criterion(sub, path)
      groups.push({ path, title: c.title, maximum: c.maximum, criteria: [c], single: true })
    } else if (isObject(sub['properties'])) {
      const inner = sub['properties']
      const subUi = isObject(ui[key]) ? ui[key] : {}
      const criteria = uiOrdered(Object.keys(inner), subUi['ui:order'])
        .filter((k) => isObject(inner[k]) && isNumber(inner[k]))
        .map((k) => criterion(inner[k] as Schema, [...path, k]))
      groups.push({ path, title: typeof sub['title'] === 'string' ? sub['title'] : key, maximum: sumOrNull(criteria.map((c) => c.maximum)), criteria, single: false })
    }
  }
  const title = typeof general['title'] === 'string' ? general['title'] : 'Tiêu chí chung'
  return { title, groups, maximum: sumOrNull(groups.map((g) => g.maximum)) }
}

/** The sum of the numbers given; null when one is missing (a total of an unfinished form is not shown). */
export function sumOrNull(values: (number | null)[]): number | null {
  if (!values.length || values.some((v) => v === null)) return null
  return values.reduce<number>((s, v) => s + v!, 0)
}

/** The number at a path of a document, or null. */
export function valueAt(doc: unknown, path: string[]): number | null {
  let at: unknown = doc
  for (const key of path) at = isObject(at) ? at[key] : undefined
  return num(at)
}

/** A copy of the document with `value` at `path` (objects on the way created as needed). */
export function withValue(doc: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path
  if (head === undefined) return doc
  const child = isObject(doc[head]) ? doc[head] : {}
  return { ...doc, [head]: rest.length ? withValue(child, rest, value) : value }
}

export const groupScore = (doc: unknown, group: CriteriaGroup) => sumOrNull(group.criteria.map((c) => valueAt(doc, c.path)))
export const generalScore = (doc: unknown, general: GeneralCriteria) => sumOrNull(general.groups.map((g) => groupScore(doc, g)))

/** What is wrong with one score, in the language; null when it is a valid score. */
export function scoreProblem(value: number | null, c: Criterion, lang: Lang): string | null {
  if (value === null) return tr(lang, 'mau01Model.required')
  if (value < c.minimum) return tr(lang, 'mau01Model.mustBe', { value: formatScore(c.minimum, lang) })
  if (c.maximum !== null && value > c.maximum) return tr(lang, 'mau01Model.mustBe2', { value: formatScore(c.maximum, lang) })
  if (c.step !== 'any' && Math.abs(value / c.step - Math.round(value / c.step)) > 1e-9) return tr(lang, 'mau01Model.mustBeAMultipleOf', { value: formatScore(c.step, lang) })
  return null
}

/** Every criterion of a document that is not a valid score, by path. */
export function criteriaProblems(doc: unknown, general: GeneralCriteria, lang: Lang): Map<string, string> {
  const problems = new Map<string, string>()
  for (const g of general.groups) for (const c of g.criteria) {
    const problem = scoreProblem(valueAt(doc, c.path), c, lang)
    if (problem) problems.set(c.path.join('.'), problem)
  }
  return problems
}

const formats: Record<Lang, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }),
}

/** A score as shown (at most 2 decimals, decimal comma in Vietnamese), or an em dash. */
export function formatScore(value: number | null | undefined, lang: Lang): string {
  return value === null || value === undefined ? '—' : formats[lang].format(value)
}

/** Roman numerals for the groups (I, II, III …), as Mẫu 01 numbers them. */
export const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X']

/** The person's own review (strengths, weaknesses, proposed level) and the authority's, as the schema declares them. */
export interface AssessmentFields {
  strengths: { title: string; maxLength: number } | null
  weaknesses: { title: string; maxLength: number } | null
  proposedLevel: { title: string; levels: string[] } | null
  /** The authority's comment and level (`review` in the inputs, `adjustments.assessment` at approval). */
  review: { commentTitle: string; levelTitle: string; maxLength: number; levels: string[] } | null
}

export function assessmentFields(formSchema: Schema): AssessmentFields {
  const props = (formSchema['properties'] as Schema | undefined) ?? {}
  const field = (parent: unknown, key: string) => (isObject(parent) && isObject(parent['properties']) && isObject(parent['properties'][key]) ? (parent['properties'][key]) : null)
  const title = (s: Schema | null, fallback: string) => (s && typeof s['title'] === 'string' ? s['title'] : fallback)
  const text = (s: Schema | null, fallback: string) => (s ? { title: title(s, fallback), maxLength: num(s['maxLength']) ?? 2000 } : null)
  const levels = (s: Schema | null) => (s && Array.isArray(s['enum']) ? s['enum'].filter((l): l is string => typeof l === 'string') : [])
  const own = props['assessment']
  const level = field(own, 'proposedLevel')
  const review = props['review']
  const comment = field(review, 'comment')
  const reviewLevel = field(review, 'proposedLevel')
  return {
    strengths: text(field(own, 'strengths'), 'Ưu điểm'),
    weaknesses: text(field(own, 'weaknesses'), 'Hạn chế'),
    proposedLevel: level ? { title: title(level, 'Tự đề xuất xếp loại'), levels: levels(level) } : null,
    review: isObject(review) ? { commentTitle: title(comment, 'Nhận xét'), levelTitle: title(reviewLevel, 'Xếp loại'), maxLength: num(comment?.['maxLength']) ?? 2000, levels: levels(reviewLevel) } : null,
  }
}

/** True when the person's review is filled as submission requires (each declared field non-blank). */
export function assessmentComplete(data: Record<string, unknown>, fields: AssessmentFields): boolean {
  const own = isObject(data['assessment']) ? data['assessment'] : {}
  const filled = (key: string) => typeof own[key] === 'string' && (own[key]).trim().length > 0
  return (!fields.strengths || filled('strengths')) && (!fields.weaknesses || filled('weaknesses')) && (!fields.proposedLevel || filled('proposedLevel'))
}
