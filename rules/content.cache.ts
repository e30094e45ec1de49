/**
 * What is built from (part of) a rule set — compiled formulas, a schema validator — kept by
 * object and by content. The server reads a rule set anew for each request, a new object every
 * time, and a simulation's candidate is a copy with a few changes: looked up by its content, each
 * finds what an equal one built, so nothing is compiled per call and the same compiled (and by
 * then optimised) functions run. The content key is the JSON of exactly what the build reads, key
 * order kept.
 */
export interface ContentCache<K extends object, V> {
  get(source: K): V
}

export function contentCache<K extends object, V>(options: {
  /** The JSON of what `build` reads from the source. */
  key: (source: K) => string
  build: (source: K) => V
  /** Contents kept (the least recently used is dropped first): rule-set versions in use at once are few. */
  limit?: number
  /** Called with what is dropped, to free what it holds elsewhere. */
  dropped?: (value: V, source: K) => void
}): ContentCache<K, V> {
  const byObject = new WeakMap<K, V>()
  const byContent = recentlyUsed<{ value: V; source: K }>(options.limit ?? 64, (entry) => options.dropped?.(entry.value, entry.source))
  return {
    get(source) {
      const known = byObject.get(source)
      if (known !== undefined) return known
      const { value } = byContent.get(options.key(source), () => ({ value: options.build(source), source }))
      byObject.set(source, value)
      return value
    },
  }
}

/** A map of at most `limit` entries by key, built on first use; the least recently used is dropped first. */
export function recentlyUsed<V>(limit: number, dropped?: (value: V) => void): { get(key: string, build: () => V): V } {
  const entries = new Map<string, V>()
  return {
    get(key, build) {
      let value = entries.get(key)
      if (value !== undefined) entries.delete(key) // set again below: most recently used last
      else {
        value = build()
        const oldest = entries.keys().next()
        if (entries.size >= limit && !oldest.done) {
          const out = entries.get(oldest.value)!
          entries.delete(oldest.value)
          dropped?.(out)
        }
      }
      entries.set(key, value)
      return value
    },
  }
}

/**
 * The JSON of a value as a cache key, keeping apart what JSON would merge: undefined (a present
 * but undefined property is not a missing one to `'weights' in item`), NaN, ±Infinity and -0.
 */
export function contentKey(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v === undefined || (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) ? `\u0000${Object.is(v, -0) ? '-0' : String(v)}` : v))
}
