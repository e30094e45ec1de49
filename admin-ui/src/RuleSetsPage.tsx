import Form from '@rjsf/core'
import type { RJSFSchema } from '@rjsf/utils'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Message, useAction } from './action'
import type { InferResponseType } from 'hono/client'
import { ApiFailure } from './api'
import { allPages, client, ok } from './client'
import { go } from './router'
import { JsonField, ruleSetUiSchema } from './JsonField'
import { LabelledSelectWidget } from './LabelledSelectWidget'
import { formatDateTime, type Lang, tr } from './i18n'
import { TableHead } from './TableHead'
import { localizeVi, translateString } from './rjsf-vi'
import { isLiveCycle } from './cycle-status'

type RuleSetSummary = InferResponseType<typeof client.api.rulesets.$get, 200>[number]
type RuleSet = InferResponseType<(typeof client.api.rulesets)[':id']['$get'], 200>
type Outcome = InferResponseType<(typeof client.api.rulesets)[':id']['tests']['$post'], 200>['outcomes'][number]
type SimulationReport = InferResponseType<(typeof client.api.rulesets)[':id']['simulate']['$post'], 200>
type ScoredSample = InferResponseType<(typeof client.api.rulesets)[':id']['evaluate']['$post'], 200>
const byId = (id: number) => ({ param: { id: String(id) } })

const STATUS: Record<string, { vi: string; en: string }> = {
  draft: { vi: 'Bản nháp', en: 'Draft' },
  published: { vi: 'Đã ban hành', en: 'Published' },
  archived: { vi: 'Lưu trữ', en: 'Archived' },
}
const validator = customizeValidator({}, localizeVi)

