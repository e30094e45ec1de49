import { tr } from '../i18n'
import { useEffect, useState } from 'react'
import { allPages, client } from '../client'
import type { Lang } from '../i18n'
import { UnitEvaluationsTable, type UnitEvaluationItem } from './UnitEvaluationsTable'

/** "Đánh giá đơn vị": every unit evaluation the user is party to (admins: all), newest cycle first. */
export function UnitEvaluationsPage({ lang }: { lang: Lang }) {
  const vi = lang === 'vi'
  const [rows, setRows] = useState<UnitEvaluationItem[] | null>(null)
  useEffect(() => {
    allPages(client.api['unit-evaluations'].$get, {}).then((r) => setRows([...r].sort((a, b) => b.cycleId - a.cycleId || a.unitName.localeCompare(b.unitName, 'vi'))), () => setRows([]))
  }, [])
  return (
    <section className="card">
      <h2>{tr(lang, 'unitEvaluationsPage.unitEvaluations')}</h2>
      <p className="muted">
        {vi
          ? 'Trưởng đơn vị tự đánh giá cho đơn vị (KPI nền tảng, chức năng, đặc thù), lãnh đạo phụ trách nhận xét, Giám đốc ký duyệt. Xếp loại của người đứng đầu không cao hơn xếp loại của đơn vị.'
          : "The unit head self-assesses for the unit (foundational, functional and unit-specific KPIs), the leader in charge reviews, the director signs off. A head's own level may not exceed the unit's."}
      </p>
      {rows === null ? null : rows.length ? <UnitEvaluationsTable rows={rows} lang={lang} /> : <p>{tr(lang, 'unitEvaluationsPage.noUnitEvaluationYet')}</p>}
    </section>
  )
}
