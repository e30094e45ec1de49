import { useCallback, useEffect, useState } from 'react'
import { Message, useAction } from './action'
import type { InferResponseType } from 'hono/client'
import { allPages, client, ok } from './client'
import { ActionDialog } from './dialog/ActionDialog'
import { formatDate, formatNumber, type Lang, tr } from './i18n'
import { LoadMore, usePagedList } from './paged-list'
import { TableHead } from './TableHead'
import type { Unit } from './UnitOptions'
import { UnitOptions } from './UnitOptions'

type WorkItem = InferResponseType<(typeof client.api)['work-items']['$get'], 200>[number]
type BoardRow = InferResponseType<(typeof client.api)['work-items']['board']['$get'], 200>['staff'][number]
type MonthRow = InferResponseType<(typeof client.api)['work-items']['unit-summary']['$get'], 200>['staff'][number]
const byId = (id: number) => ({ param: { id: String(id) } })


/** The unit head's board: who is late, what waits for confirmation or acceptance, and the month so far. */
export function UnitBoardPage({ lang, me }: { lang: Lang; me: { id: number; unitId: number | null; roles: string[] } }) {
  const [units, setUnits] = useState<Unit[]>([])
  const [unitId, setUnitId] = useState<number | null>(null)
  const [board, setBoard] = useState<BoardRow[]>([])
  const [month, setMonth] = useState<MonthRow[]>([])
  /** The item being confirmed (with its own quality failures) or rejected (with its own reason), in a dialog. */
  const [deciding, setDeciding] = useState<{ item: WorkItem; action: 'confirm' | 'reject' } | null>(null)
  useEffect(() => {
    void allPages(client.api.units.$get, {}).then((all) => {
      const mine = me.roles.includes('admin') || me.roles.includes('leader') ? all : all.filter((u) => u.headId === me.id || (me.roles.includes('unit_head') && u.id === me.unitId))
      setUnits(mine)
      setUnitId(mine[0]?.id ?? null)
    })
  }, [me])
  // What waits for the head, a page at a time: arising tasks to accept, then completions to confirm.
  const proposed = usePagedList<WorkItem>(unitId ? `/api/work-items?unitId=${unitId}&status=PROPOSED&limit=50` : null)
  const done = usePagedList<WorkItem>(unitId ? `/api/work-items?unitId=${unitId}&status=DONE&limit=50` : null)
  const pending = [...proposed.items, ...(proposed.next ? [] : done.items)]
  const loadFigures = useCallback(async () => {
    if (!unitId) return
    setBoard((await ok(client.api['work-items'].board.$get({ query: { unitId: String(unitId) } }))).staff)
    setMonth((await ok(client.api['work-items']['unit-summary'].$get({ query: { unitId: String(unitId), month: new Date().toISOString().slice(0, 7) } }))).staff)
  }, [unitId])
  const [reloadProposed, reloadDone] = [proposed.reload, done.reload]
  /** After a decision: the figures and the first pages of what waits, again. */
  const load = useCallback(async () => {
    await Promise.all([loadFigures(), reloadProposed(), reloadDone()])
  }, [loadFigures, reloadProposed, reloadDone])
  const { message, act } = useAction(load, () => setDeciding(null))
  useEffect(() => {
    void loadFigures()
  }, [loadFigures])
  return (
    <>
      <section className="card" data-testid="unit-board">
        <h2>{tr(lang, 'unitBoardPage.unitBoard')}</h2>
        <label>
          {tr(lang, 'unitBoardPage.unit')}
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
        <h2>{tr(lang, 'unitBoardPage.waitingForTheUnitHead')}</h2>
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
                      <button onClick={() => setDeciding({ item: i, action: 'confirm' })}>{tr(lang, 'unitBoardPage.confirm')}</button>
                    ) : (
                      <>
                        <button onClick={() => act(() => ok(client.api['work-items'][':id'].accept.$post(byId(i.id))), tr(lang, 'unitBoardPage.accepted'))}>{tr(lang, 'unitBoardPage.accept')}</button>
                        <button className="danger" onClick={() => setDeciding({ item: i, action: 'reject' })}>
                          {tr(lang, 'unitBoardPage.reject')}
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore next={proposed.next ?? done.next} onMore={proposed.next ? proposed.more : done.more} lang={lang} />
        <Message message={message} />
        {deciding && (
          <ActionDialog
            title={`${deciding.action === 'confirm' ? (tr(lang, 'unitBoardPage.confirmCompletion')) : tr(lang, 'unitBoardPage.rejectTheArisingTask')}: ${deciding.item.fullName} — ${deciding.item.productCode} ${deciding.item.title ?? deciding.item.productName}`}
            fields={
              deciding.action === 'confirm'
                ? [{ name: 'failures', label: tr(lang, 'unitBoardPage.qualityFailuresOfThisItem'), kind: 'textarea' }]
                : [{ name: 'reason', label: tr(lang, 'unitBoardPage.reason'), kind: 'textarea', required: true, min: 3 }]
            }
            confirm={deciding.action === 'confirm' ? (tr(lang, 'unitBoardPage.confirm')) : tr(lang, 'unitBoardPage.reject')}
            danger={deciding.action === 'reject'}
            lang={lang}
            onConfirm={(values) =>
              deciding.action === 'confirm'
                ? act(() => ok(client.api['work-items'][':id'].confirm.$post({ ...byId(deciding.item.id), json: { qualityFailures: qualityFailures(values['failures'] ?? '') } })), tr(lang, 'unitBoardPage.confirmed'))
                : act(() => ok(client.api['work-items'][':id'].reject.$post({ ...byId(deciding.item.id), json: { reason: values['reason'] ?? '' } })), tr(lang, 'unitBoardPage.rejected'))
            }
            onClose={() => setDeciding(null)}
          />
        )}
      </section>
      <section className="card">
        <h2>{tr(lang, 'unitBoardPage.monthSummary')}</h2>
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

/** One quality failure per non-empty line of what the head wrote, each with its reason. */
function qualityFailures(text: string): { reason: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((reason) => ({ reason }))
}
