import { ActionDialog } from './dialog/ActionDialog'
import { NotClassifiedList, PeriodsDetails, type NotClassified } from './annual/AnnualResults'
import { useCallback, useEffect, useState } from 'react'
import type { InferResponseType } from 'hono/client'
import { Message, useAction } from './action'
import { allPages, client, ok } from './client'
import { quotaLimit } from '../../rules/classify'
import { quotaPreview, quotaWarning } from './quota-preview'
import { formatDate, formatNumber, LEVEL_LABELS, STAGE_LABELS, type Lang, tr } from './i18n'
import { LoadMore } from './paged-list'
import { PrintButton } from './PrintButton'
import { ReassignAction } from './delegations/ReassignAction'
import { CapNote, UnitCycleSection } from './units/UnitCycleSection'

const cycleApi = client.api.cycles[':id']
const unitApi = cycleApi.units[':unitId']
type Cycle = InferResponseType<typeof cycleApi.$get, 200>
type ResultsPage = InferResponseType<typeof cycleApi.results.$get, 200>
type Result = ResultsPage['results'][number]
/** Figures over every result the user may see (the first page of results carries them). */
type ResultsSummary = NonNullable<ResultsPage['summary']>
/** An evaluation of the cycle as `GET /api/evaluations` lists it (its level before quota). */
type EvaluationRow = InferResponseType<typeof client.api.evaluations.$get, 200>[number]

/** One page of a cycle's results (100 at a time) and the cursor of the next page (the Link header's), if any. */
async function resultsPage(id: number, after?: string): Promise<{ body: ResultsPage; next: string | null }> {
  const res = await cycleApi.results.$get({ param: { id: String(id) }, query: { limit: '100', ...(after ? { after } : {}) } })
  const body = await ok(res)
  return { body, next: res.headers.get('link')?.match(/<[^>]*[?&]after=(\d+)[^>]*>;\s*rel="next"/)?.[1] ?? null }
}

const STAGE_ORDER = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED']
/** Stages in which an admin may name another reviewer or sign-off leader. */
const REASSIGNABLE = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF']