/** Every rule-set version, newest first per code. */
export function RuleSetsPage({ lang }: { lang: Lang }) {
  const [list, setList] = useState<RuleSetSummary[]>([])
  useEffect(() => {
    void allPages(client.api.rulesets.$get, {}).then(setList)
  }, [])
  return (
    <section className="card" data-testid="rulesets">
      <h2>{tr(lang, 'ruleSetsPage.ruleSets')}</h2>
      <table>
        <TableHead lang={lang} vi={['Bộ quy tắc', 'Mã', 'Phiên bản', 'Trạng thái', 'Ca kiểm thử']} en={['Rule set', 'Code', 'Version', 'Status', 'Test cases']} />
        <tbody>
          {[...list].reverse().map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`#/rulesets/${r.id}`}>{r.name[lang]}</a>
              </td>
              <td>{r.code}</td>
              <td>{r.version}</td>
              <td>{STATUS[r.status]?.[lang] ?? r.status}</td>
              <td>{r.tests}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** One version: the schema-driven editor for drafts, tests, publish (refused on failing cases), diff, new draft. */
export function RuleSetPage({ id, lang }: { id: number; lang: Lang }) {
  const [ruleSet, setRuleSet] = useState<RuleSet | null>(null)
  const [schema, setSchema] = useState<RJSFSchema | null>(null)
  const [draft, setDraft] = useState<Record<string, unknown>>({})
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null)
  const [changes, setChanges] = useState<string[] | null>(null)
  const load = useCallback(async () => {
    const r = await ok(client.api.rulesets[':id'].$get(byId(id)))
    setRuleSet(r)
    setDraft(r.definition)
  }, [id])
  const { message, act } = useAction(load)
  useEffect(() => {
    void load()
    void ok(client.api.rulesets.schema.$get()).then((s) => setSchema(s as RJSFSchema))
  }, [load])
  const uiSchema = useMemo(() => (schema ? ruleSetUiSchema(schema) : {}), [schema])
  if (!ruleSet || !schema) return null
  const editable = ruleSet.status === 'draft'
  const runTests = async () => {
    const r = await ok(client.api.rulesets[':id'].tests.$post({ ...byId(id), json: {} }))
    setOutcomes(r.outcomes)
  }
  const diff = async () => {
    const previous = await allPages(client.api.rulesets.$get, {})
    const before = previous.filter((r) => r.code === ruleSet.code && r.version < ruleSet.version).pop()
    if (!before) return setChanges([])
    const d = await ok(client.api.rulesets[':id'].diff.$get({ ...byId(id), query: { against: String(before.id) } }))
    setChanges(d.changes.map((c) => c.summary[lang]))
  }
  return (
    <section className="card" data-testid="ruleset">
      <h2>
        {ruleSet.definition.name[lang]} <span className="muted">v{ruleSet.version} — {STATUS[ruleSet.status]?.[lang]}</span>
      </h2>
      {ruleSet.publishedAt && <p className="muted">{tr(lang, 'ruleSetsPage.publishedAt')} {formatDateTime(ruleSet.publishedAt)}</p>}
      <div className="actions">
        {editable ? (
          <>
            <button data-testid="save-ruleset" onClick={() => act(() => ok(client.api.rulesets[':id'].$put({ ...byId(id), json: draft })), tr(lang, 'ruleSetsPage.draftSaved'))}>
              {tr(lang, 'ruleSetsPage.saveDraft')}
            </button>
            <button className="secondary" data-testid="run-tests" onClick={() => void runTests()}>
              {tr(lang, 'ruleSetsPage.runTestCases')}
            </button>
            <button data-testid="publish" onClick={() => act(() => ok(client.api.rulesets[':id'].publish.$post(byId(id))), tr(lang, 'ruleSetsPage.published'))}>
              {tr(lang, 'ruleSetsPage.publish')}
            </button>
          </>
        ) : (
          <button data-testid="new-draft" onClick={() => act(async () => go(`#/rulesets/${(await ok(client.api.rulesets[':id'].draft.$post(byId(id)))).id}`), tr(lang, 'ruleSetsPage.newDraftCreated'))}>
            {tr(lang, 'ruleSetsPage.newDraftFromThisVersion')}
          </button>
        )}
        <button className="secondary" onClick={() => void diff()}>
          {tr(lang, 'ruleSetsPage.compareWithThePreviousVersion')}
        </button>
      </div>
      <Message message={message} />
      {changes && (
        <ul data-testid="diff">
          {changes.length ? changes.map((c, i) => <li key={i}>{c}</li>) : <li>{tr(lang, 'ruleSetsPage.noChange')}</li>}
        </ul>
      )}
      {outcomes && (
        <ul data-testid="test-outcomes">
          {outcomes.map((o) => (
            <li key={o.name} className={o.passed ? 'ok' : 'error'}>
              {o.passed ? '✓' : '✗'} {o.name}
              {o.mismatches.map((m) => ` — ${m.field}: ${JSON.stringify(m.expected)} ≠ ${JSON.stringify(m.actual)}`).join('')}
            </li>
          ))}
        </ul>
      )}
      <TryIt id={id} lang={lang} sample={ruleSet.definition.tests?.[0]?.inputs ?? ruleSet.definition.initialInputs ?? {}} />
      <Simulation id={id} lang={lang} />
      <Form
        schema={schema}
        uiSchema={{ ...uiSchema, 'ui:submitButtonOptions': { norender: true } }}
        formData={draft}
        fields={{ json: JsonField }}
        widgets={{ SelectWidget: LabelledSelectWidget }}
        validator={validator}
        translateString={translateString(lang)}
        disabled={!editable}
        onChange={(e) => setDraft(e.formData as Record<string, unknown>)}
        liveValidate={false}
        // An optional object left out of a rule set (e.g. `annual`) stays out: no empty {} the validator would refuse.
        experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipEmptyDefaults' }}
      />
    </section>
  )
}

const LEVEL_KEYS = ['HTXS', 'HTT', 'HT', 'KHT'] as const

/** Re-score a chosen cycle with this version: distribution before/after per unit, quota effect, who changes band. */
function Simulation({ id, lang }: { id: number; lang: Lang }) {
  const [cycles, setCycles] = useState<{ id: number; name: string; status: string }[]>([])
  const [cycleId, setCycleId] = useState<number>(0)
  const [report, setReport] = useState<SimulationReport | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    void allPages(client.api.cycles.$get, {}).then((all) => {
      const usable = all.filter(isLiveCycle)
      setCycles(usable)
      setCycleId(usable[0]?.id ?? 0)
    })
  }, [])
  if (!cycles.length) return null
  const run = async () => {
    setError('')
    try {
      setReport(await ok(client.api.rulesets[':id'].simulate.$post({ ...byId(id), json: { cycleId } })))
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    }
  }
  const bar = (d: SimulationReport['distribution']['before']) => (
    <div className="bar">
      {LEVEL_KEYS.map((l) => (d[l] ? <span key={l} className={`seg level-${l}`} style={{ flex: d[l] }} title={`${l}: ${d[l]}`}>{d[l]}</span> : null))}
    </div>
  )
  return (
    <div className="simulation" data-testid="simulation">
      <h3>{tr(lang, 'ruleSetsPage.simulateOnACycle')}</h3>
      <div className="inline-form">
        <label>
          {tr(lang, 'ruleSetsPage.cycle')}
          <select value={cycleId} onChange={(e) => setCycleId(Number(e.target.value))}>
            {cycles.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button className="secondary" onClick={() => void run()} data-testid="simulate">
          {tr(lang, 'ruleSetsPage.simulate')}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {report && (
        <>
          <p>
            {tr(lang, 'ruleSetsPage.simulationSummary', { scored: report.summary.scored, evaluations: report.summary.evaluations, up: report.summary.up, down: report.summary.down })}
          </p>
          <table className="chart">
            <thead>
              <tr>
                <th>{tr(lang, 'ruleSetsPage.unit')}</th>
                <th>{tr(lang, 'ruleSetsPage.now')}</th>
                <th>{tr(lang, 'ruleSetsPage.withThisVersion')}</th>
                <th>{tr(lang, 'ruleSetsPage.cutByQuota')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <strong>{tr(lang, 'ruleSetsPage.wholeCycle')}</strong>
                </td>
                <td>{bar(report.distribution.before)}</td>
                <td>{bar(report.distribution.after)}</td>
                <td />
              </tr>
              {report.units.map((u) => (
                <tr key={u.unitId}>
                  <td>{u.unitName}</td>
                  <td>{bar(u.before)}</td>
                  <td>{bar(u.after)}</td>
                  <td>
                    {u.quotaCutBefore} → {u.quotaCutAfter}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.changes.length > 0 && (
            <>
              <h4>{tr(lang, 'ruleSetsPage.whoChangesBand')}</h4>
              <ul data-testid="simulation-changes">
                {report.changes.map((c) => (
                  <li key={c.evaluationId}>
                    {c.fullName} ({c.unitName}): {c.before?.finalLevel} → {c.after?.finalLevel}
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.unscored.length > 0 && (
            <>
              <h4>{tr(lang, 'ruleSetsPage.notScored')}</h4>
              <ul data-testid="simulation-unscored">
                {report.unscored.map((e) => (
                  <li key={e.evaluationId}>
                    {e.fullName} ({e.unitName}): {e.reason?.[lang]}
                  </li>
                ))}
              </ul>
            </>
          )}
          {/* A province's simulation lists tens of thousands: the answer names the first of each list, the CSV everyone. */}
          <p className="muted" data-testid="simulation-export">
            {report.changes.length + report.unscored.length < report.summary.up + report.summary.down + report.summary.skipped &&
              `${tr(lang, 'ruleSetsPage.firstShown', { shown: Math.max(report.changes.length, report.unscored.length) })} `}
            <a href={`/api/rulesets/${id}/simulate/export?cycleId=${report.cycleId}`}>{tr(lang, 'ruleSetsPage.downloadEveryEvaluation')}</a>
          </p>
        </>
      )}
    </div>
  )
}

/** Score sample inputs with the saved version and show every value and the explanation. */
function TryIt({ id, lang, sample }: { id: number; lang: Lang; sample: unknown }) {
  const [text, setText] = useState(() => JSON.stringify(sample, null, 2))
  const [result, setResult] = useState<ScoredSample | null>(null)
  const [error, setError] = useState('')
  const run = async () => {
    setError('')
    setResult(null)
    try {
      setResult(await ok(client.api.rulesets[':id'].evaluate.$post({ ...byId(id), json: { inputs: JSON.parse(text) as Record<string, unknown> } })))
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : `JSON: ${(err as Error).message}`)
    }
  }
  return (
    <details className="try-it" data-testid="try-it">
      <summary>{tr(lang, 'ruleSetsPage.tryItOnSampleInputs')}</summary>
      <textarea className="json" aria-label={tr(lang, 'ruleSetsPage.sampleInputsJson')} rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      <button className="secondary" onClick={() => void run()}>
        {tr(lang, 'ruleSetsPage.score')}
      </button>
      {error && <p className="error">{error}</p>}
      {result && (
        <ul>
          {result.trace.map((l, i) => (
            <li key={i}>{l.text[lang]}</li>
          ))}
        </ul>
      )}
    </details>
  )
}
