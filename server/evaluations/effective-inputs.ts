/** The document a rule set scores: the staff member's data, the reviewer's adjustments on top, the role fixed by the org. */
export function effectiveInputs(
  data: Record<string, unknown>,
  adjustments: Record<string, unknown> | null | undefined,
  ruleRole: 'staff' | 'leader',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...deepMerge(deepMerge(data, adjustments ?? {}), extra), role: ruleRole }
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
