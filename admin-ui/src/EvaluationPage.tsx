import Form from '@rjsf/core'
import type { RJSFSchema } from '@rjsf/utils'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Message, useAction } from './action'
import { api } from './api'
import { formatDateTime, LEVEL_LABELS, STAGE_LABELS, t, type Lang } from './i18n'
import { localizeVi, translateString } from './rjsf-vi'
import { declaredLinesSchema, declaredLinesUi, formLines, splitLines, withCatalogue, type ProductOption } from './product-lines'
import { fieldLabel } from './field-label'
import { ProductTable } from './ProductTable'

interface TraceLine {
  key: string
  text: { vi: string; en: string }
}
interface Evaluation {
  id: number
  fullName: string
  unitName: string
  stage: string
  round: number
  data: Record<string, unknown>
  total: number | null
  level: string | null
  finalLevel: string | null
  rankInUnit: number | null
  rankInCycle: number | null
  ruleSet: { id: number; version: number }
  formSchema: RJSFSchema & { properties?: Record<string, RJSFSchema>; required?: string[] }
  uiSchema: Record<string, unknown>
  scores: { trace?: TraceLine[] } | null
  rounds: { round: number; data: Record<string, unknown>; outcome: string | null; reason: string | null; decidedAt: string | null }[]
  allowedActions: string[]
  productOptions: ProductOption[]
}

const OUTCOMES: Record<string, Record<Lang, string>> = {
  APPROVED: { vi: 'được duyệt', en: 'approved' },
  RETURNED: { vi: 'trả lại để sửa', en: 'returned for revision' },
  RETURNED_BY_LEADERSHIP: { vi: 'lãnh đạo trả lại trưởng đơn vị', en: 'returned by leadership' },
}

const validatorVi = customizeValidator({}, localizeVi)
const validatorEn = customizeValidator({})

