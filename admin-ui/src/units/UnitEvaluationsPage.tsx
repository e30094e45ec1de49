import { tr } from '../i18n'
import { useEffect, useState } from 'react'
import { allPages, client } from '../client'
import type { Lang } from '../i18n'
import { UnitEvaluationsTable, type UnitEvaluationItem } from './UnitEvaluationsTable'

/** "Đánh giá đơn vị": every unit evaluation the user is party to (admins: all), newest cycle first. */
export function UnitEvaluationsPage({ lang }: { lang: Lang }) {
  const [rows, setRows] = useState<UnitEvaluationItem[] | null>(null)
  useEffect(() => {
    allPages(client.api['unit-evaluations'].$get, {}).then((r) => setRows([...r].sort((a, b) => b.cycleId - a.cycleId || a.unitName.localeCompare(b.unitName, 'vi'))), () => setRows([]))
  }, [])
  return (
    <section className="card">
      <h2>{tr(lang, 'unitEvaluationsPage.unitEvaluations')}</h2>
      <p className="muted">
        {tr(lang, 'unitEvaluationsPage.explanation')}
      </p>
      {rows === null ? null : rows.length ? <UnitEvaluationsTable rows={rows} lang={lang} /> : <p>{tr(lang, 'unitEvaluationsPage.noUnitEvaluationYet')}</p>}
    </section>
  )
}
