import type { InferResponseType } from 'hono/client'
import type { client } from '../client'
import { formatDateTime, formatNumber, type Lang, tr } from '../i18n'

/** A declared indicator of the evaluation and the value its system sent (GET /api/evaluations/:id `indicators`). */
export type IndicatorValue = Pick<InferResponseType<(typeof client.api.evaluations)[':id']['$get'], 200>['indicators'][number], 'path' | 'code' | 'unit' | 'label' | 'value' | 'updatedAt' | 'locked' | 'source'>

/** The evaluation's indicators from connected systems, read-only, each with where it comes from and when it locks. */
export function IndicatorValues({ indicators, lang }: { indicators: IndicatorValue[]; lang: Lang }) {
  if (!indicators.length) return null
  return (
    <div className="card" data-testid="indicator-values">
      <h3>{tr(lang, 'indicatorValues.indicatorsFromConnectedSystemsRead')}</h3>
      <ul>
        {indicators.map((x) => (
          <li key={x.path}>
            {x.label ? x.label[lang] : x.code}:{' '}
            <strong>{x.value === null ? (tr(lang, 'indicatorValues.notYetReceived')) : `${formatNumber(x.value, lang)} ${x.unit}`}</strong> <span className="muted">— {x.source[lang]}{x.updatedAt ? ` · ${tr(lang, 'indicatorValues.received')} ${formatDateTime(x.updatedAt)}` : ''}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
