import { formatDate, LEVEL_LABELS, type Lang } from '../i18n'

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
  const vi = lang === 'vi'
  const n = (x: number) => x.toLocaleString(vi ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 })
  return (
    <div data-testid="annual-periods">
      <table>
        <caption>{vi ? 'Kết quả các kỳ trong năm (từ các kỳ đã xếp loại, không sửa được)' : 'Period results of the year (from the classified periods, read-only)'}</caption>
        <thead>
          <tr>
            <th>{vi ? 'Kỳ đánh giá' : 'Period'}</th>
            <th>{vi ? 'Thời gian' : 'Dates'}</th>
            <th className="num">{vi ? 'Số tháng' : 'Months'}</th>
            <th className="num">{vi ? 'Tổng điểm' : 'Total'}</th>
            <th>{vi ? 'Xếp loại' : 'Level'}</th>
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
              <td colSpan={5}>{vi ? 'Không có kỳ nào đã xếp loại.' : 'No classified period.'}</td>
            </tr>
          )}
        </tbody>
      </table>
      {monthsWorked != null && (
        <p>
          {vi ? 'Số tháng có kết quả' : 'Months with a result'}: <strong>{n(monthsWorked)}</strong>
          {annualScore != null && (
            <>
              {' · '}
              {vi ? 'Điểm bình quân năm' : 'Annual mean'}: <strong>{n(annualScore)}</strong>
            </>
          )}
        </p>
      )}
    </div>
  )
}
