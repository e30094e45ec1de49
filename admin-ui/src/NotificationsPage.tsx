import { useCallback, useEffect, useState } from 'react'
import { api, apiPage } from './api'
import { formatDateTime, type Lang, tr } from './i18n'

export interface Notice {
  id: number
  kind: string
  evaluationId: number | null
  /** A digest: the evaluations it covers (they wait in "my tasks"). */
  evaluationIds: number[] | null
  message: string
  messageEn: string
  createdAt: string
  readAt: string | null
}

/** How many notifications wait unread (for the bell), refreshed every minute and after a read. */
export function useUnreadCount(): [number, () => void] {
  const [count, setCount] = useState(0)
  const refresh = useCallback(() => {
    // A count, not a list: one page of at most 100 unread is enough to say "99+".
    apiPage<Notice>('/api/notifications?unread=true&limit=100').then(
      (p) => setCount(p.items.length + (p.next ? 1 : 0)),
      () => setCount(0),
    )
  }, [])
  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, 60_000)
    window.addEventListener('notifications-read', refresh)
    return () => {
      clearInterval(timer)
      window.removeEventListener('notifications-read', refresh)
    }
  }, [refresh])
  return [count, refresh]
}

/** The bell in the header: unread count, a link to the list. */
export function Bell({ lang }: { lang: Lang }) {
  const [count] = useUnreadCount()
  const label = tr(lang, 'notificationsPage.notificationsUnread', { count })
  return (
    <a href="#/notifications" className="bell" aria-label={label} title={label} data-testid="bell">
      <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" />
      </svg>
      {count > 0 && <span className="count" data-testid="unread-count">{count > 99 ? '99+' : count}</span>}
    </a>
  )
}

/** My notifications, newest first, a page at a time; each links to what it is about and is marked read when opened. */
export function NotificationsPage({ lang }: { lang: Lang }) {
  const vi = lang === 'vi'
  const [items, setItems] = useState<Notice[]>([])
  const [next, setNext] = useState<string | null>(null)
  const load = useCallback(async (path = '/api/notifications?limit=50', append = false) => {
    const pageOf = await apiPage<Notice>(path)
    setItems((before) => (append ? [...before, ...pageOf.items] : pageOf.items))
    setNext(pageOf.next)
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  const markRead = async (body: { ids: number[] } | { all: true }) => {
    await api('POST', '/api/notifications/read', body)
    const now = new Date().toISOString()
    setItems((list) => list.map((n) => ('all' in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)))
    window.dispatchEvent(new Event('notifications-read'))
  }
  return (
    <section className="card" data-testid="notifications">
      <h2>{tr(lang, 'notificationsPage.notifications')}</h2>
      {items.some((n) => !n.readAt) && (
        <button className="secondary" data-testid="read-all" onClick={() => void markRead({ all: true })}>
          {tr(lang, 'notificationsPage.markAllRead')}
        </button>
      )}
      {items.length === 0 ? (
        <p className="muted">{tr(lang, 'notificationsPage.noNotificationsYet')}</p>
      ) : (
        <ul className="notices">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-testid="notice">
              <span className="muted">{formatDateTime(n.createdAt)}</span>{' '}
              {n.evaluationId || n.evaluationIds ? (
                <a href={n.evaluationId ? `#/evaluations/${n.evaluationId}` : '#/'} onClick={() => void (n.readAt ? undefined : markRead({ ids: [n.id] }))}>
                  {vi ? n.message : n.messageEn}
                </a>
              ) : (
                <span>{vi ? n.message : n.messageEn}</span>
              )}
              {!n.readAt && (
                <button className="link" onClick={() => void markRead({ ids: [n.id] })}>
                  {tr(lang, 'notificationsPage.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button className="secondary" data-testid="more" onClick={() => void load(next, true)}>
          {tr(lang, 'notificationsPage.showMore')}
        </button>
      )}
    </section>
  )
}
