import { useCallback, useEffect, useState } from 'react'
import { api, ApiFailure } from './api'
import { formatDate, LEVEL_LABELS, STAGE_LABELS, type Lang } from './i18n'

interface UnitProgress {
  unitId: number
  unitName: string
  total: number
  byStage: Record<string, number>
  signedOff: boolean
  overdue: number
}
interface Cycle {
  id: number
  name: string
  status: string
  periodStart: string
  periodEnd: string
  progress: { byStage: Record<string, number>; byUnit: UnitProgress[] }
}
interface Result {
  evaluationId: number
  fullName: string
  unitName: string
  total: number
  finalLevel: string
  rankInUnit: number
  rankInCycle: number
  quotaCut: boolean
}

const STAGE_ORDER = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED']

/** A cycle: progress per stage and unit; leadership signs off or returns units; results once classified. */
export function CyclePage({ id, lang, canLead }: { id: number; lang: Lang; canLead: boolean }) {
  const [cycle, setCycle] = useState<Cycle | null>(null)
  const [results, setResults] = useState<Result[]>([])
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const load = useCallback(async () => {
    const c = await api<Cycle>('GET', `/api/cycles/${id}`)
    setCycle(c)
    if (c.status === 'CLASSIFIED') setResults((await api<{ results: Result[] }>('GET', `/api/cycles/${id}/results`)).results)
  }, [id])
  useEffect(() => {
    void load()
  }, [load])
  if (!cycle) return null
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setMessage(null)
    try {
      await fn()
      setMessage({ kind: 'ok', text: ok })
      setReason('')
      await load()
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiFailure ? err.message : String(err) })
    }
  }
  const vi = lang === 'vi'
  return (
    <section className="card" data-testid="cycle">
      <h2>
        {cycle.name} <span className="muted">({formatDate(cycle.periodStart)} – {formatDate(cycle.periodEnd)})</span>
      </h2>
      <p>
        {vi ? 'Trạng thái' : 'Status'}: <strong data-testid="cycle-status">{STAGE_LABELS[cycle.status]?.[lang] ?? cycle.status}</strong>
      </p>
      <table>
        <thead>
          <tr>
            <th>{vi ? 'Đơn vị' : 'Unit'}</th>
            <th>{vi ? 'Tiến độ' : 'Progress'}</th>
            <th>{vi ? 'Quá hạn' : 'Overdue'}</th>
            {canLead && cycle.status === 'OPEN' && <th>{vi ? 'Ký duyệt' : 'Sign-off'}</th>}
          </tr>
        </thead>
        <tbody>
          {cycle.progress.byUnit.map((u) => (
            <tr key={u.unitId} data-testid={`unit-${u.unitId}`}>
              <td>{u.unitName}</td>
              <td>
                <div className="bar" role="img" aria-label={STAGE_ORDER.map((s) => `${STAGE_LABELS[s]![lang]}: ${u.byStage[s] ?? 0}`).join(', ')}>
                  {STAGE_ORDER.map((s) => (u.byStage[s] ? <span key={s} className={`seg ${s}`} style={{ flex: u.byStage[s] }} title={`${STAGE_LABELS[s]![lang]}: ${u.byStage[s]}`} /> : null))}
                </div>
                <small>{STAGE_ORDER.filter((s) => u.byStage[s]).map((s) => `${STAGE_LABELS[s]![lang]} ${u.byStage[s]}`).join(' · ')}</small>
              </td>
              <td>{u.overdue || ''}</td>
              {canLead && cycle.status === 'OPEN' && (
                <td>
                  {u.signedOff ? (
                    vi ? 'Đã ký' : 'Signed'
                  ) : (
                    <div className="actions">
                      <button data-testid={`sign-off-${u.unitId}`} disabled={(u.byStage['AWAITING_SIGN_OFF'] ?? 0) !== u.total} onClick={() => act(() => api('POST', `/api/cycles/${id}/units/${u.unitId}/sign-off`), vi ? `Đã ký duyệt ${u.unitName}.` : `${u.unitName} signed off.`)}>
                        {vi ? 'Ký duyệt' : 'Sign off'}
                      </button>
                      <button className="danger" disabled={reason.trim().length < 3 || !u.byStage['AWAITING_SIGN_OFF']} onClick={() => act(() => api('POST', `/api/cycles/${id}/units/${u.unitId}/return`, { reason }), vi ? 'Đã trả lại đơn vị.' : 'Unit returned.')}>
                        {vi ? 'Trả lại' : 'Return'}
                      </button>
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canLead && cycle.status === 'OPEN' && (
        <label>
          {vi ? 'Lý do trả lại (khi trả lại cả đơn vị)' : 'Reason (when returning a unit)'}
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {results.length > 0 && (
        <>
          <h3>{vi ? 'Kết quả xếp loại' : 'Classification'}</h3>
          <table data-testid="results">
            <thead>
              <tr>
                <th>{vi ? 'Hạng' : 'Rank'}</th>
                <th>{vi ? 'Cán bộ' : 'Staff'}</th>
                <th>{vi ? 'Đơn vị' : 'Unit'}</th>
                <th>{vi ? 'Điểm' : 'Score'}</th>
                <th>{vi ? 'Xếp loại' : 'Level'}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.evaluationId}>
                  <td>{r.rankInCycle}</td>
                  <td>{r.fullName}</td>
                  <td>{r.unitName}</td>
                  <td>{r.total.toLocaleString(vi ? 'vi-VN' : 'en-US')}</td>
                  <td title={LEVEL_LABELS[r.finalLevel]?.[lang]}>
                    {r.finalLevel}
                    {r.quotaCut ? ` (${vi ? 'do giới hạn tỷ lệ' : 'quota'})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {message && (
        <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status" data-testid="message">
          {message.text}
        </p>
      )}
    </section>
  )
}
