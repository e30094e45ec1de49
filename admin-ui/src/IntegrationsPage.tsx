import { tr } from './i18n'
import { useCallback, useEffect, useState } from 'react'
import { client, ok } from './client'
import type { Lang } from './i18n'
import { CallsPanel } from './integrations/CallsPanel'
import { IndicatorsPanel } from './integrations/IndicatorsPanel'
import { NationalDbPanel } from './integrations/NationalDbPanel'
import { SystemsPanel } from './integrations/SystemsPanel'
import { usePagedList } from './paged-list'
import type { CallView, SystemView } from './integrations/views'

/** The admin's connections: connected systems, keys, last calls, rejected rows, sync status. */
export function IntegrationsPage({ lang }: { lang: Lang }) {
  const [systems, setSystems] = useState<SystemView[]>([])
  const calls = usePagedList<CallView>('/api/integrations/calls?limit=50')
  const reloadCalls = calls.reload
  const loadSystems = useCallback(async () => setSystems(await ok(client.api.integrations.systems.$get())), [])
  /** After an action on a system: the systems and the first page of calls again. */
  const load = useCallback(async () => {
    await loadSystems()
    await reloadCalls()
  }, [loadSystems, reloadCalls])
  useEffect(() => {
    void loadSystems()
  }, [loadSystems])
  return (
    <>
      <h2>{tr(lang, 'integrationsPage.connectedSystems')}</h2>
      <SystemsPanel lang={lang} systems={systems} reload={load} />
      <CallsPanel lang={lang} calls={calls.items} next={calls.next} onMore={calls.more} />
      <IndicatorsPanel lang={lang} />
      <NationalDbPanel lang={lang} />
    </>
  )
}
