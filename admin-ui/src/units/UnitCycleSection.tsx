import { tr } from '../i18n'
import { useEffect, useState } from 'react'
import { allPages, client } from '../client'
import type { Lang } from '../i18n'
import type { InferResponseType } from 'hono/client'
import { UnitEvaluationsTable, type UnitEvaluationItem } from './UnitEvaluationsTable'

/** On a unit cycle's page: its units — each to its form — with their stage, then their results. */
export function UnitCycleSection({ cycleId, lang }: { cycleId: number; lang: Lang }) {
  const [rows, setRows] = useState<UnitEvaluationItem[]>([])
  useEffect(() => {
    allPages(client.api['unit-evaluations'].$get, { cycleId: String(cycleId) }).then(setRows, () => setRows([]))
  }, [cycleId])
  if (!rows.length) return null
  return (
    <>
      <h3>{tr(lang, 'unitCycleSection.unitsEvaluated')}</h3>
      <UnitEvaluationsTable rows={rows} lang={lang} showCycle={false} />
    </>
  )
}

/** Why a head's level was lowered to their unit's (a result of GET /api/cycles/:id/results). */
type LeaderCap = NonNullable<InferResponseType<(typeof client.api.cycles)[':id']['results']['$get'], 200>['results'][number]['cap']>

/** Beside a head's final level in a personal cycle's results: lowered to the unit's level, and why. */
export function CapNote({ cap, lang }: { cap: LeaderCap; lang: Lang }) {
  return (
    <span className="muted" data-testid="leader-cap" title={cap.text[lang]}>
      {' '}
      ({cap.text[lang]})
    </span>
  )
}
