import type { ExternalInput } from '../../rules/ruleset.types.js'
import { closesAt, closingLabel } from './closing.js'

/** A value a system sent for one evaluation's declared input. */
export interface IndicatorValue {
  value: number
  receivedAt: Date
  updatedAt: Date
}

/** A declared input of an evaluation's rule set, with its value (or none yet) and where it comes from. */
export interface IndicatorInput {
  path: string
  system: string
  systemName: string
  code: string
  unit: string
  scope: 'person' | 'unit'
  label: ExternalInput['label'] | null
  value: number | null
  receivedAt: Date | null
  updatedAt: Date | null
  /** 23:59:59 Asia/Ho_Chi_Minh of the closing day. */
  closesAt: Date
  locked: boolean
  /** "Hệ thống một cửa · TTHC_DUNG_HAN · khóa 05/12/2026". */
  source: { vi: string; en: string }
}

/**
 * Pairs each declared external input of a rule set with the value its system sent for the
 * evaluation's subject and period (pure): the value of record is the latest one received before the
 * closing date — after it, nothing changes it (late values are refused on arrival).
 */
export function indicatorInputs(
  declared: readonly ExternalInput[],
  periodEnd: string,
  valueOf: (x: ExternalInput) => IndicatorValue | undefined,
  systemName: (code: string) => string | undefined,
  now: Date,
): IndicatorInput[] {
  return declared.map((x) => {
    const v = valueOf(x)
    const at = closesAt(periodEnd, x.closingDay)
    const locked = now.getTime() > at.getTime()
    const day = closingLabel(periodEnd, x.closingDay)
    const name = systemName(x.system) ?? x.system
    return {
      path: x.path,
      system: x.system,
      systemName: name,
      code: x.code,
      unit: x.unit,
      scope: x.scope,
      label: x.label ?? null,
      value: v?.value ?? null,
      receivedAt: v?.receivedAt ?? null,
      updatedAt: v?.updatedAt ?? null,
      closesAt: at,
      locked,
      source: locked ? { vi: `${name} · ${x.code} · khóa ${day}`, en: `${name} · ${x.code} · locked ${day}` } : { vi: `${name} · ${x.code} · tạm tính, khóa ${day}`, en: `${name} · ${x.code} · provisional, locks ${day}` },
    }
  })
}

/**
 * The document with the system's values at the declared paths (pure): an input with a value takes
 * it, whatever the document said; one without a value is removed — staff never declare an
 * indicator themselves. Every other input is kept as it is.
 */
export function fillIndicators(data: Record<string, unknown>, inputs: readonly Pick<IndicatorInput, 'path' | 'value'>[]): Record<string, unknown> {
  let out = data
  for (const x of inputs) out = setPath(out, x.path.split('.'), x.value)
  return out
}

/**
 * What an approval must carry so the document of record holds the current values: the inputs whose
 * value changed after submission (a correction before the closing day), as adjustments over the
 * reviewer's own. Null when nothing changed. Inputs without a value leave the reviewer's word.
 */
export function indicatorAdjustments(effective: Record<string, unknown>, adjustments: Record<string, unknown> | null, inputs: readonly Pick<IndicatorInput, 'path' | 'value'>[]): Record<string, unknown> | null {
  const changed = inputs.filter((x) => x.value !== null && getPath(effective, x.path.split('.')) !== x.value)
  if (!changed.length) return null
  let out = adjustments ?? {}
  for (const x of changed) out = setPath(out, x.path.split('.'), x.value)
  return out
}

/** The value at a path of a document (undefined when a step is missing). */
export function getPath(doc: unknown, path: string[]): unknown {
  let node = doc
  for (const seg of path) node = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined
  return node
}

/** A copy with the value at the path (null removes it; an emptied parent object stays, empty). */
function setPath(doc: Record<string, unknown>, path: string[], value: number | null): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]]
  if (!rest.length) {
    if (value !== null) return { ...doc, [head]: value }
    if (!(head in doc)) return doc
    const { [head]: _gone, ...kept } = doc
    return kept
  }
  const child = doc[head]
  const base = child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}
  if (value === null && !(child && typeof child === 'object')) return doc
  return { ...doc, [head]: setPath(base, rest, value) }
}