/** One evaluation: the self-assessment form for its owner, the review for the unit head, the result once classified. */
export function EvaluationPage({ id, lang }: { id: number; lang: Lang }) {
  const [ev, setEv] = useState<Evaluation | null>(null)
  const [data, setData] = useState<Record<string, unknown>>({})
  const [preview, setPreview] = useState<TraceLine[]>([])
  const [note, setNote] = useState('')
  const [general, setGeneral] = useState<Record<string, number> | null>(null)
  const load = useCallback(async () => {
    const e = await api<Evaluation>('GET', `/api/evaluations/${id}`)
    setEv(e)
    setData(e.data)
    const g = (e.data['general'] ?? null) as Record<string, number> | null
    setGeneral(g ? { ...g } : null)
  }, [id])
  const { message, act } = useAction(load, () => setNote(''))
  useEffect(() => {
    void load()
  }, [load])

  const editable = ev?.allowedActions.includes('submit') ?? false
  const schema = useMemo(() => (ev ? staffSchema(ev.formSchema, ev.productOptions, lang) : {}), [ev, lang])
  const uiSchema = useMemo(() => (ev?.formSchema.properties?.['products'] ? { ...ev.uiSchema, products: declaredLinesUi(ev.uiSchema['products'] as Record<string, unknown> | undefined) } : (ev?.uiSchema ?? {})), [ev])
  // Lines from the confirmed work log are shown apart and kept as they are; the form edits the declared ones.
  const { fromWorkLog, declared } = splitLines(data)
  const formData = ev?.formSchema.properties?.['products'] ? { ...data, products: formLines(declared) } : data
  const onFormChange = (next: Record<string, unknown>) =>
    setData(ev?.formSchema.properties?.['products'] ? { ...next, products: [...fromWorkLog, ...withCatalogue((next['products'] as Record<string, unknown>[] | undefined) ?? [], ev.productOptions)] } : next)

  // Live score preview with the plain-language explanation.
  useEffect(() => {
    if (!ev || !editable) return
    // An incomplete form is not sent for a score (no 400 in the console): the form shows what is missing.
    const asFilled = ev.formSchema.properties?.['products'] ? { ...data, products: formLines(splitLines(data).declared) } : data
    if (validatorVi.validateFormData(asFilled, staffSchema(ev.formSchema, ev.productOptions, 'vi')).errors.length) {
      setPreview([])
      return
    }
    const timer = setTimeout(() => {
      api<{ trace: TraceLine[] }>('POST', `/api/rulesets/${ev.ruleSet.id}/evaluate`, { inputs: data }).then(
        (r) => setPreview(r.trace),
        () => setPreview([]),
      )
    }, 300)
    return () => clearTimeout(timer)
  }, [data, ev, editable])

  if (!ev) return null
  const save = () => api('PUT', `/api/evaluations/${id}/self-assessment`, { data })
  const lastReturn = [...ev.rounds].reverse().find((r) => r.outcome === 'RETURNED' || r.outcome === 'RETURNED_BY_LEADERSHIP')
  const trace = editable ? preview : (ev.scores?.trace ?? [])

  return (
    <section className="card" data-testid="evaluation">
      <h2>
        {ev.fullName} <span className="muted">— {ev.unitName}</span>
      </h2>
      <p>
        {t('stage', lang)}: <strong data-testid="stage">{STAGE_LABELS[ev.stage]?.[lang] ?? ev.stage}</strong> · {lang === 'vi' ? 'Vòng' : 'Round'} {ev.round}
      </p>
      {lastReturn && ev.stage === 'SELF_ASSESSMENT' && (
        <p className="warning" data-testid="returned-reason">
          {lang === 'vi' ? 'Được trả lại để sửa' : 'Returned for revision'}: {lastReturn.reason} ({formatDateTime(lastReturn.decidedAt)})
        </p>
      )}
      {lastReturn && ev.stage !== 'SELF_ASSESSMENT' && ev.rounds.length > 1 && <RoundChanges before={ev.rounds[ev.rounds.length - 2]!.data} after={ev.rounds[ev.rounds.length - 1]!.data} schema={ev.formSchema} lang={lang} />}
      {lastReturn && ev.stage === 'SELF_ASSESSMENT' && <RoundChanges before={lastRoundData(ev)} after={data} schema={ev.formSchema} lang={lang} />}
      {ev.finalLevel && (
        <p className="result" data-testid="result">
          {lang === 'vi' ? 'Kết quả' : 'Result'}: <strong>{ev.finalLevel}</strong> — {LEVEL_LABELS[ev.finalLevel]?.[lang]}, {ev.total?.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')} {lang === 'vi' ? 'điểm' : 'points'},{' '}
          {lang === 'vi' ? `xếp thứ ${ev.rankInUnit} trong đơn vị` : `rank ${ev.rankInUnit} in the unit`}
        </p>
      )}
      {editable ? (
        <>
        <ProductTable lines={fromWorkLog} lang={lang} caption={lang === 'vi' ? 'Từ nhật ký công việc (đã xác nhận, không sửa được)' : 'From the confirmed work log (read-only)'} />
        <Form
          schema={schema}
          uiSchema={uiSchema}
          formData={formData}
          validator={lang === 'vi' ? validatorVi : validatorEn}
          translateString={translateString(lang)}
          onChange={(e) => onFormChange(e.formData as Record<string, unknown>)}
          onSubmit={() => act(async () => {
            await save()
            await api('POST', `/api/evaluations/${id}/submit`)
          }, lang === 'vi' ? 'Đã nộp bản tự đánh giá.' : 'Self-assessment submitted.')}
          showErrorList={false}
        >
          <div className="actions">
            <button type="button" className="secondary" data-testid="save" onClick={() => act(save, lang === 'vi' ? 'Đã lưu nháp.' : 'Draft saved.')}>
              {lang === 'vi' ? 'Lưu nháp' : 'Save draft'}
            </button>
            <button type="submit" data-testid="submit">
              {lang === 'vi' ? 'Nộp đánh giá' : 'Submit'}
            </button>
          </div>
        </Form>
        </>
      ) : (
        <ProductTable lines={splitLines(ev.data).fromWorkLog.concat(splitLines(ev.data).declared)} lang={lang} />
      )}
      {trace.length > 0 && (
        <div className="trace" data-testid="trace">
          <h3>{lang === 'vi' ? 'Cách tính điểm' : 'How the score is computed'}</h3>
          <ul>
            {trace.map((l, i) => (
              <li key={i}>{l.text[lang]}</li>
            ))}
          </ul>
        </div>
      )}
      {(ev.allowedActions.includes('approve') || ev.allowedActions.includes('leaderReturn')) && (
        <div className="review">
          {ev.allowedActions.includes('approve') && general && (
            <fieldset data-testid="adjust-general">
              <legend>{lang === 'vi' ? 'Điều chỉnh điểm tiêu chí chung (0–10)' : 'Adjust general criteria (0–10)'}</legend>
              <div className="inline-form">
                {Object.entries(general).map(([k, v]) => (
                  <label key={k}>
                    {String((ev.formSchema.properties?.['general'] as { properties?: Record<string, { title?: string }> } | undefined)?.properties?.[k]?.title ?? k)}
                    <input type="number" min={0} max={10} step="0.5" value={v} data-testid={`adjust-${k}`} onChange={(e) => setGeneral({ ...general, [k]: Number(e.target.value) })} />
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <label>
            {lang === 'vi' ? 'Nhận xét / lý do trả lại' : 'Comment / reason for return'}
            <textarea data-testid="note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
          </label>
          <div className="actions">
            {ev.allowedActions.includes('approve') && (
              <button
                data-testid="approve"
                onClick={() => {
                  const changed = general && JSON.stringify(general) !== JSON.stringify(ev.data['general'])
                  const body = { ...(note ? { comment: note } : {}), ...(changed ? { adjustments: { general } } : {}) }
                  void act(() => api('POST', `/api/evaluations/${id}/approve`, body), lang === 'vi' ? 'Đã duyệt.' : 'Approved.')
                }}
              >
                {lang === 'vi' ? 'Duyệt' : 'Approve'}
              </button>
            )}
            <button className="danger" data-testid="return" disabled={note.trim().length < 3} onClick={() => act(() => api('POST', `/api/evaluations/${id}/return`, { reason: note }), lang === 'vi' ? 'Đã trả lại.' : 'Returned.')}>
              {ev.allowedActions.includes('leaderReturn') ? (lang === 'vi' ? 'Trả lại trưởng đơn vị' : 'Return to the unit head') : lang === 'vi' ? 'Trả lại để sửa' : 'Return for revision'}
            </button>
          </div>
        </div>
      )}
      <Message message={message} />
      {ev.rounds.length > 0 && (
        <details data-testid="rounds">
          <summary>{lang === 'vi' ? `Lịch sử các vòng (${ev.rounds.length})` : `Rounds (${ev.rounds.length})`}</summary>
          <ol>
            {ev.rounds.map((r) => (
              <li key={r.round}>
                {lang === 'vi' ? 'Vòng' : 'Round'} {r.round}: {OUTCOMES[r.outcome ?? '']?.[lang] ?? (lang === 'vi' ? 'đang xét' : 'pending')}
                {r.reason ? ` — ${r.reason}` : ''} {r.decidedAt ? `(${formatDateTime(r.decidedAt)})` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
      <p>
        <a href="#/">{lang === 'vi' ? '← Về việc cần xử lý' : '← Back to my tasks'}</a>
      </p>
    </section>
  )
}

/** The form staff fill: the rule set's input schema without what the reviewer sets or the role. */
export function staffSchema(schema: Evaluation['formSchema'], productOptions: ProductOption[] = [], lang: Lang = 'vi'): RJSFSchema {
  const hidden = new Set(['role', 'overrides', 'leader'])
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([k]) => !hidden.has(k))
      .map(([k, v]) => [k, k === 'products' ? declaredLinesSchema(v, productOptions, lang) : v]),
  )
  return { ...schema, properties, required: (schema.required ?? []).filter((k) => !hidden.has(k)) }
}

function lastRoundData(ev: Evaluation): Record<string, unknown> {
  return ev.rounds[ev.rounds.length - 1]?.data ?? {}
}

/** What changed between two rounds of a self-assessment: every leaf value that differs. */
function RoundChanges({ before, after, schema, lang }: { before: Record<string, unknown>; after: Record<string, unknown>; schema: RJSFSchema; lang: Lang }) {
  const changes: string[] = []
  const walk = (a: unknown, b: unknown, path: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k)
      return
    }
    const shown = (v: unknown) => (v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US') : typeof v === 'string' ? v : JSON.stringify(v))
    changes.push(`${fieldLabel(path, schema, lang)}: ${shown(a)} → ${shown(b)}`)
  }
  walk(before, after, '')
  return (
    <div className="changes" data-testid="round-changes">
      <strong>{lang === 'vi' ? 'Thay đổi so với vòng trước' : 'Changes since the previous round'}:</strong> {changes.length ? changes.join(' · ') : lang === 'vi' ? 'chưa có' : 'none yet'}
    </div>
  )
}
