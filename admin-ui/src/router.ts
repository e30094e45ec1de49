import { useSyncExternalStore } from 'react'

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}
const currentHash = () => window.location.hash

/**
 * The page, from the URL hash: #/evaluations/12 → ['evaluations', '12']. Read through
 * useSyncExternalStore, which checks the hash again when it subscribes: a link clicked while the
 * page's first render was still waiting for a screen's code (so before any listener was attached)
 * is not lost.
 */
export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribe, currentHash)
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean)
}

export const go = (path: string) => {
  window.location.hash = path
}
