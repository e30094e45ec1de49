import type { InferResponseType } from 'hono/client'
import { useCallback, useEffect, useState } from 'react'
import type { client } from './client'
import { formatDateTime, type Lang, tr } from './i18n'

/** A notification as `GET /api/notifications` lists it (the server's zod schema, through the typed client). */
type Notice = InferResponseType<typeof client.api.notifications.$get, 200>[number]

/**
 * The typed client, loaded when first used: the bell is in the header of every screen, and the
 * sign-in bundle stays without it.
 */
const typedClient = () => import('./client')

/** One page of my notifications, newest first, and the cursor of the next (older) page, if any. */
async function noticesPage(query: { unread?: 'true'; before?: string; limit: string }): Promise<{ items: Notice[]; before: string | null }> {
  const { client, ok } = await typedClient()
  const res = await client.api.notifications.$get({ query })
  const items = await ok(res)
  const next = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1]
  return { items, before: next ? new URL(next, 'http://x').searchParams.get('before') : null }
}

/** How many notifications wait unread (for the bell), refreshed every minute and after a read. */
export function useUnreadCount(): [number, () => void] {
  const [count, setCount] = useState(0)
  const refresh = useCallback(() => {
    // A count, not a list: one page of at most 100 unread is enough to say "99+".
    noticesPage({ unread: 'true', limit: '100' }).then(
      (p) => setCount(p.items.length + (p.before ? 1 : 0)),
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
  const load = useCallback(async (before?: string) => {
    const pageOf = await noticesPage({ limit: '50', ...(before ? { before } : {}) })
    setItems((shown) => (before ? [...shown, ...pageOf.items] : pageOf.items))
    setNext(pageOf.before)
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  const markRead = async (body: { ids: number[] } | { all: true }) => {
    const { client, ok } = await typedClient()
    await ok(client.api.notifications.read.$post({ json: body }))
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
        <button className="secondary" data-testid="more" onClick={() => void load(next)}>
          {tr(lang, 'notificationsPage.showMore')}
        </button>
      )}
    </section>
  )
}
