import { useCallback, useEffect, useState } from 'react'
import { Message, useAction } from './action'
import { api } from './api'
import { formatDate, formatNumber, type Lang } from './i18n'
import { TableHead } from './TableHead'
import type { Unit, WorkItem } from './types'
import { UnitOptions } from './UnitOptions'

interface BoardRow {
  staffId: number
  fullName: string
  late: number
  awaitingConfirmation: number
  awaitingAcceptance: number
  dueToday: number
}
interface MonthRow {
  staffId: number
  fullName: string
  scores: { a: number | null; b: number | null; c: number | null } | null
  hours: number
}


/** The unit head's board: who is late, what waits for confirmation or acceptance, and the month so far. */
export function UnitBoardPage({ lang, me }: { lang: Lang; me: { id: number; unitId: number | null; roles: string[] } }) {
  const vi = lang === 'vi'
  const [units, setUnits] = useState<Unit[]>([])
  const [unitId, setUnitId] = useState<number | null>(null)
  const [board, setBoard] = useState<BoardRow[]>([])
  const [pending, setPending] = useState<WorkItem[]>([])
  const [month, setMonth] = useState<MonthRow[]>([])
  const [failure, setFailure] = useState('')
  useEffect(() => {
    void api<Unit[]>('GET', '/api/units').then((all) => {
      const mine = me.roles.includes('admin') || me.roles.includes('leader') ? all : all.filter((u) => u.headId === me.id || (me.roles.includes('unit_head') && u.id === me.unitId))
      setUnits(mine)
      setUnitId(mine[0]?.id ?? null)
    })
  }, [me])
  const load = useCallback(async () => {
    if (!unitId) return
    setBoard((await api<{ staff: BoardRow[] }>('GET', `/api/work-items/board?unitId=${unitId}`)).staff)
    const done = await api<WorkItem[]>('GET', `/api/work-items?unitId=${unitId}&status=DONE`)
    const proposed = await api<WorkItem[]>('GET', `/api/work-items?unitId=${unitId}&status=PROPOSED`)
    setPending([...proposed, ...done])
    setMonth((await api<{ staff: MonthRow[] }>('GET', `/api/work-items/unit-summary?unitId=${unitId}&month=${new Date().toISOString().slice(0, 7)}`)).staff)
  }, [unitId])
  const { message, act } = useAction(load, () => setFailure(''))
  useEffect(() => {
    void load()
  }, [load])
  return (
    <>
      <section className="card" data-testid="unit-board">
        <h2>{vi ? 'Bảng theo dõi đơn vị' : 'Unit board'}</h2>
        <label>
          {vi ? 'Đơn vị' : 'Unit'}
          <select value={unitId ?? ''} onChange={(e) => setUnitId(Number(e.target.value))}>
            <UnitOptions units={units} />
          </select>
        </label>
        <table>
          <TableHead lang={lang} vi={['Cán bộ', 'Trễ hạn', 'Đến hạn hôm nay', 'Chờ xác nhận', 'Chờ chấp nhận']} en={['Staff', 'Late', 'Due today', 'To confirm', 'To accept']} />
          <tbody>
            {board.map((b) => (
              <tr key={b.staffId}>
                <td>{b.fullName}</td>
                <td className={b.late ? 'overdue' : ''}>{b.late || ''}</td>
                <td>{b.dueToday || ''}</td>
                <td>{b.awaitingConfirmation || ''}</td>
                <td>{b.awaitingAcceptance || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{vi ? 'Chờ trưởng đơn vị xử lý' : 'Waiting for the unit head'}</h2>
        <label>
          {vi ? 'Lỗi chất lượng (nếu có, ghi lý do trước khi xác nhận)' : 'Quality failure (if any, give the reason before confirming)'}
          <input value={failure} onChange={(e) => setFailure(e.target.value)} />
        </label>
        <table>
          <tbody>
            {pending.map((i) => (
              <tr key={i.id}>
                <td>{i.fullName}</td>
                <td>
                  <strong>{i.productCode}</strong> {i.title ?? i.productName}
                </td>
                <td>
                  {formatNumber(i.doneQuantity, lang)}/{formatNumber(i.quantity, lang)}
                </td>
                <td>{formatDate(i.dueOn)}</td>
                <td>
                  <div className="actions">
                    {i.status === 'DONE' ? (
                      <button onClick={() => act(() => api('POST', `/api/work-items/${i.id}/confirm`, { qualityFailures: failure.trim() ? [{ reason: failure.trim() }] : [] }), vi ? 'Đã xác nhận.' : 'Confirmed.')}>
                        {vi ? 'Xác nhận' : 'Confirm'}
                      </button>
                    ) : (
                      <>
                        <button onClick={() => act(() => api('POST', `/api/work-items/${i.id}/accept`), vi ? 'Đã chấp nhận.' : 'Accepted.')}>{vi ? 'Chấp nhận' : 'Accept'}</button>
                        <button className="danger" disabled={failure.trim().length < 3} onClick={() => act(() => api('POST', `/api/work-items/${i.id}/reject`, { reason: failure }), vi ? 'Đã từ chối.' : 'Rejected.')}>
                          {vi ? 'Từ chối' : 'Reject'}
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Message message={message} />
      </section>
      <section className="card">
        <h2>{vi ? 'Tổng hợp tháng' : 'Month summary'}</h2>
        <table>
          <TableHead lang={lang} vi={['Cán bộ', 'Số lượng (a)', 'Chất lượng (b)', 'Tiến độ (c)', 'Giờ']} en={['Staff', 'Quantity (a)', 'Quality (b)', 'Timeliness (c)', 'Hours']} />
          <tbody>
            {month.map((m) => (
              <tr key={m.staffId}>
                <td>{m.fullName}</td>
                <td>{formatNumber(m.scores?.a, lang)}</td>
                <td>{formatNumber(m.scores?.b, lang)}</td>
                <td>{formatNumber(m.scores?.c, lang)}</td>
                <td>{formatNumber(m.hours, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
