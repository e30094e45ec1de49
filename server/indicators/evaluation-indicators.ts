import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { Db } from '../db/database.js'
import { effectiveInputs } from '../evaluations/effective-inputs.js'
import { evaluationIndicators } from './prefill.repo.js'
import { fillIndicators, indicatorAdjustments, type IndicatorInput } from './prefill.js'

type Ev = { cycle_id: number; staff_id: number; unit_id: number; rule_role: 'staff' | 'leader'; adjustments: Record<string, unknown> | null }

/**
 * The evaluation's document with the system's indicator values at their declared paths: what a save
 * or a submission records. Staff cannot set them: whatever the request holds there is replaced
 * (or removed, while no value has come).
 */
export async function withIndicators(db: Db, ev: Ev, definition: RuleSetDefinition, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!definition.externalInputs?.length) return data
  return fillIndicators(data, await evaluationIndicators(db, ev, definition))
}

/**
 * The adjustments an approval records: the reviewer's, plus any indicator value that changed after
 * the submission (a correction before the closing day), so the document of record holds it. The
 * reviewer's own adjustments unchanged when nothing changed.
 */
export async function approvalAdjustments(db: Db, ev: Ev & { data: Record<string, unknown> }, definition: RuleSetDefinition, adjustments: Record<string, unknown> | null): Promise<Record<string, unknown> | null> {
  if (!definition.externalInputs?.length) return adjustments
  const inputs = await evaluationIndicators(db, ev, definition)
  return indicatorAdjustments(effectiveInputs(ev.data, adjustments, ev.rule_role), adjustments, inputs) ?? adjustments
}

/** What the evaluation page shows of its indicators: each value with its source, and the form's fields for them read-only. */
export async function indicatorView(db: Db, ev: Ev & { stage: string; data: Record<string, unknown> }, definition: RuleSetDefinition, uiSchema: Record<string, unknown>) {
  if (!definition.externalInputs?.length) return { indicators: [] as IndicatorInput[], data: ev.data, uiSchema }
  const indicators = await evaluationIndicators(db, ev, definition)
  return {
    indicators,
    // While the person edits, the form shows what the next save will record.
    data: ev.stage === 'SELF_ASSESSMENT' ? fillIndicators(ev.data, indicators) : ev.data,
    uiSchema: indicators.reduce((ui, x) => readOnlyAt(ui, x.path.split('.'), x.source.vi), uiSchema),
  }
}

/** The uiSchema with the field at a path read-only, its source as help text. */
function readOnlyAt(ui: Record<string, unknown>, path: string[], help: string): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]]
  const child = (ui[head] && typeof ui[head] === 'object' ? ui[head] : {}) as Record<string, unknown>
  return { ...ui, [head]: rest.length ? readOnlyAt(child, rest, help) : { ...child, 'ui:readonly': true, 'ui:help': help } }
}
