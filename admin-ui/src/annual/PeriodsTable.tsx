import { formatDate, formatNumber, LEVEL_LABELS, type Lang, tr } from '../i18n'

/** One classified period behind an annual score (the evaluation's `periods`, filled at launch). */
export interface AnnualPeriodView {
  cycleId: number
  cycleName?: string
  periodStart: string
  periodEnd: string
  months: number
  total: number
  level: string | null
}

/** The periods an annual score is the mean of, read-only, with the months worked and the mean. */
export function PeriodsTable({ periods, monthsWorked, annualScore, lang }: { periods: AnnualPeriodView[]; monthsWorked?: number | null; annualScore?: number | null; lang: Lang }) {
  const n = (x: number) => formatNumber(x, lang, { maximumFractionDigits: 2 })
  return (
    <div data-testid="annual-periods">
      <table>
        <caption>{tr(lang, 'periodsTable.periodResultsOfTheYear')}</caption>
        <thead>
          <tr>
            <th>{tr(lang, 'periodsTable.period')}</th>
            <th>{tr(lang, 'periodsTable.dates')}</th>
            <th className="num">{tr(lang, 'periodsTable.months')}</th>
            <th className="num">{tr(lang, 'periodsTable.total')}</th>
            <th>{tr(lang, 'periodsTable.level')}</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr key={p.cycleId}>
              <td>
                <a href={`#/cycles/${p.cycleId}`}>{p.cycleName ?? `#${p.cycleId}`}</a>
              </td>
              <td>
                {formatDate(p.periodStart)} – {formatDate(p.periodEnd)}
              </td>
              <td className="num">{n(p.months)}</td>
              <td className="num">{n(p.total)}</td>
              <td>{p.level ? `${p.level} — ${LEVEL_LABELS[p.level]?.[lang] ?? ''}` : '—'}</td>
            </tr>
          ))}
          {!periods.length && (
            <tr>
              <td colSpan={5}>{tr(lang, 'periodsTable.noClassifiedPeriod')}</td>
            </tr>
          )}
        </tbody>
      </table>
      {monthsWorked != null && (
        <p>
          {tr(lang, 'periodsTable.monthsWithAResult')}: <strong>{n(monthsWorked)}</strong>
          {annualScore != null && (
            <>
              {' · '}
              {tr(lang, 'periodsTable.annualMean')}: <strong>{n(annualScore)}</strong>
            </>
          )}
        </p>
      )}
    </div>
  )
}
