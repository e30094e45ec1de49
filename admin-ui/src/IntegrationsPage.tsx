import { tr } from './i18n'
import { useCallback, useEffect, useState } from 'react'
import { api } from './api'
import type { Lang } from './i18n'
import { CallsPanel } from './integrations/CallsPanel'
import { IndicatorsPanel } from './integrations/IndicatorsPanel'
import { NationalDbPanel } from './integrations/NationalDbPanel'
import { SystemsPanel } from './integrations/SystemsPanel'
import type { CallView, SystemView } from './integrations/types'

/** The admin's connections: connected systems, keys, last calls, rejected rows, sync status. */
export function IntegrationsPage({ lang }: { lang: Lang }) {
  const [systems, setSystems] = useState<SystemView[]>([])
  const [calls, setCalls] = useState<CallView[]>([])
  const load = useCallback(async () => {
    setSystems(await api<SystemView[]>('GET', '/api/integrations/systems'))
    setCalls(await api<CallView[]>('GET', '/api/integrations/calls?limit=50'))
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  return (
    <>
      <h2>{tr(lang, 'integrationsPage.connectedSystems')}</h2>
      <SystemsPanel lang={lang} systems={systems} reload={load} />
      <CallsPanel lang={lang} calls={calls} />
      <IndicatorsPanel lang={lang} />
      <NationalDbPanel lang={lang} />
    </>
  )
}
