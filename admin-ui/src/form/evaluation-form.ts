import type { RJSFSchema } from '@rjsf/utils'

/**
 * How the evaluation page splits a rule set's form: Mẫu 01's own table takes the general criteria
 * and the person's review, react-jsonschema-form the rest (product lines). And what the authority
 * sends at approval. Pure functions.
 */

type Doc = Record<string, unknown>

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Stages from which the authority has approved: their column is filled from then on. */
export const REVIEWED_STAGES = new Set(['AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED'])

/** `base` with `over` on top, objects merged key by key (as the server applies adjustments). */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over
  const out: Doc = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v)
  return out
}

/** The authority's general scores: the person's, with the authority's adjustments on top. */
export function authorityGeneral(data: Doc, adjustments: Doc | null): Doc {
  return { general: deepMerge(data['general'] ?? {}, adjustments?.['general']) }
}

/** The schema react-jsonschema-form renders: without the parts Mẫu 01's table shows itself. */
export function withoutKeys(schema: RJSFSchema, keys: string[]): RJSFSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !keys.includes(k)))
  return { ...schema, properties, required: (schema.required ?? []).filter((k) => !keys.includes(k)) }
}

/** The uiSchema for that schema: its ui:order may only name properties the schema still has (or '*'). */
export function uiWithoutKeys(ui: Doc, keys: string[]): Doc {
  const order = Array.isArray(ui['ui:order']) ? (ui['ui:order'] as unknown[]).filter((k) => typeof k === 'string' && !keys.includes(k)) : undefined
  const rest = Object.fromEntries(Object.entries(ui).filter(([k]) => !keys.includes(k) && k !== 'ui:order'))
  return order ? { ...rest, 'ui:order': order } : rest
}

/** A field of the person's review set, or removed when blank (an empty level is no level). */
export function withAssessment(data: Doc, key: string, value: string): Doc {
  const own = isObject(data['assessment']) ? { ...data['assessment'] } : {}
  if (value === '' && key === 'proposedLevel') delete own[key]
  else own[key] = value
  return { ...data, assessment: own }
}

/**
 * The approval: the authority's scores as `adjustments.general` when they differ from the
 * person's (the whole group structure, same shape), their comment and level as
 * `adjustments.assessment`, and the comment also as the approval's comment (the round's record).
 * `previous`: the adjustments the evaluation holds from an earlier approval.
 */
export function approvalBody(data: Doc, authority: Doc, review: { comment?: string; proposedLevel?: string } | null, previous: Doc | null = null): Doc {
  const adjustments: Doc = {}
  if (JSON.stringify(authority['general']) !== JSON.stringify(data['general'])) adjustments['general'] = authority['general']
  const comment = review?.comment?.trim() ?? ''
  const level = review?.proposedLevel ?? ''
  if (review && (comment || level)) adjustments['assessment'] = { ...(comment ? { comment } : {}), ...(level ? { proposedLevel: level } : {}) }
  // Adjustments made at an earlier approval are replaced, not kept, when the authority now sends none.
  const send = Object.keys(adjustments).length > 0 || (previous !== null && Object.keys(previous).length > 0)
  return { ...(comment ? { comment } : {}), ...(send ? { adjustments } : {}) }
}
