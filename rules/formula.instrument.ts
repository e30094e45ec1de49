/**
 * Rewrites a formula so that running it counts its steps: each operation is wrapped in
 * `{ "__step": [op] }` and the array an iterating operation walks over in `{ "__items": [array] }`.
 * Both return their argument unchanged, so the rewritten formula computes exactly what the
 * original does, in either engine. Authors cannot write these names: they are not on the
 * allow-list of operations (logic.check.ts).
 */

export const STEP = '__step'
export const ITEMS = '__items'

/** Operations whose first argument is the array they walk over. */
const ITERATING = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none'])

/** The formula with its steps made countable. `var` alone is not wrapped: a look-up is cheap and it is the most frequent node. */
export function instrument(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(instrument)
  if (node === null || typeof node !== 'object') return node
  const keys = Object.keys(node)
  if (keys.length !== 1) return node
  const op = keys[0]!
  const raw = (node as Record<string, unknown>)[op]
  if (op === 'var') return Array.isArray(raw) ? { var: raw.map(instrument) } : node
  let args: unknown
  if (ITERATING.has(op) && Array.isArray(raw) && raw.length > 0) {
    args = [{ [ITEMS]: [instrument(raw[0])] }, ...raw.slice(1).map(instrument)]
  } else {
    args = Array.isArray(raw) ? raw.map(instrument) : instrument(raw)
  }
  return { [STEP]: [{ [op]: args }] }
}
