import type { Lang } from './i18n'

/** The admin's connections: connected systems, keys, last calls, rejected rows, sync status. */
export function IntegrationsPage({ lang }: { lang: Lang }) {
  return <h2>{lang === 'vi' ? 'Kết nối hệ thống' : 'Connected systems'}</h2>
}
