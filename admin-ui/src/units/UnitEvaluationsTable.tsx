import { formatDate, formatDateTime, formatNumber, LEVEL_LABELS, STAGE_LABELS, type Lang, tr } from '../i18n'
import type { InferResponseType } from 'hono/client'
import type { client } from '../client'

/** A unit evaluation as `GET /api/unit-evaluations` lists it. */
export type UnitEvaluationItem = InferResponseType<(typeof client.api)['unit-evaluations']['$get'], 200>[number]

/** Unit evaluations in a table: the unit (to its form), its head, the period, the stage or the result. */
export function UnitEvaluationsTable({ rows, lang, showCycle = true }: { rows: UnitEvaluationItem[]; lang: Lang; showCycle?: boolean }) {
  return (
    <table data-testid="unit-evaluations">
      <thead>
        <tr>
          <th>{tr(lang, 'unitEvaluationsTable.unit')}</th>
          <th>{tr(lang, 'unitEvaluationsTable.head')}</th>
          {showCycle && <th>{tr(lang, 'unitEvaluationsTable.period')}</th>}
          <th>{tr(lang, 'unitEvaluationsTable.stage')}</th>
          <th>{tr(lang, 'unitEvaluationsTable.score')}</th>
          <th>{tr(lang, 'unitEvaluationsTable.level')}</th>
          <th>{tr(lang, 'unitEvaluationsTable.due')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              <a href={`#/unit-evaluations/${r.id}`}>{r.unitName}</a>
            </td>
            <td>{r.headName}</td>
            {showCycle && (
              <td>
                {r.cycleName} ({formatDate(r.periodStart)} – {formatDate(r.periodEnd)})
              </td>
            )}
            <td>{STAGE_LABELS[r.stage]?.[lang] ?? r.stage}</td>
            <td>{formatNumber(r.total, lang)}</td>
            <td title={r.finalLevel ? LEVEL_LABELS[r.finalLevel]?.[lang] : undefined}>{r.finalLevel ?? (r.level ? `(${r.level})` : '—')}</td>
            <td className={r.overdue ? 'overdue' : ''}>{r.stage === 'CLASSIFIED' ? '' : formatDateTime(r.deadlineAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
