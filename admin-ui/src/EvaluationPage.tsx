import type { InferResponseType } from 'hono/client'
import { PeriodsTable, type AnnualPeriodView } from './annual/PeriodsTable'
import Form from '@rjsf/core'
import type { RJSFSchema } from '@rjsf/utils'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Message, useAction } from './action'
import { client, ok } from './client'
import { formatDateTime, LEVEL_LABELS, STAGE_LABELS, type Lang, tr } from './i18n'
import { localizeVi, translateString } from './rjsf-vi'
import { declaredLinesSchema, declaredLinesUi, formLines, splitLines, withCatalogue, type ProductOption } from './product-lines'
import { fieldLabel } from './field-label'
import { ProductTable } from './ProductTable'
import { AssessmentSection, CriteriaTable, FormHeading, type FigureRow } from './form/Mau01Form'
import { IndicatorValues } from './form/IndicatorValues'
import { assessmentComplete, assessmentFields, criteriaProblems, generalCriteria, withValue } from './form/mau01.model'
import { approvalBody, authorityGeneral, REVIEWED_STAGES, uiWithoutKeys, withAssessment, withoutKeys } from './form/evaluation-form'
import { PetitionPanel } from './petitions/PetitionPanel'
import { PublishedList } from './petitions/PublishedList'
import { PrintButton } from './PrintButton'

interface TraceLine {
  key: string
  text: { vi: string; en: string }
}
type Scores = { trace?: TraceLine[]; values?: Record<string, number | null> } | null
type EvaluationAnswer = InferResponseType<(typeof client.api.evaluations)[':id']['$get'], 200>
/** The evaluation as the API answers it; the rule set's own documents (form schema, scores) as this page reads them. */
type Evaluation = Omit<EvaluationAnswer, 'data' | 'adjustments' | 'formSchema' | 'scores' | 'rounds'> & {
  data: Record<string, unknown>
  adjustments: Record<string, unknown> | null
  formSchema: RJSFSchema & { properties?: Record<string, RJSFSchema>; required?: string[] }
  scores: Scores
  rounds: (Omit<EvaluationAnswer['rounds'][number], 'data' | 'scores'> & { data: Record<string, unknown>; scores: Scores })[]
}

