/** Seeded random mutations of a rule set, for fuzzing validation and comparing engines. */
export function* mutants(base: object, count: number, seed: number): Generator<Record<string, unknown>> {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!
  const junk = [null, 0, -1, 1e308, 'x', '', true, [], {}, { eval: 1 }, { var: 'nope' }, { method: ['x', 'y'] }, { '+': [] }, { if: [] }, [1, [2, [3]]], { var: ['products'] }, { '/': [1, 0] }, { '*': [{ var: 'A' }, 0.5] }, 7.25]
  for (let n = 0; n < count; n++) {
    const def = JSON.parse(JSON.stringify(base)) as Record<string, unknown>
    for (let m = 0; m < 1 + Math.floor(random() * 3); m++) mutate(def, random, pick, junk)
    yield def
  }
}

/** Replaces one random node of the tree (object value or array element) with junk or a sibling. */
function mutate(root: Record<string, unknown>, random: () => number, pick: <T>(l: T[]) => T, junk: unknown[]): void {
  let node: unknown = root
  for (let depth = 0; depth < 12; depth++) {
    const entries = node && typeof node === 'object' ? Object.keys(node) : []
    if (!entries.length) return
    const key = pick(entries)
    const child = (node as Record<string, unknown>)[key]
    if (random() < 0.3 || !child || typeof child !== 'object') {
      ;(node as Record<string, unknown>)[key] = random() < 0.8 ? JSON.parse(JSON.stringify(pick(junk))) : undefined
      return
    }
    node = child
  }
}

const SWAPPABLE = ['+', '-', '*', 'min', 'max']

/** Variants that stay well-formed: numbers in formulas nudged, arithmetic operations swapped. */
export function* formulaVariants(base: { computed: unknown[] }, count: number, seed: number): Generator<Record<string, unknown>> {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const tweak = (node: unknown): unknown => {
    if (typeof node === 'number') return random() < 0.3 ? Math.round(node * (0.5 + random()) * 100) / 100 : node
    if (Array.isArray(node)) return node.map(tweak)
    if (node && typeof node === 'object') {
      const [op, args] = Object.entries(node)[0]!
      const swapped = SWAPPABLE.includes(op) && random() < 0.2 ? SWAPPABLE[Math.floor(random() * SWAPPABLE.length)]! : op
      return { [swapped]: op === 'var' ? args : tweak(args) }
    }
    return node
  }
  for (let n = 0; n < count; n++) {
    const def = JSON.parse(JSON.stringify(base)) as { computed: { formula?: unknown }[] }
    for (const c of def.computed) if ('formula' in c && random() < 0.5) c.formula = tweak(c.formula)
    yield def
  }
}
