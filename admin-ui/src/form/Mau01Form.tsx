import { formatDate, formatDateTime, LEVEL_LABELS, type Lang, tr } from '../i18n'
import { formatScore, groupScore, generalScore, ROMAN, valueAt, type AssessmentFields, type Criterion, type GeneralCriteria } from './mau01.model'

/** Who fills which column now: the person their own scores, the authority theirs; null: read only. */
export type Editing = 'self' | 'authority' | null

const COLUMNS: Record<Lang, { no: string; criterion: string; max: string; self: string; authority: string }> = {
  vi: { no: 'TT', criterion: 'Tiêu chí', max: 'Điểm tối đa', self: 'Tự chấm', authority: 'Cấp có thẩm quyền chấm' },
  en: { no: 'No.', criterion: 'Criterion', max: 'Maximum', self: 'Self score', authority: "Authority's score" },
}

/** The cycle and the due date, on top of the form as Mẫu 01 has them. */
export function FormHeading({ cycle, deadlineAt, lang }: { cycle: { name: string; periodStart: string; periodEnd: string } | null; deadlineAt: string | null; lang: Lang }) {
  if (!cycle && !deadlineAt) return null
  return (
    <div className="mau01-heading" data-testid="form-heading">
      {cycle && (
        <p>
          {tr(lang, 'mau01Form.cycle')}: <strong data-testid="cycle-name">{cycle.name}</strong>{' '}
          <span className="muted">
            ({tr(lang, 'mau01Form.from')} {formatDate(cycle.periodStart)} {tr(lang, 'mau01Form.to')} {formatDate(cycle.periodEnd)})
          </span>
        </p>
      )}
      {deadlineAt && (
        <p>
          {tr(lang, 'mau01Form.due')}: <strong data-testid="deadline">{formatDateTime(deadlineAt)}</strong>
        </p>
      )}
    </div>
  )
}

/** A computed figure shown below the criteria (the task score, the total), with the person's and the authority's value. */
export interface FigureRow {
  key: string
  title: string
  maximum: number | null
  self: number | null
  authority: number | null
}

interface TableProps {
  general: GeneralCriteria
  self: Record<string, unknown>
  /** The authority's scores (the self-assessment with their adjustments); null before the review. */
  authority: Record<string, unknown> | null
  editing: Editing
  onChange?: (path: string[], value: number | null) => void
  problems?: Map<string, string>
  figures?: FigureRow[]
  lang: Lang
}

