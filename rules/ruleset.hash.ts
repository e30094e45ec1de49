import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal rule sets hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** sha256 of the canonical JSON: stored beside every score. */
export function ruleSetHash(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex')
}
