import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Message, useAction } from './action'
import { api } from './api'
import { DateInput } from './DateInput'
import { ActionDialog } from './dialog/ActionDialog'
import { formatDate, formatNumber, type Lang } from './i18n'
import { TableHead } from './TableHead'
import type { WorkItem } from './types'

interface MyDay {
  date: string
  dueToday: WorkItem[]
  overdue: WorkItem[]
  upcoming: WorkItem[]
  awaitingAcceptance: WorkItem[]
  hours: { logged: number; expected: number }
}
interface Summary {
  products: { code: string; name?: string; k: number; assigned: number; done: number; qualityFailures: number; delays: number }[]
  scores: { a: number | null; b: number | null; c: number | null } | null
  hours: { logged: number; expected: number }
}
interface Product {
  code: string
  name: string
  unit: string
}

const today = () => new Date().toISOString().slice(0, 10)
const monthStart = () => `${today().slice(0, 8)}01`

/** My day and my period: today's items, overdue ones, recording work, a, b, c so far and hours logged. */
export function WorkLogPage({ lang }: { lang: Lang }) {
  const vi = lang === 'vi'
  const [day, setDay] = useState<MyDay | null>(null)
  const [summary, setSummary] = useState<Summary | null>(null)
  const [catalogue, setCatalogue] = useState<Product[]>([])
  const [form, setForm] = useState({ productCode: '', quantity: '1', dueOn: today(), kind: 'planned', title: '' })
  const [finished, setFinished] = useState<WorkItem[]>([])
  /** The item whose progress or completion is being recorded, in its own dialog. */
  const [recording, setRecording] = useState<{ item: WorkItem; complete: boolean } | null>(null)
  const load = useCallback(async () => {
    const me = await api<{ id: number; positionCode: string | null }>('GET', '/api/me')
    setDay(await api<MyDay>('GET', '/api/work-items/my-day'))
    setSummary(await api<Summary>('GET', `/api/work-items/summary?from=${monthStart()}&to=${today()}`))
    // Completed items stay in sight: done (waiting for the head's confirmation) and confirmed, this month.
    const mine = (status: string) => api<WorkItem[]>('GET', `/api/work-items?staffId=${me.id}&status=${status}&from=${monthStart()}&to=${today()}`)
    setFinished([...(await mine('DONE')), ...(await mine('CONFIRMED'))])
  }, [])
  const { message, act } = useAction(load, () => setRecording(null))
  useEffect(() => {
    void load()
    // The products of the person's position (the catalogue says which positions each applies to).
    void api<{ positionCode: string | null }>('GET', '/api/me')
      .then((me) => api<Product[]>('GET', `/api/catalogue${me.positionCode ? `?positionCode=${encodeURIComponent(me.positionCode)}` : ''}`))
      .then(setCatalogue, () => setCatalogue([]))
  }, [load])
  const record = (e: FormEvent) => {
    e.preventDefault()
    void act(
      () => api('POST', '/api/work-items', { productCode: form.productCode, quantity: Number(form.quantity), assignedOn: today(), dueOn: form.dueOn, kind: form.kind, ...(form.title ? { title: form.title } : {}) }),
      vi ? 'Đã ghi nhận công việc.' : 'Work item recorded.',
    )
  }
  const progress = (item: WorkItem, complete: boolean, values: Record<string, string>) => {
    const hours = Number(values['hours'])
    const done = Number(values['done'])
    return act(
      () => api('PATCH', `/api/work-items/${item.id}`, complete ? { complete: { date: today(), doneQuantity: done, hours } } : { progress: { date: today(), hours } }),
      vi ? 'Đã cập nhật.' : 'Updated.',
    )
  }
  if (!day || !summary) return null
  const rows = (items: WorkItem[], label: string) =>
    items.length > 0 && (
      <>
        <h3>{label}</h3>
        <table>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>
                  <strong>{i.productCode}</strong> {i.title ?? i.productName}
                </td>
                <td>
                  {formatNumber(i.doneQuantity, lang)}/{formatNumber(i.quantity, lang)}
                </td>
                <td>{formatDate(i.extendedTo ?? i.dueOn)}</td>
                <td>
                  {i.status === 'OPEN' && i.sourceSystemId ? (
                    <span className="muted">{vi ? 'Cập nhật từ hệ thống giao việc' : 'Updated by the task system'}</span>
                  ) : null}
                  {i.status === 'OPEN' && !i.sourceSystemId && (
                    <div className="actions">
                      <button className="secondary" onClick={() => setRecording({ item: i, complete: false })}>
                        {vi ? 'Ghi giờ' : 'Log hours'}
                      </button>
                      <button onClick={() => setRecording({ item: i, complete: true })}>{vi ? 'Hoàn thành' : 'Complete'}</button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )
  return (
    <>
      <section className="card" data-testid="my-day">
        <h2>
          {vi ? 'Ngày làm việc' : 'My day'} {formatDate(day.date)} —{' '}
          <span className="muted">
            {formatNumber(day.hours.logged, lang)}/{day.hours.expected} {vi ? 'giờ' : 'hours'}
          </span>
        </h2>
        {rows(day.overdue, vi ? 'Quá hạn' : 'Overdue')}
        {rows(day.dueToday, vi ? 'Đến hạn hôm nay' : 'Due today')}
        {rows(day.upcoming, vi ? 'Sắp tới' : 'Upcoming')}
        {rows(day.awaitingAcceptance, vi ? 'Chờ trưởng đơn vị chấp nhận' : 'Awaiting acceptance')}
        <form className="inline-form" onSubmit={record}>
          <label>
            {vi ? 'Sản phẩm' : 'Product'}
            <select required value={form.productCode} onChange={(e) => setForm({ ...form, productCode: e.target.value })}>
              <option value="">—</option>
              {catalogue.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.code} — {p.name} ({p.unit})
                </option>
              ))}
            </select>
          </label>
          <label>
            {vi ? 'Số lượng' : 'Quantity'}
            <input type="number" inputMode="decimal" min="0.01" step="any" required value={form.quantity} onChange={(e) => setForm({ ...form, quantity: e.target.value })} />
          </label>
          <label>
            {vi ? 'Hạn' : 'Due'}
            <DateInput required value={form.dueOn} onChange={(dueOn) => setForm({ ...form, dueOn })} lang={lang} />
          </label>
          <label>
            {vi ? 'Loại' : 'Kind'}
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              <option value="planned">{vi ? 'Theo kế hoạch' : 'Planned'}</option>
              <option value="arising">{vi ? 'Phát sinh (cần trưởng đơn vị chấp nhận)' : 'Arising (needs acceptance)'}</option>
            </select>
          </label>
          <label>
            {vi ? 'Ghi chú' : 'Note'}
            <input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          </label>
          <button type="submit">{vi ? 'Ghi nhận' : 'Record'}</button>
        </form>
        <Message message={message} />
        {recording && (
          <ActionDialog
            title={`${recording.complete ? (vi ? 'Hoàn thành' : 'Complete') : vi ? 'Ghi giờ' : 'Log hours'}: ${recording.item.productCode} ${recording.item.title ?? recording.item.productName}`}
            fields={[
              { name: 'hours', label: vi ? 'Số giờ làm hôm nay' : 'Hours worked today', kind: 'number', initial: '1', required: true, min: 0, max: 24 },
              ...(recording.complete ? [{ name: 'done', label: vi ? `Số lượng hoàn thành (được giao ${formatNumber(recording.item.quantity, lang)})` : `Quantity done (assigned ${formatNumber(recording.item.quantity, lang)})`, kind: 'number' as const, initial: String(recording.item.quantity), required: true, min: 0 }] : []),
            ]}
            confirm={vi ? 'Ghi nhận' : 'Record'}
            lang={lang}
            onConfirm={(values) => progress(recording.item, recording.complete, values)}
            onClose={() => setRecording(null)}
          />
        )}
        {finished.length > 0 && (
          <>
            <h3>{vi ? 'Đã hoàn thành trong tháng' : 'Completed this month'}</h3>
            <table data-testid="finished">
              <tbody>
                {finished.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <strong>{i.productCode}</strong> {i.title ?? i.productName}
                    </td>
                    <td>
                      {formatNumber(i.doneQuantity, lang)}/{formatNumber(i.quantity, lang)}
                    </td>
                    <td>{formatDate(i.extendedTo ?? i.dueOn)}</td>
                    <td>{i.status === 'CONFIRMED' ? (vi ? 'Đã xác nhận' : 'Confirmed') : vi ? 'Chờ trưởng đơn vị xác nhận' : 'Awaiting confirmation'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="card" data-testid="my-period">
        <h2>{vi ? 'Từ đầu tháng đến nay' : 'Month to date'}</h2>
        <p>
          {vi ? 'Số lượng' : 'Quantity'} a = {formatNumber(summary.scores?.a, lang)}% · {vi ? 'Chất lượng' : 'Quality'} b = {formatNumber(summary.scores?.b, lang)}% · {vi ? 'Tiến độ' : 'Timeliness'} c = {formatNumber(summary.scores?.c, lang)}% ·{' '}
          {formatNumber(summary.hours.logged, lang)}/{summary.hours.expected} {vi ? 'giờ' : 'hours'}
        </p>
        <ProductTable products={summary.products} lang={lang} />
      </section>
    </>
  )
}

export function ProductTable({ products, lang }: { products: Summary['products']; lang: Lang }) {
  const vi = lang === 'vi'
  if (!products.length) return <p>{vi ? 'Chưa có công việc nào trong kỳ.' : 'No work items in the period.'}</p>
  return (
    <table>
      <TableHead lang={lang} vi={['Mã', 'Sản phẩm', 'Hệ số', 'Được giao', 'Đã xác nhận', 'Bị trả lại', 'Chậm']} en={['Code', 'Product', 'k', 'Assigned', 'Confirmed', 'Failed reviews', 'Delays']} />
      <tbody>
        {products.map((p) => (
          <tr key={`${p.code}-${p.k}`}>
            <td>{p.code}</td>
            <td>{p.name}</td>
            <td>{formatNumber(p.k, lang)}</td>
            <td>{formatNumber(p.assigned, lang)}</td>
            <td>{formatNumber(p.done, lang)}</td>
            <td>{p.qualityFailures}</td>
            <td>{p.delays}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
