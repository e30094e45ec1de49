import { useEffect, useState } from 'react'
import { allPages, client, ok } from '../client'
import { formatDate, formatDateTime, formatNumber, type Lang, tr } from '../i18n'
import { TableHead } from '../TableHead'
import type { CoverageSubject, CoverageView } from './views'
import { isLiveCycle } from '../cycle-status'

const who = (s: CoverageSubject) => `${s.name}${s.handle ? ` (${s.handle})` : ''}`

/** The indicators of a cycle or a launch, one table each: values in, missing ones, late ones. */
export function CoverageTables({ coverage, lang, exportHref }: { coverage: CoverageView; lang: Lang; exportHref?: string }) {
  if (!coverage.indicators.length) return <p className="muted">{tr(lang, 'indicatorsPanel.theRuleSetDeclaresNo')}</p>
  // The server sends each list's first rows (a province's indicator lists tens of thousands of names) with its count.
  const cut = coverage.indicators.some((i) => i.counts.received > i.received.length || i.counts.missing > i.missing.length || i.counts.late > i.late.length)
  return (
    <>
      {cut && (
        <p className="muted" data-testid="coverage-cut">
          {tr(lang, 'indicatorsPanel.firstRows', { shown: Math.max(...coverage.indicators.map((i) => Math.max(i.received.length, i.missing.length, i.late.length))) })}
          {exportHref && (
            <>
              {' '}
              <a href={exportHref}>{tr(lang, 'indicatorsPanel.downloadAll')}</a>
            </>
          )}
        </p>
      )}
      {coverage.indicators.map((i) => (
        <div key={`${i.system}/${i.code}`} data-testid={`indicator-${i.code}`}>
          <h3>
            {i.label ? i.label[lang] : i.code} <span className="muted">· {i.systemName ?? i.system} · {i.code} · {i.unit}</span>
          </h3>
          <p className="muted">
            {tr(lang, 'indicatorsPanel.coverage', { scope: tr(lang, i.scope === 'person' ? 'indicatorsPanel.scopePerson' : 'indicatorsPanel.scopeUnit'), lock: tr(lang, i.locked ? 'indicatorsPanel.locked' : 'indicatorsPanel.locks'), date: formatDate(i.closingDate), received: formatNumber(i.counts.received, lang), expected: formatNumber(i.expected, lang), missing: formatNumber(i.counts.missing, lang), late: formatNumber(i.counts.late, lang) })}
          </p>
          <table>
            <TableHead lang={lang} vi={['Cán bộ / đơn vị', 'Giá trị', 'Tình trạng', 'Thời điểm']} en={['Person / unit', 'Value', 'State', 'At']} />
            <tbody>
              {i.missing.map((s) => (
                <tr key={`m-${s.subject}`} className="error">
                  <td>{who(s)}</td>
                  <td>—</td>
                  <td>{tr(lang, 'indicatorsPanel.missing')}</td>
                  <td />
                </tr>
              ))}
              {i.late.map((l, n) => (
                <tr key={`l-${l.subject.subject}-${n}`} className="error">
                  <td>{who(l.subject)}</td>
                  <td>{formatNumber(l.value, lang)}</td>
                  <td>{tr(lang, l.hasValue ? 'indicatorsPanel.lateNotUsedKept' : 'indicatorsPanel.lateNotUsed')}</td>
                  <td>{formatDateTime(l.at)}</td>
                </tr>
              ))}
              {i.received.map((r) => (
                <tr key={`r-${r.subject.subject}`}>
                  <td>{who(r.subject)}</td>
                  <td>{formatNumber(r.value, lang)}</td>
                  <td>{tr(lang, 'indicatorsPanel.received')}</td>
                  <td>{formatDateTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  )
}

/** "Chỉ số": per launched cycle, the declared indicators' values, the missing and the late ones. */
export function IndicatorsPanel({ lang }: { lang: Lang }) {
  const [cycles, setCycles] = useState<{ id: number; name: string; status: string }[]>([])
  const [cycleId, setCycleId] = useState<number | null>(null)
  const [coverage, setCoverage] = useState<CoverageView | null>(null)
  useEffect(() => {
    void allPages(client.api.cycles.$get, {}).then((all) => {
      const live = all.filter(isLiveCycle)
      setCycles(live)
      setCycleId((id) => id ?? live[0]?.id ?? null)
    })
  }, [])
  useEffect(() => {
    setCoverage(null)
    if (cycleId === null) return
    let current = true
    void ok(client.api.integrations.indicators.$get({ query: { cycleId: String(cycleId) } })).then((c) => current && setCoverage(c))
    return () => {
      current = false
    }
  }, [cycleId])
  return (
    <section className="card" data-testid="indicators">
      <h2>{tr(lang, 'indicatorsPanel.indicators')}</h2>
      {!cycles.length ? (
        <p className="muted">{tr(lang, 'indicatorsPanel.noCycleYetBeforeA')}</p>
      ) : (
        <>
          <label>
            {tr(lang, 'indicatorsPanel.cycle')}{' '}
            <select value={cycleId ?? ''} onChange={(e) => setCycleId(Number(e.target.value))}>
              {cycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          {coverage && <CoverageTables coverage={coverage} lang={lang} exportHref={`/api/integrations/indicators/export?cycleId=${cycleId}`} />}
        </>
      )}
    </section>
  )
}

/**
 * The launch form's warning: how many indicator values are still missing or came late for the chosen
 * rule set, period and units (GET /api/integrations/indicators/preview), with the list on demand.
 */
export function LaunchIndicatorWarning({ ruleSetId, periodStart, periodEnd, unitIds, lang }: { ruleSetId: number; periodStart: string; periodEnd: string; unitIds: number[]; lang: Lang }) {
  const [coverage, setCoverage] = useState<CoverageView | null>(null)
  const units = unitIds.join(',')
  useEffect(() => {
    setCoverage(null)
    if (!ruleSetId || !/^\d{4}-\d{2}-\d{2}$/.test(periodStart) || !/^\d{4}-\d{2}-\d{2}$/.test(periodEnd) || periodStart > periodEnd) return
    let live = true
    const timer = setTimeout(() => {
      const query = { ruleSetId: String(ruleSetId), periodStart, periodEnd, ...(units ? { unitIds: units } : {}) }
      void ok(client.api.integrations.indicators.preview.$get({ query }))
        .then((c) => live && setCoverage(c))
        .catch(() => undefined)
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [ruleSetId, periodStart, periodEnd, units])
  if (!coverage || (!coverage.missing && !coverage.late)) return null
  return (
    <div className="warning" role="status" data-testid="indicator-warning">
      {tr(lang, 'indicatorsPanel.indicatorsFromConnectedSystemsValues', { missing: coverage.missing, late: coverage.late })}
      <a href="#/integrations">{tr(lang, 'indicatorsPanel.connectedSystems')}</a>
      <details>
        <summary>{tr(lang, 'indicatorsPanel.showTheList')}</summary>
        <CoverageTables coverage={coverage} lang={lang} />
      </details>
    </div>
  )
}
