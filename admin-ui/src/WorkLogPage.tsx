import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Message, useAction } from './action'
import { api } from './api'
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
  const load = useCallback(async () => {
    setDay(await api<MyDay>('GET', '/api/work-items/my-day'))
    setSummary(await api<Summary>('GET', `/api/work-items/summary?from=${monthStart()}&to=${today()}`))
  }, [])
  const { message, act } = useAction(load)
  useEffect(() => {
    void load()
    api<Product[]>('GET', '/api/catalogue').then(setCatalogue, () => setCatalogue([]))
  }, [load])
  const record = (e: FormEvent) => {
    e.preventDefault()
    void act(
      () => api('POST', '/api/work-items', { productCode: form.productCode, quantity: Number(form.quantity), assignedOn: today(), dueOn: form.dueOn, kind: form.kind, ...(form.title ? { title: form.title } : {}) }),
      vi ? 'Đã ghi nhận công việc.' : 'Work item recorded.',
    )
  }
  const progress = (item: WorkItem, complete: boolean) => {
    const hours = Number(window.prompt(vi ? 'Số giờ làm hôm nay' : 'Hours worked today', '1') ?? 'x')
    if (!Number.isFinite(hours)) return
    const done = complete ? Number(window.prompt(vi ? 'Số lượng hoàn thành' : 'Quantity done', String(item.quantity)) ?? 'x') : undefined
    if (complete && !Number.isFinite(done)) return
    void act(
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
                      <button className="secondary" onClick={() => progress(i, false)}>
                        {vi ? 'Ghi giờ' : 'Log hours'}
                      </button>
                      <button onClick={() => progress(i, true)}>{vi ? 'Hoàn thành' : 'Complete'}</button>
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
            <input type="date" required value={form.dueOn} onChange={(e) => setForm({ ...form, dueOn: e.target.value })} />
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
