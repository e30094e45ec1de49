import { useCallback, useEffect, useRef, useState } from 'react'
import { apiPage } from './api'
import { tr, type Lang } from './i18n'

export interface PagedList<T> {
  items: T[]
  /** The path of the next page, while there is one. */
  next: string | null
  /** Appends the next page. */
  more: () => Promise<void>
  /** Reads the first page again. */
  reload: () => Promise<void>
  /** Changes the rows loaded (an edited row), without a round trip. */
  update: (change: (items: T[]) => T[]) => void
}

/**
 * A list the server pages (`Link: rel="next"`): its first page, read again whenever the path changes
 * (a search typed), and the next pages on demand. An answer that comes back after a newer request is dropped.
 */
export function usePagedList<T>(path: string | null): PagedList<T> {
  const [state, setState] = useState<{ items: T[]; next: string | null }>({ items: [], next: null })
  const latest = useRef(0)
  const reload = useCallback(async () => {
    const request = ++latest.current
    const pageOf = path ? await apiPage<T>(path) : { items: [], next: null }
    if (request === latest.current) setState(pageOf)
  }, [path])
  const more = useCallback(async () => {
    if (!state.next) return
    const request = ++latest.current
    const pageOf = await apiPage<T>(state.next)
    if (request === latest.current) setState((s) => ({ items: [...s.items, ...pageOf.items], next: pageOf.next }))
  }, [state.next])
  const update = useCallback((change: (items: T[]) => T[]) => setState((s) => ({ ...s, items: change(s.items) })), [])
  useEffect(() => {
    void reload()
  }, [reload])
  return { items: state.items, next: state.next, more, reload, update }
}

/** "Tải thêm": the next page of a list, shown while there is one. */
export function LoadMore({ next, onMore, lang, testId = 'load-more' }: { next: string | null; onMore: () => Promise<void>; lang: Lang; testId?: string }) {
  if (!next) return null
  return (
    <button type="button" className="secondary" data-testid={testId} onClick={() => void onMore()}>
      {tr(lang, 'paging.loadMore')}
    </button>
  )
}