/** A cycle: progress per stage and unit; leadership signs off or returns units; results once classified. */
export function CyclePage({ id, lang, canLead, isAdmin }: { id: number; lang: Lang; canLead: boolean; isAdmin: boolean }) {
  const [cycle, setCycle] = useState<Cycle | null>(null)
  /** The evaluations of the unit a leader opened (one unit at a time: a province's cycle is never downloaded whole). */
  const [unitRows, setUnitRows] = useState<{ unitId: number; rows: EvaluationRow[] } | null>(null)
  /** Counts the actions taken here: the open unit's evaluations are read again after each (not on every refresh of the cycle). */
  const [acted, setActed] = useState(0)
  const [cap, setCap] = useState(0.2)
  const [openUnit, setOpenUnit] = useState<number | null>(null)
  const [results, setResults] = useState<Result[]>([])
  const [summary, setSummary] = useState<ResultsSummary | null>(null)
  const [nextResults, setNextResults] = useState<string | null>(null)
  const [notClassified, setNotClassified] = useState<NotClassified[]>([])
  /** The leadership action whose own dialog is open: its reason (and cap, or the quota warning) asked there. */
  const [dialog, setDialog] = useState<{ kind: 'signOff' | 'return' | 'exception' | 'cancel'; unitId?: number; unitName?: string; warning?: string } | null>(null)
  const load = useCallback(async () => {
    const c = await ok(cycleApi.$get({ param: { id: String(id) } }))
    setCycle(c)
    if (canLead) {
      setCap((await ok(client.api.rulesets[':id'].$get({ param: { id: String(c.ruleSetId) } }))).definition.quota.cap)
    }
    if (c.status === 'CLASSIFIED') {
      // The first page of results, with the figures over all of them; the rest on demand.
      const { body, next } = await resultsPage(id)
      setResults(body.results)
      setSummary(body.summary ?? null)
      setNextResults(next)
      setNotClassified(body.notClassified ?? [])
    }
  }, [id, canLead])
  const unitEvaluations = useCallback((unitId: number) => allPages(client.api.evaluations.$get, { cycleId: String(id), unitId: String(unitId) }), [id])
  // The open unit's evaluations, read again after every action (a sign-off or return moves them).
  useEffect(() => {
    let current = openUnit !== null
    if (openUnit !== null) void unitEvaluations(openUnit).then((rows) => current && setUnitRows({ unitId: openUnit, rows }))
    return () => {
      current = false
    }
  }, [openUnit, unitEvaluations, acted])
  const moreResults = async () => {
    if (!nextResults) return
    const { body, next } = await resultsPage(id, nextResults)
    setResults((before) => [...before, ...body.results])
    setNextResults(next)
  }
  const { message, act } = useAction(load, () => {
    setDialog(null)
    setActed((n) => n + 1)
  })
  useEffect(() => {
    void load()
  }, [load])
  // A large cycle's cancel runs for minutes: the page follows it until the cycle shows CANCELLED.
  const cancelling = cycle?.status === 'CANCELLING'
  useEffect(() => {
    if (!cancelling) return
    const timer = setInterval(() => void load().catch(() => undefined), 3000)
    return () => clearInterval(timer)
  }, [cancelling, load])
  if (!cycle) return null
  /** HTXS candidates (before quota, the server's counts) against the cap of the unit: what sign-off will lead to. */
  const quota = (u: Cycle['progress']['byUnit'][number]) => {
    const candidates = u.levels.HTXS
    const unitCap = cycle.quotaExceptions.find((x) => x.unitId === u.unitId)?.cap ?? cap
    return { candidates, max: quotaLimit(candidates, u.levels.HTT, unitCap), unitCap }
  }
  /** Over the quota, the leader first sees who will be rated HTT (the unit's candidates, read now) and confirms. */
  const signOff = async (u: Cycle['progress']['byUnit'][number]) => {
    const { unitId, unitName } = u
    const { max } = quota(u)
    const candidates = await unitEvaluations(unitId).then((rows) => rows.filter((e) => e.level === 'HTXS'), () => null)
    // The preview could not be read: the leader confirms without it (the workflow applies the quota all the same).
    if (!candidates) return setDialog({ kind: 'signOff', unitId, unitName, warning: tr(lang, 'cyclePage.quotaPreviewUnavailable') })
    const { cut, tie } = quotaPreview(candidates, max)
    if (cut.length) setDialog({ kind: 'signOff', unitId, unitName, warning: quotaWarning(unitName, cut, tie, max, lang) })
    else void act(() => ok(unitApi['sign-off'].$post({ param: { id: String(id), unitId: String(unitId) } })), tr(lang, 'cyclePage.signedOff', { unitName }))
  }
  const reasonField = { name: 'reason', label: tr(lang, 'cyclePage.reason'), kind: 'textarea' as const, required: true, min: 3 }
  return (
    <section className="card" data-testid="cycle">
      <h2>
        {cycle.name} <span className="muted">({formatDate(cycle.periodStart)} – {formatDate(cycle.periodEnd)})</span>
      </h2>
      <p>
        {tr(lang, 'cyclePage.status')}: <strong data-testid="cycle-status">{STAGE_LABELS[cycle.status]?.[lang] ?? cycle.status}</strong>
      </p>
      {(cycle.status === 'RANKING_FAILED' || cycle.rankingError) && (
        <div className="warning" data-testid="ranking-error">
          <p>
            {tr(lang, 'cyclePage.theCycleCouldNotBe')}: {cycle.rankingError}
          </p>
          {isAdmin && (
            <button data-testid="retry-ranking" onClick={() => act(() => ok(cycleApi.ranking.retry.$post({ param: { id: String(id) } })), tr(lang, 'cyclePage.rankingAgain'))}>
              {tr(lang, 'cyclePage.rankAgain')}
            </button>
          )}
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th>{tr(lang, 'cyclePage.unit')}</th>
            <th>{tr(lang, 'cyclePage.progress')}</th>
            <th>{tr(lang, 'cyclePage.overdue')}</th>
            {canLead && cycle.status === 'OPEN' && <th>{tr(lang, 'cyclePage.htxsMax')}</th>}
            {canLead && cycle.status === 'OPEN' && <th>{tr(lang, 'cyclePage.signOff')}</th>}
          </tr>
        </thead>
        <tbody>
          {cycle.progress.byUnit.map((u) => (
            <tr key={u.unitId} data-testid={`unit-${u.unitId}`}>
              <td>
                {canLead ? (
                  <button className="link dark" aria-expanded={openUnit === u.unitId} onClick={() => setOpenUnit(openUnit === u.unitId ? null : u.unitId)}>
                    {u.unitName}
                  </button>
                ) : (
                  u.unitName
                )}
                {cycle.status === 'CLASSIFIED' && (
                  <>
                    {' '}
                    <PrintButton href={`/api/cycles/${id}/units/${u.unitId}/summary.pdf`} lang={lang} kind="list" />
                  </>
                )}
                {canLead && openUnit === u.unitId && unitRows?.unitId === u.unitId && (
                  <div data-testid={`unit-evaluations-${u.unitId}`}>
                    <LevelBar counts={u.levels} lang={lang} />
                    <ul className="plain">
                      {[...unitRows.rows]
                        .sort((a, b) => (b.total ?? -1) - (a.total ?? -1))
                        .map((e) => (
                          <li key={e.id}>
                            <a href={`#/evaluations/${e.id}`}>{e.fullName}</a> — {STAGE_LABELS[e.stage]?.[lang] ?? e.stage}
                            {e.total !== null ? `, ${formatNumber(e.total, lang)} ${tr(lang, 'cyclePage.pts')}, ${e.level}` : ''}
                            {isAdmin && REASSIGNABLE.includes(e.stage) && <ReassignAction evaluationId={e.id} staffId={e.staffId} lang={lang} onDone={load} />}
                          </li>
                        ))}
                    </ul>
                  </div>
                )}
              </td>
              <td>
                <div className="bar" role="img" aria-label={STAGE_ORDER.map((s) => `${STAGE_LABELS[s]![lang]}: ${u.byStage[s] ?? 0}`).join(', ')}>
                  {STAGE_ORDER.map((s) => (u.byStage[s] ? <span key={s} className={`seg ${s}`} style={{ flex: u.byStage[s] }} title={`${STAGE_LABELS[s]![lang]}: ${u.byStage[s]}`} /> : null))}
                </div>
                <small>{STAGE_ORDER.filter((s) => u.byStage[s]).map((s) => `${STAGE_LABELS[s]![lang]} ${u.byStage[s]}`).join(' · ')}</small>
              </td>
              <td>{u.overdue || ''}</td>
              {canLead && cycle.status === 'OPEN' && (
                <td data-testid={`quota-${u.unitId}`} className={quota(u).candidates > quota(u).max ? 'overdue' : ''} title={tr(lang, 'cyclePage.capOfHtt', { value: Math.round(quota(u).unitCap * 100) })}>
                  {quota(u).candidates} / {quota(u).max}
                </td>
              )}
              {canLead && cycle.status === 'OPEN' && (
                <td>
                  {u.signedOff ? (
                    tr(lang, 'cyclePage.signed')
                  ) : (
                    <div className="actions">
                      <button data-testid={`sign-off-${u.unitId}`} disabled={(u.byStage['AWAITING_SIGN_OFF'] ?? 0) !== u.total} onClick={() => void signOff(u)}>
                        {tr(lang, 'cyclePage.signOff2')}
                      </button>
                      <button className="danger" disabled={!u.byStage['AWAITING_SIGN_OFF']} title={u.byStage['AWAITING_SIGN_OFF'] ? undefined : tr(lang, 'cyclePage.nothingAwaitsSignOffYet')} onClick={() => setDialog({ kind: 'return', unitId: u.unitId, unitName: u.unitName })}>
                        {tr(lang, 'cyclePage.return')}
                      </button>
                      <button className="secondary" onClick={() => setDialog({ kind: 'exception', unitId: u.unitId, unitName: u.unitName })}>
                        {tr(lang, 'cyclePage.quotaException')}
                      </button>
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canLead && cycle.status === 'OPEN' && isAdmin && (
        <div className="actions">
          <button className="danger" onClick={() => setDialog({ kind: 'cancel' })}>
            {tr(lang, 'cyclePage.cancelCycle')}
          </button>
        </div>
      )}
      {dialog?.kind === 'signOff' && (
        <ActionDialog title={tr(lang, 'cyclePage.signOff3', { unitName: dialog.unitName })} fields={[]} confirm={tr(lang, 'cyclePage.signOff2')} lang={lang} onConfirm={() => act(() => ok(unitApi['sign-off'].$post({ param: { id: String(id), unitId: String(dialog.unitId) } })), tr(lang, 'cyclePage.signedOff', { unitName: dialog.unitName }))} onClose={() => setDialog(null)}>
          <p className="warning" data-testid="quota-warning" style={{ whiteSpace: 'pre-line' }}>
            {dialog.warning}
          </p>
        </ActionDialog>
      )}
      {dialog?.kind === 'return' && (
        <ActionDialog title={tr(lang, 'cyclePage.returnToItsHead', { unitName: dialog.unitName })} fields={[reasonField]} confirm={tr(lang, 'cyclePage.return')} danger lang={lang} onConfirm={(v) => act(() => ok(unitApi.return.$post({ param: { id: String(id), unitId: String(dialog.unitId) }, json: { reason: v['reason'] ?? '' } })), tr(lang, 'cyclePage.unitReturned'))} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'exception' && (
        <ActionDialog
          title={tr(lang, 'cyclePage.htxsQuotaExceptionFor', { unitName: dialog.unitName })}
          fields={[{ name: 'cap', label: tr(lang, 'cyclePage.newCapOfHttNow', { value: Math.round(cap * 100) }), kind: 'number', required: true, min: 1, max: 100, initial: String(Math.round(cap * 100) + 10) }, reasonField]}
          confirm={tr(lang, 'cyclePage.grantTheException')}
          lang={lang}
          onConfirm={(v) => act(() => ok(unitApi['quota-exception'].$post({ param: { id: String(id), unitId: String(dialog.unitId) }, json: { cap: Number(v['cap']) / 100, reason: v['reason'] ?? '' } })), tr(lang, 'cyclePage.exceptionGranted'))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'cancel' && (
        <ActionDialog title={tr(lang, 'cyclePage.cancelThisCycle')} fields={[reasonField]} confirm={tr(lang, 'cyclePage.cancelTheCycle')} danger lang={lang} onConfirm={(v) => act(() => ok(cycleApi.cancel.$post({ param: { id: String(id) }, json: { reason: v['reason'] ?? '' } })), (c) => tr(lang, c.status === 'CANCELLING' ? 'cyclePage.cycleCancelling' : 'cyclePage.cycleCancelled'))} onClose={() => setDialog(null)}>
          <p>{tr(lang, 'cyclePage.everyEvaluationOfTheCycle')}</p>
        </ActionDialog>
      )}
      {cycle.subject === 'unit' && <UnitCycleSection cycleId={id} lang={lang} />}
      {results.length > 0 && (
        <>
          {summary && (
            <>
              <h3>{tr(lang, 'cyclePage.levelsByUnit')}</h3>
              <Distribution byUnit={summary.byUnit} lang={lang} />
              <h3>{tr(lang, 'cyclePage.scoreHistogram')}</h3>
              <Histogram buckets={summary.histogram} />
            </>
          )}
          <h3>{tr(lang, 'cyclePage.classification')}</h3>
          <div className="actions">
            <a className="button" href={`/api/cycles/${id}/results/export?format=xlsx`}>
              {tr(lang, 'cyclePage.downloadXlsx')}
            </a>
            <a className="button" href={`/api/cycles/${id}/results/export?format=csv`}>
              {tr(lang, 'cyclePage.downloadCsv')}
            </a>
          </div>
          <table data-testid="results">
            <thead>
              <tr>
                <th>{tr(lang, 'cyclePage.rank')}</th>
                <th>{tr(lang, 'cyclePage.rankInUnit')}</th>
                <th>{tr(lang, 'cyclePage.staff')}</th>
                <th>{tr(lang, 'cyclePage.unit')}</th>
                <th>{tr(lang, 'cyclePage.score')}</th>
                <th>{tr(lang, 'cyclePage.level')}</th>
                {results.some((r) => r.periods) && <th>{tr(lang, 'cyclePage.periodsOfTheYear')}</th>}
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.evaluationId}>
                  <td>{r.rankInCycle}</td>
                  <td>{r.rankInUnit}</td>
                  <td>{r.fullName}</td>
                  <td>{r.unitName}</td>
                  <td>{r.total === null ? '' : formatNumber(r.total, lang)}</td>
                  <td title={r.finalLevel ? LEVEL_LABELS[r.finalLevel]?.[lang] : undefined}>
                    {r.finalLevel}
                    {r.quotaCut ? ` (${tr(lang, 'cyclePage.quota')})` : ''}
                    {r.cap && <CapNote cap={r.cap} lang={lang} />}
                  </td>
                  {r.periods && (
                    <td>
                      <PeriodsDetails result={r} lang={lang} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {summary && <p className="muted" data-testid="results-shown">{tr(lang, 'paging.shownOf', { shown: formatNumber(results.length, lang), count: formatNumber(summary.count, lang) })}</p>}
          <LoadMore next={nextResults} onMore={moreResults} lang={lang} testId="more-results" />
        </>
      )}
      <NotClassifiedList people={notClassified} lang={lang} />
      <Message message={message} />
    </section>
  )
}

const LEVELS = ['HTXS', 'HTT', 'HT', 'KHT'] as const

/** Stacked bars: each unit's final levels (over every visible result). */
function Distribution({ byUnit, lang }: { byUnit: ResultsSummary['byUnit']; lang: Lang }) {
  return (
    <table className="chart" data-testid="distribution">
      <tbody>
        {byUnit.map((unit) => {
          return (
            <tr key={unit.unitId}>
              <td>{unit.unitName}</td>
              <td>
                <div className="bar">
                  {LEVELS.map((l) => {
                    const count = unit.levels[l] ?? 0
                    return count ? <span key={l} className={`seg level-${l}`} style={{ flex: count }} title={`${LEVEL_LABELS[l]![lang]}: ${count}`}>{count}</span> : null
                  })}
                </div>
              </td>
            </tr>
          )
        })}
      </tbody>
      <caption>{LEVELS.map((l) => <span key={l} className={`legend level-${l}`}>{l}</span>)}</caption>
    </table>
  )
}

/** Scores in ten-point buckets (over every visible result). */
function Histogram({ buckets }: { buckets: number[] }) {
  const max = Math.max(1, ...buckets)
  return (
    <div className="histogram" data-testid="histogram">
      {buckets.map((count, i) => (
        <div key={i} className="column" title={`${i * 10}–${i * 10 + 10}: ${count}`}>
          <span className="fill" style={{ height: `${(count / max) * 100}%` }}>{count || ''}</span>
          <small>{i * 10}</small>
        </div>
      ))}
    </div>
  )
}

/** One stacked bar of levels (before quota while the cycle is open). */
function LevelBar({ counts, lang }: { counts: Record<string, number>; lang: Lang }) {
  return (
    <div className="bar level-bar" title={LEVELS.map((l) => `${l}: ${counts[l] ?? 0}`).join(', ')}>
      {LEVELS.map((l) => (counts[l] ? <span key={l} className={`seg level-${l}`} style={{ flex: counts[l] }} title={`${LEVEL_LABELS[l]![lang]}: ${counts[l]}`}>{counts[l]}</span> : null))}
    </div>
  )
}