/** Mẫu 01's table: each group and criterion with its maximum, the self score and the authority's side by side, subtotals and totals. */
export function CriteriaTable({ general, self, authority, editing, onChange, problems, figures = [], lang }: TableProps) {
  const col = COLUMNS[lang]
  const cell = (doc: Record<string, unknown> | null, side: 'self' | 'authority', c: Criterion) => {
    const id = `${side}-${c.path.join('.')}`
    const value = doc ? valueAt(doc, c.path) : null
    if (editing !== side) return <span data-testid={id}>{formatScore(value, lang)}</span>
    const problem = problems?.get(c.path.join('.'))
    return (
      <>
        <input
          type="number"
          inputMode="decimal"
          min={c.minimum}
          max={c.maximum ?? undefined}
          step={c.step}
          value={value ?? ''}
          data-testid={id}
          aria-label={`${c.title} (${side === 'self' ? col.self : col.authority})`}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => onChange?.(c.path, e.target.value === '' ? null : Number(e.target.value))}
        />
        {problem && <span className="error field-problem">{problem}</span>}
      </>
    )
  }
  const sum = (doc: Record<string, unknown> | null, f: (d: Record<string, unknown>) => number | null) => (doc ? f(doc) : null)
  return (
    <table className="mau01" data-testid="mau01-table">
      <caption>{general.title}</caption>
      <thead>
        <tr>
          <th scope="col">{col.no}</th>
          <th scope="col">{col.criterion}</th>
          <th scope="col" className="num">{col.max}</th>
          <th scope="col" className="num">{col.self}</th>
          <th scope="col" className="num">{col.authority}</th>
        </tr>
      </thead>
      <tbody>
        {general.groups.map((g, i) => {
          const key = g.path.join('.')
          if (g.single) {
            const c = g.criteria[0]!
            return (
              <tr key={key} className="criterion">
                <td className="no">{i + 1}</td>
                <td className="title">{c.title}</td>
                <td className="num" data-label={col.max}>{formatScore(c.maximum, lang)}</td>
                <td className="num" data-label={col.self}>{cell(self, 'self', c)}</td>
                <td className="num" data-label={col.authority}>{cell(authority, 'authority', c)}</td>
              </tr>
            )
          }
          return [
            <tr key={key} className="group">
              <th scope="row" className="no">{ROMAN[i] ?? i + 1}</th>
              <th scope="row" className="title">{g.title}</th>
              <td className="num" data-label={col.max}>{formatScore(g.maximum, lang)}</td>
              <td className="num" data-label={col.self} data-testid={`self-${key}`}>{formatScore(groupScore(self, g), lang)}</td>
              <td className="num" data-label={col.authority} data-testid={`authority-${key}`}>{formatScore(sum(authority, (d) => groupScore(d, g)), lang)}</td>
            </tr>,
            ...g.criteria.map((c, j) => (
              <tr key={c.path.join('.')} className="criterion">
                <td className="no">{j + 1}</td>
                <td className="title">{c.title}</td>
                <td className="num" data-label={col.max}>{formatScore(c.maximum, lang)}</td>
                <td className="num" data-label={col.self}>{cell(self, 'self', c)}</td>
                <td className="num" data-label={col.authority}>{cell(authority, 'authority', c)}</td>
              </tr>
            )),
          ]
        })}
        <tr className="subtotal">
          <th scope="row" className="no" />
          <th scope="row" className="title">{tr(lang, 'mau01Form.generalCriteriaTotal')}</th>
          <td className="num" data-label={col.max}>{formatScore(general.maximum, lang)}</td>
          <td className="num" data-label={col.self} data-testid="self-general">{formatScore(generalScore(self, general), lang)}</td>
          <td className="num" data-label={col.authority} data-testid="authority-general">{formatScore(sum(authority, (d) => generalScore(d, general)), lang)}</td>
        </tr>
        {figures.map((f) => (
          <tr key={f.key} className="figure">
            <th scope="row" className="no" />
            <th scope="row" className="title">{f.title}</th>
            <td className="num" data-label={col.max}>{formatScore(f.maximum, lang)}</td>
            <td className="num" data-label={col.self} data-testid={`self-${f.key}`}>{formatScore(f.self, lang)}</td>
            <td className="num" data-label={col.authority} data-testid={`authority-${f.key}`}>{formatScore(f.authority, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

interface AssessmentProps {
  fields: AssessmentFields
  own: Record<string, unknown>
  review: Record<string, unknown> | null
  editing: Editing
  onOwnChange?: (key: string, value: string) => void
  onReviewChange?: (key: string, value: string) => void
  lang: Lang
}

/** Strengths, weaknesses and the proposed level of the person; the authority's comment and level beside them. */
export function AssessmentSection({ fields, own, review, editing, onOwnChange, onReviewChange, lang }: AssessmentProps) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  const levelName = (l: unknown) => (typeof l === 'string' && l ? `${l} — ${LEVEL_LABELS[l]?.[lang] ?? l}` : '—')
  const levelSelect = (value: unknown, levels: string[], testId: string, onSelect: (v: string) => void, label: string) => (
    <select value={text(value)} data-testid={testId} aria-label={label} onChange={(e) => onSelect(e.target.value)}>
      <option value="">{tr(lang, 'mau01Form.choose')}</option>
      {levels.map((l) => (
        <option key={l} value={l}>
          {levelName(l)}
        </option>
      ))}
    </select>
  )
  const ownText = (key: 'strengths' | 'weaknesses') => {
    const field = fields[key]
    if (!field) return null
    return editing === 'self' ? (
      <label key={key}>
        {field.title}
        <textarea rows={3} maxLength={field.maxLength} value={text(own[key])} data-testid={`assessment-${key}`} onChange={(e) => onOwnChange?.(key, e.target.value)} />
      </label>
    ) : (
      <div key={key} className="field">
        <strong>{field.title}</strong>
        <p className="prose" data-testid={`assessment-${key}`}>{text(own[key]) || '—'}</p>
      </div>
    )
  }
  return (
    <div className="mau01-assessment" data-testid="assessment">
      {ownText('strengths')}
      {ownText('weaknesses')}
      <div className="levels">
        {fields.proposedLevel && (
          <div className="field">
            <strong>{fields.proposedLevel.title}</strong>
            {editing === 'self' ? levelSelect(own['proposedLevel'], fields.proposedLevel.levels, 'assessment-proposedLevel', (v) => onOwnChange?.('proposedLevel', v), fields.proposedLevel.title) : <p data-testid="assessment-proposedLevel">{levelName(own['proposedLevel'])}</p>}
          </div>
        )}
        {fields.review && (
          <div className="field">
            <strong>{fields.review.levelTitle}</strong>
            {editing === 'authority' ? levelSelect(review?.['proposedLevel'], fields.review.levels, 'review-proposedLevel', (v) => onReviewChange?.('proposedLevel', v), fields.review.levelTitle) : <p data-testid="review-proposedLevel">{levelName(review?.['proposedLevel'])}</p>}
          </div>
        )}
      </div>
      {fields.review &&
        (editing === 'authority' ? (
          <label>
            {fields.review.commentTitle}
            <textarea rows={3} maxLength={fields.review.maxLength} value={text(review?.['comment'])} data-testid="review-comment" onChange={(e) => onReviewChange?.('comment', e.target.value)} />
          </label>
        ) : (
          <div className="field">
            <strong>{fields.review.commentTitle}</strong>
            <p className="prose" data-testid="review-comment">{text(review?.['comment']) || '—'}</p>
          </div>
        ))}
    </div>
  )
}
