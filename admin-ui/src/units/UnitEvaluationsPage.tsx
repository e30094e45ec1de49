import { tr } from '../i18n'
import type { Lang } from '../i18n'
import { LoadMore, usePagedList } from '../paged-list'
import { UnitEvaluationsTable, type UnitEvaluationItem } from './UnitEvaluationsTable'

/** "Đánh giá đơn vị": every unit evaluation the user is party to (admins: all), newest first, a page at a time. */
export function UnitEvaluationsPage({ lang }: { lang: Lang }) {
  const { items: rows, next, more } = usePagedList<UnitEvaluationItem>('/api/unit-evaluations?newestFirst=true&limit=50')
  return (
    <section className="card">
      <h2>{tr(lang, 'unitEvaluationsPage.unitEvaluations')}</h2>
      <p className="muted">
        {tr(lang, 'unitEvaluationsPage.explanation')}
      </p>
      {rows.length ? <UnitEvaluationsTable rows={rows} lang={lang} /> : <p>{tr(lang, 'unitEvaluationsPage.noUnitEvaluationYet')}</p>}
      <LoadMore next={next} onMore={more} lang={lang} testId="more-unit-evaluations" />
    </section>
  )
}
