import { useEffect, useState } from 'react'
import type { InferResponseType } from 'hono/client'
import { ApiFailure } from '../api'
import { client, ok } from '../client'
import { formatDateTime, formatNumber, LEVEL_LABELS, type Lang, tr } from '../i18n'
import { TableHead } from '../TableHead'

type Published = InferResponseType<(typeof client.api.cycles)[':id']['units'][':unitId']['published']['$get'], 200>

/** A unit's published results, as its members see them: name, position, level, rank "3 / 12", total. */
export function PublishedList({ cycleId, unitId, lang }: { cycleId: number; unitId: number; lang: Lang }) {
  const [list, setList] = useState<Published | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    ok(client.api.cycles[':id'].units[':unitId'].published.$get({ param: { id: String(cycleId), unitId: String(unitId) } })).then(setList, (err: unknown) => setError(err instanceof ApiFailure ? err.message : String(err)))
  }, [cycleId, unitId])
  if (error) return <p className="muted">{error}</p>
  if (!list) return null
  return (
    <section className="card" data-testid="published-list">
      <h2>{tr(lang, 'publishedList.publishedResults', { unitName: list.unitName })}</h2>
      <p className="muted">
        {tr(lang, 'publishedList.published', { value: formatDateTime(list.publishedAt) })}
        {list.resultsLockedAt ? ` · ${tr(lang, 'publishedList.locked')} ${formatDateTime(list.resultsLockedAt)}` : list.petitionClosesAt ? ` · ${tr(lang, 'publishedList.petitionsUntil')} ${formatDateTime(list.petitionClosesAt)}` : ''}
      </p>
      <table>
        <TableHead lang={lang} vi={['Xếp hạng', 'Họ và tên', 'Chức danh', 'Xếp loại', 'Tổng điểm']} en={['Rank', 'Name', 'Position', 'Level', 'Total']} />
        <tbody>
          {list.results.map((r) => (
            <tr key={r.evaluationId}>
              <td>{r.rank ?? '—'}</td>
              <td>{r.fullName}</td>
              <td>{r.positionName ?? r.positionCode ?? ''}</td>
              <td>{r.underReview ? (tr(lang, 'publishedList.underReview')) : r.level ? (LEVEL_LABELS[r.level]?.[lang] ?? r.level) : '—'}</td>
              <td>{r.total === null ? '—' : formatNumber(r.total, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
