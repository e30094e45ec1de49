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
  const { assessment: review, ...over } = adjustments ?? {}
  const merged = deepMerge(deepMerge(data, over), extra)
  if (review !== undefined) merged['review'] = review
  return { ...merged, role: ruleRole }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const b = out[k]
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v
  }
  return out
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
