import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Message, useAction } from './action'
import type { InferResponseType } from 'hono/client'
import { allPages, client, ok } from './client'
import { DateInput } from './DateInput'
import { ActionDialog } from './dialog/ActionDialog'
import { formatDate, formatNumber, type Lang, tr } from './i18n'
import { TableHead } from './TableHead'

type WorkItem = InferResponseType<(typeof client.api)['work-items']['$get'], 200>[number]
type MyDay = InferResponseType<(typeof client.api)['work-items']['my-day']['$get'], 200>
type Summary = InferResponseType<(typeof client.api)['work-items']['summary']['$get'], 200>
type Product = InferResponseType<typeof client.api.catalogue.$get, 200>[number]

const today = () => new Date().toISOString().slice(0, 10)
const monthStart = () => `${today().slice(0, 8)}01`

/** My day and my period: today's items, overdue ones, recording work, a, b, c so far and hours logged. */
export function WorkLogPage({ lang }: { lang: Lang }) {
  const [day, setDay] = useState<MyDay | null>(null)
  const [summary, setSummary] = useState<Summary | null>(null)
  const [catalogue, setCatalogue] = useState<Product[]>([])
  const [form, setForm] = useState<{ productCode: string; quantity: string; dueOn: string; kind: 'planned' | 'arising'; title: string }>({ productCode: '', quantity: '1', dueOn: today(), kind: 'planned', title: '' })
  const [finished, setFinished] = useState<WorkItem[]>([])
  /** The item whose progress or completion is being recorded, in its own dialog. */
  const [recording, setRecording] = useState<{ item: WorkItem; complete: boolean } | null>(null)
  const load = useCallback(async () => {
    const me = await ok(client.api.me.$get())
    setDay(await ok(client.api['work-items']['my-day'].$get({ query: {} })))
    setSummary(await ok(client.api['work-items'].summary.$get({ query: { from: monthStart(), to: today() } })))
    // Completed items stay in sight: done (waiting for the head's confirmation) and confirmed, this month (one person's month: every page).
    const mine = (status: 'DONE' | 'CONFIRMED') => allPages(client.api['work-items'].$get, { staffId: String(me.id), status, from: monthStart(), to: today() })
    setFinished([...(await mine('DONE')), ...(await mine('CONFIRMED'))])
  }, [])
  const { message, act } = useAction(load, () => setRecording(null))
  useEffect(() => {
    void load()
    // The products of the person's position (the catalogue says which positions each applies to).
    void ok(client.api.me.$get())
      .then((me) => ok(client.api.catalogue.$get({ query: me.positionCode ? { positionCode: me.positionCode } : {} })))
      .then(setCatalogue, () => setCatalogue([]))
  }, [load])
  const record = (e: FormEvent) => {
    e.preventDefault()
    void act(
      () => ok(client.api['work-items'].$post({ json: { productCode: form.productCode, quantity: Number(form.quantity), assignedOn: today(), dueOn: form.dueOn, kind: form.kind, ...(form.title ? { title: form.title } : {}) } })),
      tr(lang, 'workLogPage.workItemRecorded'),
    )
  }
  const progress = (item: WorkItem, complete: boolean, values: Record<string, string>) => {
    const hours = Number(values['hours'])
    const done = Number(values['done'])
    return act(
      () => ok(client.api['work-items'][':id'].$patch({ param: { id: String(item.id) }, json: complete ? { complete: { date: today(), doneQuantity: done, hours } } : { progress: { date: today(), hours } } })),
      tr(lang, 'workLogPage.updated'),
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
                <ItemCells item={i} lang={lang} />
                <td>
                  {i.status === 'OPEN' && i.sourceSystemId ? (
                    <span className="muted">{tr(lang, 'workLogPage.updatedByTheTaskSystem')}</span>
                  ) : null}
                  {i.status === 'OPEN' && !i.sourceSystemId && (
                    <div className="actions">
                      <button className="secondary" onClick={() => setRecording({ item: i, complete: false })}>
                        {tr(lang, 'workLogPage.logHours')}
                      </button>
                      <button onClick={() => setRecording({ item: i, complete: true })}>{tr(lang, 'workLogPage.complete')}</button>
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
          {tr(lang, 'workLogPage.myDay')} {formatDate(day.date)} —{' '}
          <span className="muted">
            {formatNumber(day.hours.logged, lang)}/{day.hours.expected} {tr(lang, 'workLogPage.hours')}
          </span>
        </h2>
        {rows(day.overdue, tr(lang, 'workLogPage.overdue'))}
        {rows(day.dueToday, tr(lang, 'workLogPage.dueToday'))}
        {rows(day.upcoming, tr(lang, 'workLogPage.upcoming'))}
        {rows(day.awaitingAcceptance, tr(lang, 'workLogPage.awaitingAcceptance'))}
        <form className="inline-form" onSubmit={record}>
          <label>
            {tr(lang, 'workLogPage.product')}
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
            {tr(lang, 'workLogPage.quantity')}
            <input type="number" inputMode="decimal" min="0.01" step="any" required value={form.quantity} onChange={(e) => setForm({ ...form, quantity: e.target.value })} />
          </label>
          <label>
            {tr(lang, 'workLogPage.due')}
            <DateInput required value={form.dueOn} onChange={(dueOn) => setForm({ ...form, dueOn })} lang={lang} />
          </label>
          <label>
            {tr(lang, 'workLogPage.kind')}
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as 'planned' | 'arising' })}>
              <option value="planned">{tr(lang, 'workLogPage.planned')}</option>
              <option value="arising">{tr(lang, 'workLogPage.arisingNeedsAcceptance')}</option>
            </select>
          </label>
          <label>
            {tr(lang, 'workLogPage.note')}
            <input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          </label>
          <button type="submit">{tr(lang, 'workLogPage.record')}</button>
        </form>
        <Message message={message} />
        {recording && (
          <ActionDialog
            title={`${recording.complete ? (tr(lang, 'workLogPage.complete')) : tr(lang, 'workLogPage.logHours')}: ${recording.item.productCode} ${recording.item.title ?? recording.item.productName}`}
            fields={[
              { name: 'hours', label: tr(lang, 'workLogPage.hoursWorkedToday'), kind: 'number', initial: '1', required: true, min: 0, max: 24 },
              ...(recording.complete ? [{ name: 'done', label: tr(lang, 'workLogPage.quantityDoneAssigned', { value: formatNumber(recording.item.quantity, lang) }), kind: 'number' as const, initial: String(recording.item.quantity), required: true, min: 0 }] : []),
            ]}
            confirm={tr(lang, 'workLogPage.record')}
            lang={lang}
            onConfirm={(values) => progress(recording.item, recording.complete, values)}
            onClose={() => setRecording(null)}
          />
        )}
        {finished.length > 0 && (
          <>
            <h3>{tr(lang, 'workLogPage.completedThisMonth')}</h3>
            <table data-testid="finished">
              <tbody>
                {finished.map((i) => (
                  <tr key={i.id}>
                    <ItemCells item={i} lang={lang} />
                    <td>{i.status === 'CONFIRMED' ? tr(lang, 'workLogPage.confirmed') : tr(lang, 'workLogPage.awaitingConfirmation')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="card" data-testid="my-period">
        <h2>{tr(lang, 'workLogPage.monthToDate')}</h2>
        <p>
          {tr(lang, 'workLogPage.quantity')} a = {formatNumber(summary.scores?.a, lang)}% · {tr(lang, 'workLogPage.quality')} b = {formatNumber(summary.scores?.b, lang)}% · {tr(lang, 'workLogPage.timeliness')} c = {formatNumber(summary.scores?.c, lang)}% ·{' '}
          {formatNumber(summary.hours.logged, lang)}/{summary.hours.expected} {tr(lang, 'workLogPage.hours')}
        </p>
        <ProductTable products={summary.products} lang={lang} />
      </section>
    </>
  )
}

/** A work item's product, quantity done of assigned, and due day: the cells every list of items starts with. */
function ItemCells({ item, lang }: { item: WorkItem; lang: Lang }) {
  return (
    <>
      <td>
        <strong>{item.productCode}</strong> {item.title ?? item.productName}
      </td>
      <td>
        {formatNumber(item.doneQuantity, lang)}/{formatNumber(item.quantity, lang)}
      </td>
      <td>{formatDate(item.extendedTo ?? item.dueOn)}</td>
    </>
  )
}

export function ProductTable({ products, lang }: { products: Summary['products']; lang: Lang }) {
  if (!products.length) return <p>{tr(lang, 'workLogPage.noWorkItemsInThe')}</p>
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
