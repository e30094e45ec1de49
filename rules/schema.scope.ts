import type { Scope } from './logic.check.js'

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: boolean | JsonSchema }

/**
 * The scope of a rule set's formulas: paths of its input JSON Schema, plus names computed so far.
 * `extra` adds names valid in a narrower place (e.g. `$` for the whole scope inside a note over items).
 */
export function schemaScope(schema: unknown, computed: ReadonlySet<string>, extra: Record<string, Scope> = {}): Scope {
  const root = schema as JsonSchema
  return {
    resolve(path) {
      const [head, ...rest] = path.split('.')
      if (head === undefined) return { ok: false }
      if (head in extra) return rest.length ? extra[head]!.resolve(rest.join('.')) : { ok: true, item: extra[head]! }
      if (computed.has(head) && rest.length === 0) return { ok: true }
      return walk(root, [head, ...rest])
    },
  }
}

function walk(schema: JsonSchema | undefined, segments: string[]): { ok: boolean; item?: Scope } {
  let node = schema
  for (const seg of segments) {
    if (!node) return { ok: false }
    if (/^\d+$/.test(seg) && node.items) node = node.items
    else if (node.properties && seg in node.properties) node = node.properties[seg]
    else if (node.additionalProperties && typeof node.additionalProperties === 'object') node = node.additionalProperties
    else return { ok: false }
  }
  const items = node?.items
  return { ok: true, ...(items ? { item: schemaScope(items, new Set()) } : {}) }
}
