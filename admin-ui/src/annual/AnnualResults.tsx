import type { InferResponseType } from 'hono/client'
import type { client } from '../client'
import { formatNumber, tr, type Lang } from '../i18n'
import { PeriodsTable } from './PeriodsTable'

type CycleResults = InferResponseType<(typeof client.api.cycles)[':id']['results']['$get'], 200>

/** What an annual cycle's results add to each row (GET /api/cycles/:id/results). */
export type AnnualResultFields = Pick<CycleResults['results'][number], 'periods' | 'monthsWorked' | 'annualScore'>

/** A person of an annual cycle who is "không xếp loại", and why. */
export type NotClassified = NonNullable<CycleResults['notClassified']>[number]

/** The periods behind one annual result, folded away in its row. */
export function PeriodsDetails({ result, lang }: { result: AnnualResultFields; lang: Lang }) {
  if (!result.periods) return null
  return (
    <details>
      <summary>{tr(lang, 'annualResults.periodsAndMonths', { count: result.periods.length, months: formatNumber(result.monthsWorked ?? 0, lang) })}</summary>
      <PeriodsTable periods={result.periods} lang={lang} />
    </details>
  )
}

/** The people of an annual cycle who are "không xếp loại", each with the reason and the periods found. */
export function NotClassifiedList({ people, lang }: { people: NotClassified[]; lang: Lang }) {
  if (!people.length) return null
  return (
    <>
      <h3>{tr(lang, 'annualResults.notClassified')}</h3>
      <table data-testid="not-classified">
        <thead>
          <tr>
            <th>{tr(lang, 'annualResults.staff')}</th>
            <th>{tr(lang, 'annualResults.unit')}</th>
            <th>{tr(lang, 'annualResults.reason')}</th>
            <th>{tr(lang, 'annualResults.periodsWithAResult')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.staffId}>
              <td>{p.fullName}</td>
              <td>{p.unitName}</td>
              <td>{p.reason[lang]}</td>
              <td>
                <PeriodsDetails result={p} lang={lang} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