type CycleInfo = InferResponseType<(typeof client.api.cycles)[':id']['$get'], 200>
/** The rule set's computed figures (labels, maxima) and its total's key, for Mẫu 01's part B. */
type RuleSetDefinition = InferResponseType<(typeof client.api.rulesets)[':id']['$get'], 200>['definition']
/** The task score, shown under the general criteria as Mẫu 01's part B (a rule set without it shows the total alone). */
const TASK_KEY = 'task'

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
  const [preview, setPreview] = useState<{ trace: TraceLine[]; values: Record<string, number | null> } | null>(null)
  const [note, setNote] = useState('')
  // The authority's column (the person's scores with their adjustments) and the authority's comment and level.
  const [authority, setAuthority] = useState<Record<string, unknown>>({})
  const [review, setReview] = useState<{ comment?: string; proposedLevel?: string }>({})
  const [cycle, setCycle] = useState<CycleInfo | null>(null)
  const [computed, setComputed] = useState<RuleSetDefinition | null>(null)
  const load = useCallback(async () => {
    const e = (await ok(client.api.evaluations[':id'].$get({ param: { id: String(id) } }))) as Evaluation
    setEv(e)
    setData(e.data)
    setAuthority(authorityGeneral(e.data, e.adjustments))
    const given = (e.adjustments?.['assessment'] ?? {}) as { comment?: string; proposedLevel?: string }
    setReview({ comment: given.comment ?? '', proposedLevel: given.proposedLevel ?? '' })
  }, [id])
  const { message, act } = useAction(load, () => setNote(''))
  useEffect(() => {
    void load()
  }, [load])
  // The cycle's name and period, and the labels and maxima of the computed figures, for the form's head and foot.
  const cycleId = ev?.cycleId
  const ruleSetId = ev?.ruleSet.id
  useEffect(() => {
    if (cycleId === undefined) return
    ok(client.api.cycles[':id'].$get({ param: { id: String(cycleId) } })).then(setCycle, () => setCycle(null))
  }, [cycleId])
  useEffect(() => {
    if (ruleSetId === undefined) return
    ok(client.api.rulesets[':id'].$get({ param: { id: String(ruleSetId) } })).then((r) => setComputed(r.definition), () => setComputed(null))
  }, [ruleSetId])

  const editable = ev?.allowedActions.includes('submit') ?? false
  const reviewing = ev?.allowedActions.includes('approve') ?? false
  // Mẫu 01's table and review are generated from the rule set's schema; the form below keeps the rest (product lines).
  const general = useMemo(() => (ev ? generalCriteria(ev.formSchema as Record<string, unknown>, ev.uiSchema) : null), [ev])
  const fields = useMemo(() => (ev ? assessmentFields(ev.formSchema as Record<string, unknown>) : null), [ev])
  const ownKeys = useMemo(() => [...(general ? ['general'] : []), ...(fields?.strengths || fields?.weaknesses || fields?.proposedLevel ? ['assessment'] : [])], [general, fields])
  const schema = useMemo(() => (ev ? withoutKeys(staffSchema(ev.formSchema, ev.productOptions, lang), ownKeys) : {}), [ev, lang, ownKeys])
  const uiSchema = useMemo(() => {
    const ui = uiWithoutKeys(ev?.uiSchema ?? {}, ownKeys)
    return ev?.formSchema.properties?.['products'] ? { ...ui, products: declaredLinesUi(ev.uiSchema['products'] as Record<string, unknown> | undefined) } : ui
  }, [ev, ownKeys])
  const problems = useMemo(() => (general && editable ? criteriaProblems(data, general, lang) : new Map<string, string>()), [data, general, editable, lang])
  const authorityProblems = useMemo(() => (general && reviewing ? criteriaProblems(authority, general, lang) : new Map<string, string>()), [authority, general, reviewing, lang])
  // Lines from the confirmed work log are shown apart and kept as they are; the form edits the declared ones.
  const { fromWorkLog, declared } = splitLines(data)
  // The generated form holds only what it shows (its schema admits no other key).
  const formOwn = Object.fromEntries(Object.entries(data).filter(([k]) => !ownKeys.includes(k)))
  const formData = ev?.formSchema.properties?.['products'] ? { ...formOwn, products: formLines(declared) } : formOwn
  const onFormChange = (next: Record<string, unknown>) => {
    // Only what the form shows comes from it; the general criteria and the review are edited above it.
    const rest = Object.fromEntries(Object.entries(next).filter(([k]) => !ownKeys.includes(k)))
    setData((prev) => ({ ...prev, ...rest, ...(ev?.formSchema.properties?.['products'] ? { products: [...fromWorkLog, ...withCatalogue((next['products'] as Record<string, unknown>[] | undefined) ?? [], ev.productOptions)] } : {}) }))
  }

  // Live score preview with the plain-language explanation.
  useEffect(() => {
    if (!ev || !editable) return
    // An incomplete form is not sent for a score (no 400 in the console): the form shows what is missing.
    const asFilled = ev.formSchema.properties?.['products'] ? { ...data, products: formLines(splitLines(data).declared) } : data
    const incomplete = (general && criteriaProblems(data, general, 'vi').size > 0) || (fields && !assessmentComplete(data, fields))
    if (incomplete || validatorVi.validateFormData(asFilled, staffSchema(ev.formSchema, ev.productOptions, 'vi')).errors.length) {
      setPreview(null)
      return
    }
    const timer = setTimeout(() => {
      ok(client.api.rulesets[':id'].evaluate.$post({ param: { id: String(ev.ruleSet.id) }, json: { inputs: data } })).then(
        (r) => setPreview({ trace: r.trace, values: r.values }),
        () => setPreview(null),
      )
    }, 300)
    return () => clearTimeout(timer)
  }, [data, ev, editable, general, fields])

  if (!ev) return null
  const save = () => ok(client.api.evaluations[':id']['self-assessment'].$put({ param: { id: String(id) }, json: { data } }))
  const lastReturn = [...ev.rounds].reverse().find((r) => r.outcome === 'RETURNED' || r.outcome === 'RETURNED_BY_LEADERSHIP')
  const trace = editable ? (preview?.trace ?? []) : (ev.scores?.trace ?? [])
  const reviewed = REVIEWED_STAGES.has(ev.stage) || (ev.adjustments !== null && Object.keys(ev.adjustments).length > 0)
  // The authority's column: being filled at approval, shown once they approved (or adjusted), empty before.
  const authorityDoc = reviewing || reviewed ? authority : null
  const submitted = ev.rounds[ev.rounds.length - 1]?.scores?.values ?? null
  const selfValues = editable ? (preview?.values ?? null) : submitted
  const authorityValues = reviewed && !reviewing ? (ev.scores?.values ?? null) : null
  const figures: FigureRow[] = (computed?.computed ?? [])
    .filter((c) => c.key === TASK_KEY || c.key === computed?.totalKey)
    .map((c) => ({ key: c.key, title: c.label[lang], maximum: c.scale?.max ?? null, self: selfValues?.[c.key] ?? null, authority: authorityValues?.[c.key] ?? null }))
  const invalid = (found: Map<string, string>) => (found.size ? (tr(lang, 'evaluationPage.someScoresAreNotValid')) : null)

  return (
    <section className="card" data-testid="evaluation">
      <h2>
        {ev.fullName} <span className="muted">— {ev.unitName}</span>
      </h2>
      {ev.stage !== 'CANCELLED' && <PrintButton href={`/api/evaluations/${ev.id}/form.pdf`} lang={lang} />}
      <p>
        {tr(lang, 'common.stage')}: <strong data-testid="stage">{STAGE_LABELS[ev.stage]?.[lang] ?? ev.stage}</strong> · {tr(lang, 'evaluationPage.round')} {ev.round}
      </p>
      {ev.delegatedBy && (
        <p className="notice" data-testid="acting-for">
          {tr(lang, 'evaluationPage.youAreActingForDelegation', { name: ev.delegatedBy.name })}
        </p>
      )}
      {lastReturn && ev.stage === 'SELF_ASSESSMENT' && (
        <p className="warning" data-testid="returned-reason">
          {tr(lang, 'evaluationPage.returnedForRevision')}: {lastReturn.reason} ({formatDateTime(lastReturn.decidedAt)})
        </p>
      )}
      {lastReturn && ev.stage !== 'SELF_ASSESSMENT' && ev.rounds.length > 1 && <RoundChanges before={ev.rounds[ev.rounds.length - 2]!.data} after={ev.rounds[ev.rounds.length - 1]!.data} schema={ev.formSchema} lang={lang} />}
      {lastReturn && ev.stage === 'SELF_ASSESSMENT' && <RoundChanges before={lastRoundData(ev)} after={data} schema={ev.formSchema} lang={lang} />}
      <FormHeading cycle={cycle} deadlineAt={ev.stage === 'SELF_ASSESSMENT' || ev.stage === 'UNIT_REVIEW' || ev.stage === 'AWAITING_SIGN_OFF' ? ev.deadlineAt : null} lang={lang} />
      {ev.finalLevel && (
        <p className="result" data-testid="result">
          {tr(lang, 'evaluationPage.result')}: <strong>{ev.finalLevel}</strong> — {LEVEL_LABELS[ev.finalLevel]?.[lang]}, {ev.total?.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')} {tr(lang, 'evaluationPage.points')},{' '}
          {tr(lang, 'evaluationPage.rankInTheUnit', { rankInUnit: ev.rankInUnit })}
        </p>
      )}
      {ev.isOwner && ev.stage === 'CLASSIFIED' && <PetitionPanel evaluation={ev} lang={lang} onChange={() => void load()} />}
      {ev.isOwner && ev.stage === 'CLASSIFIED' && <PublishedList cycleId={ev.cycleId} unitId={ev.unitId} lang={lang} />}
      {Array.isArray(ev.data['periods']) && <PeriodsTable periods={ev.data['periods'] as AnnualPeriodView[]} monthsWorked={(ev.scores?.values?.['monthsWorked'] ?? preview?.values?.['monthsWorked'])} annualScore={(ev.scores?.values?.['annualScore'] ?? preview?.values?.['annualScore'])} lang={lang} />}
      {general && (
        <CriteriaTable
          general={general}
          self={data}
          authority={authorityDoc}
          editing={editable ? 'self' : reviewing ? 'authority' : null}
          onChange={(path, value) => (editable ? setData((d) => withValue(d, path, value)) : setAuthority((a) => withValue(a, path, value)))}
          problems={editable ? problems : authorityProblems}
          figures={figures}
          lang={lang}
        />
      )}
      {fields && (fields.strengths || fields.review) && (
        <AssessmentSection
          fields={fields}
          own={(data['assessment'] ?? {}) as Record<string, unknown>}
          review={reviewing || reviewed ? review : null}
          editing={editable ? 'self' : reviewing ? 'authority' : null}
          onOwnChange={(key, value) => setData((d) => withAssessment(d, key, value))}
          onReviewChange={(key, value) => setReview((r) => ({ ...r, [key]: value }))}
          lang={lang}
        />
      )}
      <IndicatorValues indicators={ev.indicators ?? []} lang={lang} />
      {editable ? (
        <>
        <ProductTable lines={fromWorkLog} lang={lang} caption={tr(lang, 'evaluationPage.fromTheConfirmedWorkLog')} />
        <Form
          schema={schema}
          uiSchema={uiSchema}
          formData={formData}
          validator={lang === 'vi' ? validatorVi : validatorEn}
          translateString={translateString(lang)}
          onChange={(e) => onFormChange(e.formData as Record<string, unknown>)}
          onSubmit={() => act(async () => {
            const problem = invalid(problems)
            if (problem) throw new Error(problem)
            await save()
            await ok(client.api.evaluations[':id'].submit.$post({ param: { id: String(id) }, json: {} }))
          }, tr(lang, 'evaluationPage.selfAssessmentSubmitted'))}
          showErrorList={false}
        >
          <div className="actions">
            <button type="button" className="secondary" data-testid="save" onClick={() => act(save, tr(lang, 'evaluationPage.draftSaved'))}>
              {tr(lang, 'evaluationPage.saveDraft')}
            </button>
            <button type="submit" data-testid="submit">
              {tr(lang, 'evaluationPage.submit')}
            </button>
          </div>
        </Form>
        </>
      ) : (
        <ProductTable lines={splitLines(ev.data).fromWorkLog.concat(splitLines(ev.data).declared)} lang={lang} />
      )}
      {trace.length > 0 && (
        <div className="trace" data-testid="trace">
          <h3>{tr(lang, 'evaluationPage.howTheScoreIsComputed')}</h3>
          <ul>
            {trace.map((l, i) => (
              <li key={i}>{l.text[lang]}</li>
            ))}
          </ul>
        </div>
      )}
      {(ev.allowedActions.includes('approve') || ev.allowedActions.includes('leaderReturn')) && (
        <div className="review">
          <label>
            {fields?.review ? (tr(lang, 'evaluationPage.reasonForReturn')) : tr(lang, 'evaluationPage.commentReasonForReturn')}
            <textarea data-testid="note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
          </label>
          <div className="actions">
            {ev.allowedActions.includes('approve') && (
              <button
                data-testid="approve"
                onClick={() => {
                  // Mẫu 01: the authority's comment is part of the form; earlier rule sets take the note as the comment.
                  const body = fields?.review ? approvalBody(ev.data, authority, review, ev.adjustments) : { ...approvalBody(ev.data, authority, null, ev.adjustments), ...(note ? { comment: note } : {}) }
                  void act(async () => {
                    const problem = invalid(authorityProblems)
                    if (problem) throw new Error(problem)
                    return ok(client.api.evaluations[':id'].approve.$post({ param: { id: String(id) }, json: body }))
                  }, tr(lang, 'evaluationPage.approved'))
                }}
              >
                {tr(lang, 'evaluationPage.approve')}
              </button>
            )}
            <button className="danger" data-testid="return" disabled={note.trim().length < 3} onClick={() => act(() => ok(client.api.evaluations[':id'].return.$post({ param: { id: String(id) }, json: { reason: note } })), tr(lang, 'evaluationPage.returned'))}>
              {ev.allowedActions.includes('leaderReturn') ? (tr(lang, 'evaluationPage.returnToTheUnitHead')) : tr(lang, 'evaluationPage.returnForRevision')}
            </button>
          </div>
        </div>
      )}
      <Message message={message} />
      {ev.rounds.length > 0 && (
        <details data-testid="rounds">
          <summary>{tr(lang, 'evaluationPage.rounds', { length: ev.rounds.length })}</summary>
          <ol>
            {ev.rounds.map((r) => (
              <li key={r.round}>
                {tr(lang, 'evaluationPage.round')} {r.round}: {OUTCOMES[r.outcome ?? '']?.[lang] ?? (tr(lang, 'evaluationPage.pending'))}
                {r.reason ? ` — ${r.reason}` : ''} {r.decidedAt ? `(${formatDateTime(r.decidedAt)})` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
      <p>
        <a href="#/">{tr(lang, 'evaluationPage.backToMyTasks')}</a>
      </p>
    </section>
  )
}

/** The form staff fill: the rule set's input schema without what the reviewer sets or the role. */
export function staffSchema(schema: Evaluation['formSchema'], productOptions: ProductOption[] = [], lang: Lang = 'vi'): RJSFSchema {
  const hidden = new Set(['role', 'overrides', 'leader', 'review', 'periods'])
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
      <strong>{tr(lang, 'evaluationPage.changesSinceThePreviousRound')}:</strong> {changes.length ? changes.join(' · ') : tr(lang, 'evaluationPage.noneYet')}
    </div>
  )
}
