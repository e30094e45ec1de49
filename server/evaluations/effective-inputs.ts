/**
 * The document a rule set scores: the staff member's data, the reviewer's adjustments on top, the
 * role fixed by the org.
 *
 * Adjustments override the self-assessment where they overlap (`adjustments.general` holds the
 * authority's scores in the same shape, and those are the ones scored). One key is the
 * authority's own and never overrides the person's: `adjustments.assessment` (the authority's
 * comment and proposed level, Mẫu 01) is scored as `review`, beside the person's own
 * `assessment`, so the rule set's input schema checks it like any other input.
 */
export function effectiveInputs(
  data: Record<string, unknown>,
  adjustments: Record<string, unknown> | null | undefined,
  ruleRole: 'staff' | 'leader',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  // One copy of the document's top level, merged into in place (simulation builds 50,000 of these).
  const out: Record<string, unknown> = { ...data }
  let review: unknown
  if (adjustments) {
    for (const k of Object.keys(adjustments)) {
      if (k === 'assessment') review = adjustments[k]
      else mergeKey(out, k, adjustments[k])
    }
  }
  for (const k of Object.keys(extra)) mergeKey(out, k, extra[k])
  if (review !== undefined) out['review'] = review
  out['role'] = ruleRole
  return out
}

/** Sets `out[k]` to `v`, merged into what `out[k]` holds where both are plain objects (never changing the objects it was given). */
function mergeKey(out: Record<string, unknown>, k: string, v: unknown): void {
  const b = out[k]
  out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const k of Object.keys(over)) mergeKey(out, k, over[k])
  return out
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
