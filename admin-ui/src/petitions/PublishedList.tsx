import { useEffect, useState } from 'react'
import { api, ApiFailure } from '../api'
import { formatDateTime, formatNumber, LEVEL_LABELS, type Lang } from '../i18n'
import { TableHead } from '../TableHead'

interface Published {
  unitName: string
  unitSize: number
  publishedAt: string
  petitionClosesAt: string | null
  resultsLockedAt: string | null
  results: { evaluationId: number; staffId: number; fullName: string; positionName: string | null; positionCode: string | null; level: string | null; rank: string | null; total: number | null; underReview: boolean }[]
}

/** A unit's published results, as its members see them: name, position, level, rank "3 / 12", total. */
export function PublishedList({ cycleId, unitId, lang }: { cycleId: number; unitId: number; lang: Lang }) {
  const vi = lang === 'vi'
  const [list, setList] = useState<Published | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api<Published>('GET', `/api/cycles/${cycleId}/units/${unitId}/published`).then(setList, (err: unknown) => setError(err instanceof ApiFailure ? err.message : String(err)))
  }, [cycleId, unitId])
  if (error) return <p className="muted">{error}</p>
  if (!list) return null
  return (
    <section className="card" data-testid="published-list">
      <h2>{vi ? `Kết quả công bố — ${list.unitName}` : `Published results — ${list.unitName}`}</h2>
      <p className="muted">
        {vi ? `Công bố lúc ${formatDateTime(list.publishedAt)}` : `Published ${formatDateTime(list.publishedAt)}`}
        {list.resultsLockedAt ? ` · ${vi ? 'đã khóa' : 'locked'} ${formatDateTime(list.resultsLockedAt)}` : list.petitionClosesAt ? ` · ${vi ? 'hạn kiến nghị' : 'petitions until'} ${formatDateTime(list.petitionClosesAt)}` : ''}
      </p>
      <table>
        <TableHead lang={lang} vi={['Xếp hạng', 'Họ và tên', 'Chức danh', 'Xếp loại', 'Tổng điểm']} en={['Rank', 'Name', 'Position', 'Level', 'Total']} />
        <tbody>
          {list.results.map((r) => (
            <tr key={r.evaluationId}>
              <td>{r.rank ?? '—'}</td>
              <td>{r.fullName}</td>
              <td>{r.positionName ?? r.positionCode ?? ''}</td>
              <td>{r.underReview ? (vi ? 'đang xem xét lại' : 'under review') : r.level ? (LEVEL_LABELS[r.level]?.[lang] ?? r.level) : '—'}</td>
              <td>{r.total === null ? '—' : formatNumber(r.total, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
