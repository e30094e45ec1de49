import { DateInput } from '../DateInput'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Message, useAction } from '../action'
import { allPages, client, nextPage, ok } from '../client'
import { formatDate, formatDateTime, formatNumber, LEVEL_LABELS, type Lang, tr } from '../i18n'
import { LoadMore } from '../paged-list'
import { TableHead } from '../TableHead'
import type { SyncStatus } from './views'

/**
 * The national-database delivery of a classified cycle: the decision (number, date) it cites, the
 * "Gửi" button, the due date (3 working days) and each person's record state with the reason.
 */
export function NationalDbPanel({ lang }: { lang: Lang }) {
  const [cycles, setCycles] = useState<{ id: number; name: string; status: string }[]>([])
  const [cycleId, setCycleId] = useState<number | null>(null)
  const [sync, setSync] = useState<SyncStatus | null>(null)
  const [decision, setDecision] = useState({ number: '', date: '' })
  /** The records shown: of one state or all, a page at a time (a province's delivery holds tens of thousands). */
  const [state, setState] = useState<'' | 'pending' | 'sent' | 'refused' | 'invalid'>('')
  const [nextRecords, setNextRecords] = useState<Record<string, string> | null>(null)
  /** The newest request: an answer to an older one (another cycle or state chosen meanwhile) is dropped. */
  const latest = useRef(0)
  /** The cycle whose decision the form shows: it is filled from the server when the cycle changes, not on each refresh. */
  const decisionOf = useRef<number | null>(null)

  useEffect(() => {
    void allPages(client.api.cycles.$get, {}).then((all) => {
      const classified = all.filter((c) => c.status === 'CLASSIFIED')
      setCycles(classified)
      setCycleId((id) => id ?? classified[0]?.id ?? null)
    })
  }, [])
  const load = useCallback(async () => {
    if (cycleId === null) return setSync(null)
    const request = ++latest.current
    const res = await client.api.integrations['national-db'].status.$get({ query: { cycleId: String(cycleId), ...(state ? { status: state } : {}) } })
    const s = await ok(res)
    if (request !== latest.current) return
    setSync(s)
    setNextRecords(nextPage(res.headers.get('link')))
    if (decisionOf.current !== s.cycleId || s.decision) setDecision(s.decision ?? { number: '', date: '' })
    decisionOf.current = s.cycleId
  }, [cycleId, state])
  const moreRecords = async () => {
    if (!nextRecords) return
    const request = ++latest.current
    const res = await client.api.integrations['national-db'].status.$get({ query: nextRecords as { cycleId: string } })
    const more = (await ok(res)).records
    if (request !== latest.current) return
    setSync((s) => (s ? { ...s, records: [...s.records, ...more] } : s))
    setNextRecords(nextPage(res.headers.get('link')))
  }
  useEffect(() => {
    void load()
  }, [load])
  const { message, act } = useAction(load)

  if (!cycles.length) {
    return (
      <section className="card" data-testid="national-db">
        <h2>{tr(lang, 'nationalDbPanel.resultsToTheNationalDatabase')}</h2>
        <p className="muted">{tr(lang, 'nationalDbPanel.noClassifiedCycleYet')}</p>
      </section>
    )
  }
  const started = Boolean(sync?.startedAt)
  return (
    <section className="card" data-testid="national-db">
      <h2>{tr(lang, 'nationalDbPanel.resultsToTheNationalDatabase')}</h2>
      <label>
        {tr(lang, 'nationalDbPanel.cycle')}{' '}
        <select value={cycleId ?? ''} onChange={(e) => setCycleId(Number(e.target.value))}>
          {cycles.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <Message message={message} />
      {sync && (
        <>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              void act(() => ok(client.api.integrations['national-db'].decision.$put({ json: { cycleId: sync.cycleId, ...decision } })), tr(lang, 'nationalDbPanel.decisionSaved'))
            }}
          >
            <label>
              {tr(lang, 'nationalDbPanel.decisionNumber')}
              <input required disabled={started} value={decision.number} onChange={(e) => setDecision({ ...decision, number: e.target.value })} />
            </label>
            <label>
              {tr(lang, 'nationalDbPanel.decisionDate')}
              <DateInput required disabled={started} value={decision.date} onChange={(date) => setDecision((d) => ({ ...d, date }))} lang={lang} />
            </label>
            {!started && <button type="submit">{tr(lang, 'nationalDbPanel.saveDecision')}</button>}
            <button type="button" disabled={!sync.decision} onClick={() => void act(async () => ((await ok(client.api.integrations['national-db'].send.$post({ json: { cycleId: sync.cycleId } }))).started ? (tr(lang, 'nationalDbPanel.sendingStarted')) : tr(lang, 'nationalDbPanel.alreadySending')), (text) => text)}>
              {tr(lang, 'nationalDbPanel.send')}
            </button>
            <button type="button" className="secondary" onClick={() => void load()}>
              {tr(lang, 'nationalDbPanel.reload')}
            </button>
          </form>
          <p data-testid="sync-summary">
            {tr(lang, 'nationalDbPanel.sent')} {sync.counts.sent} · {tr(lang, 'nationalDbPanel.refused')} {sync.counts.refused} · {tr(lang, 'nationalDbPanel.incomplete')} {sync.counts.invalid} · {tr(lang, 'nationalDbPanel.pending')} {sync.counts.pending}
            {sync.dueAt && ` · ${tr(lang, 'nationalDbPanel.due')} ${formatDateTime(sync.dueAt)}`}
            {sync.finishedAt && ` · ${tr(lang, 'nationalDbPanel.finished')} ${formatDateTime(sync.finishedAt)}`}
          </p>
          {sync.overdue && <p className="error">{tr(lang, 'nationalDbPanel.notDeliveredWithin3Working')}</p>}
          {sync.decision && (
            <p className="muted">
              {tr(lang, 'nationalDbPanel.download')}: <a href={`/api/integrations/national-db/export?cycleId=${sync.cycleId}&format=json`}>JSON</a> · <a href={`/api/integrations/national-db/export?cycleId=${sync.cycleId}&format=csv`}>CSV</a>
            </p>
          )}
          <label>
            {tr(lang, 'nationalDbPanel.stateFilter')}{' '}
            <select data-testid="sync-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
              <option value="">{tr(lang, 'nationalDbPanel.allStates')}</option>
              {(['refused', 'invalid', 'pending', 'sent'] as const).map((s) => (
                <option key={s} value={s}>
                  {tr(lang, `nationalDbPanel.state.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {sync.records.length > 0 && (
            <table>
              <TableHead lang={lang} vi={['Họ và tên', 'Số định danh', 'Điểm', 'Xếp loại', 'Trạng thái', 'Lý do', 'Gửi lúc']} en={['Name', 'Personal ID', 'Score', 'Level', 'State', 'Reason', 'Sent at']} />
              <tbody>
                {sync.records.map((r) => (
                  <tr key={r.staffId}>
                    <td>{r.fullName}</td>
                    <td>{typeof r.record['personalId'] === 'string' ? r.record['personalId'] : '—'}</td>
                    <td>{typeof r.record['score'] === 'number' ? formatNumber(r.record['score'], lang) : '—'}</td>
                    <td>{typeof r.record['level'] === 'string' ? (LEVEL_LABELS[r.record['level']]?.[lang] ?? r.record['level']) : '—'}</td>
                    <td className={r.status === 'refused' || r.status === 'invalid' ? 'error' : undefined}>{tr(lang, `nationalDbPanel.state.${r.status}`)}</td>
                    <td>{r.reason ?? ''}</td>
                    <td>{r.sentAt ? formatDateTime(r.sentAt) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <LoadMore next={nextRecords ? 'more' : null} onMore={moreRecords} lang={lang} testId="more-records" />
          {sync.decision && <p className="muted">{tr(lang, 'nationalDbPanel.decisionOf', { number: sync.decision.number, value: formatDate(sync.decision.date) })}</p>}
        </>
      )}
    </section>
  )
}
