import { DateInput } from '../DateInput'
import { useState, type FormEvent } from 'react'
import { Message, useAction } from '../action'
import { client, ok } from '../client'
import { LoadMore, usePagedList } from '../paged-list'
import { formatDate, formatDateTime, type Lang, tr } from '../i18n'
import { StaffPicker } from '../StaffPicker'
import { TableHead } from '../TableHead'
import { DELEGATION_SCOPE, DELEGATION_STATUS, todayInVietnam, type Delegation } from './labels'

/**
 * "Ủy quyền": the delegations the person gave and received; unit heads and leaders delegate their
 * review (leaders also their sign-off) to a named colleague for a date range, and end one early.
 * Admins see everyone's.
 */
export function DelegationsPage({ lang, me }: { lang: Lang; me: { id: number; roles: string[] } }) {
  // Each list a page at a time, the next on demand: the person's own two, and for an admin everyone's.
  const givenList = usePagedList<Delegation>('/api/delegations?direction=given&limit=50')
  const receivedList = usePagedList<Delegation>('/api/delegations?direction=received&limit=50')
  const allList = usePagedList<Delegation>(me.roles.includes('admin') ? '/api/delegations?limit=50' : null)
  const reload = async () => {
    await Promise.all([givenList.reload(), receivedList.reload(), allList.reload()])
  }
  const mayGive = me.roles.includes('unit_head') || me.roles.includes('leader')
  const today = todayInVietnam()
  const [form, setForm] = useState<{ delegateId: string; scope: Delegation['scope']; from: string; to: string; reason: string }>({ delegateId: '', scope: 'review', from: today, to: today, reason: '' })
  const { message, act } = useAction(reload, () => setForm((f) => ({ ...f, delegateId: '', reason: '' })))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void act(
      () => ok(client.api.delegations.$post({ json: { delegateId: Number(form.delegateId), scope: form.scope, from: form.from, to: form.to, reason: form.reason } })),
      tr(lang, 'delegationsPage.delegationCreated'),
    )
  }
  const end = (d: Delegation) => {
    if (!window.confirm(tr(lang, 'delegationsPage.endTheDelegationToNow', { name: d.delegate.name }))) return
    void act(() => ok(client.api.delegations[':id'].$delete({ param: { id: String(d.id) } })), tr(lang, 'delegationsPage.delegationEnded'))
  }
  const others = allList.items.filter((d) => d.principal.id !== me.id && d.delegate.id !== me.id)
  const table = (list: Delegation[], testId: string) =>
    list.length === 0 ? (
      <p className="muted">{tr(lang, 'delegationsPage.none')}</p>
    ) : (
      <table data-testid={testId}>
        <TableHead lang={lang} vi={['Người ủy quyền', 'Người được ủy quyền', 'Phạm vi', 'Từ ngày', 'Đến ngày', 'Lý do', 'Trạng thái', '']} en={['Principal', 'Delegate', 'Scope', 'From', 'To', 'Reason', 'State', '']} />
        <tbody>
          {list.map((d) => (
            <tr key={d.id}>
              <td>{d.principal.name}</td>
              <td>{d.delegate.name}</td>
              <td>{DELEGATION_SCOPE[d.scope][lang]}</td>
              <td>{formatDate(d.from)}</td>
              <td>{formatDate(d.to)}</td>
              <td>{d.reason}</td>
              <td>
                {DELEGATION_STATUS[d.status][lang]}
                {d.endedAt && ` (${formatDateTime(d.endedAt)})`}
              </td>
              <td>
                {d.mayEnd && (
                  <button type="button" className="secondary" onClick={() => end(d)}>
                    {tr(lang, 'delegationsPage.endNow')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  return (
    <section className="card" data-testid="delegations">
      <h2>{tr(lang, 'delegationsPage.delegation')}</h2>
      <p className="muted">
        {tr(lang, 'delegationsPage.explanation')}
      </p>
      <Message message={message} />
      {mayGive && (
        <form className="inline-form" onSubmit={submit} aria-label={tr(lang, 'delegationsPage.newDelegation')}>
          <label>
            {tr(lang, 'delegationsPage.delegate')}
            <StaffPicker value={form.delegateId} onChange={(delegateId) => setForm((f) => ({ ...f, delegateId }))} accept={(s) => s.id !== me.id} lang={lang} testId="delegate-picker" />
          </label>
          <label>
            {tr(lang, 'delegationsPage.scope')}
            <select value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value === 'sign-off' ? 'sign-off' : 'review' })}>
              <option value="review">{DELEGATION_SCOPE.review[lang]}</option>
              {me.roles.includes('leader') && <option value="sign-off">{DELEGATION_SCOPE['sign-off'][lang]}</option>}
            </select>
          </label>
          <label>
            {tr(lang, 'delegationsPage.from')}
            <DateInput required min={today} value={form.from} onChange={(from) => setForm((f) => ({ ...f, from }))} lang={lang} />
          </label>
          <label>
            {tr(lang, 'delegationsPage.to')}
            <DateInput required min={form.from} value={form.to} onChange={(to) => setForm((f) => ({ ...f, to }))} lang={lang} />
          </label>
          <label>
            {tr(lang, 'delegationsPage.reason')}
            <input required minLength={3} maxLength={1000} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </label>
          <button type="submit">{tr(lang, 'delegationsPage.delegate2')}</button>
        </form>
      )}
      <h3>{tr(lang, 'delegationsPage.given')}</h3>
      {table(givenList.items, 'delegations-given')}
      <LoadMore next={givenList.next} onMore={givenList.more} lang={lang} testId="more-given" />
      <h3>{tr(lang, 'delegationsPage.received')}</h3>
      {table(receivedList.items, 'delegations-received')}
      <LoadMore next={receivedList.next} onMore={receivedList.more} lang={lang} testId="more-received" />
      {me.roles.includes('admin') && (
        <>
          <h3>{tr(lang, 'delegationsPage.allOtherDelegations')}</h3>
          {table(others, 'delegations-all')}
          <LoadMore next={allList.next} onMore={allList.more} lang={lang} testId="more-delegations" />
        </>
      )}
    </section>
  )
}
