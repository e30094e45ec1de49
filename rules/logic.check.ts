/**
 * Static checks of one JSON Logic formula: an allow-list of operations (no `method`, nothing
 * unknown, one key per operation object) and every `var` path resolvable in its scope.
 */

export const ALLOWED_OPERATIONS = new Set([
  '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', 'or', 'and', '?:', 'if', 'in', 'cat', 'substr',
  '+', '-', '*', '/', '%', 'min', 'max', 'merge', 'var', 'missing', 'missing_some', 'map', 'filter', 'reduce', 'all', 'none', 'some',
])

/** Operations whose second argument runs once per item of the array in the first. */
const ITERATING = new Set(['map', 'filter', 'all', 'none', 'some'])

export interface LogicIssue {
  /** Path inside the formula, e.g. `if[1].var`. */
  at: string
  message: string
}

/** What `var` may name in a scope: `resolve(path)` says whether the path exists, and gives the scope of array items. */
export interface Scope {
  resolve(path: string): { ok: boolean; item?: Scope }
}

export const LIMITS = { depth: 64, arrayLength: 1000 } as const

export function checkLogic(formula: unknown, scope: Scope): LogicIssue[] {
  const issues: LogicIssue[] = []
  visit(formula, scope, '', 0, issues)
  return issues
}

function visit(node: unknown, scope: Scope, at: string, depth: number, issues: LogicIssue[]): void {
  if (depth > LIMITS.depth) {
    issues.push({ at, message: `nested deeper than ${LIMITS.depth} levels` })
    return
  }
  if (Array.isArray(node)) {
    if (node.length > LIMITS.arrayLength) issues.push({ at, message: `array longer than ${LIMITS.arrayLength}` })
    node.slice(0, LIMITS.arrayLength).forEach((child, i) => visit(child, scope, `${at}[${i}]`, depth + 1, issues))
    return
  }
  if (node === null || typeof node !== 'object') return
  const keys = Object.keys(node)
  if (keys.length !== 1) {
    issues.push({ at, message: `an operation object must have exactly one key, found ${keys.length}${keys.length ? ` (${keys.slice(0, 5).join(', ')})` : ''}` })
    return
  }
  const op = keys[0]!
  const here = at ? `${at}.${op}` : op
  if (!ALLOWED_OPERATIONS.has(op)) {
    issues.push({ at: here, message: `unknown operation "${op}"` })
    return
  }
  const raw = (node as Record<string, unknown>)[op]
  const args = Array.isArray(raw) ? raw : [raw]
  if (op === 'var') {
    // The default (second argument) is a formula too: both engines evaluate it.
    args.slice(1).forEach((arg, i) => visit(arg, scope, `${here}[${i + 1}]`, depth + 1, issues))
    return checkVar(args, scope, here, issues)
  }
  if (op === 'missing' || op === 'missing_some') {
    // Names, not var paths, but an operation among them still runs: it meets the allow-list.
    args.forEach((arg, i) => visit(arg, scope, `${here}[${i}]`, depth + 1, issues))
    return
  }
  if (ITERATING.has(op) || op === 'reduce') {
    visit(args[0], scope, `${here}[0]`, depth + 1, issues)
    const itemScope = arrayItemScope(args[0], scope)
    const inner = op === 'reduce' ? reduceScope(itemScope) : (itemScope ?? anyScope)
    visit(args[1], inner, `${here}[1]`, depth + 1, issues)
    if (op === 'reduce') visit(args[2], scope, `${here}[2]`, depth + 1, issues)
    return
  }
  args.forEach((arg, i) => visit(arg, scope, `${here}[${i}]`, depth + 1, issues))
}

function checkVar(args: unknown[], scope: Scope, at: string, issues: LogicIssue[]): void {
  const path = args[0]
  if (path === undefined || path === '' || path === null) return
  if (typeof path !== 'string' && typeof path !== 'number') {
    issues.push({ at, message: 'var takes a path string' })
    return
  }
  const prototypeKey = String(path).split('.').find((part) => part === '__proto__' || part === 'constructor' || part === 'prototype')
  if (prototypeKey) {
    issues.push({ at, message: `"${path}": the key "${prototypeKey}" is not allowed in a var path` })
    return
  }
  // json-logic-engine reads `../x` as a name in an outer scope, json-logic-js as a key "..": refused, so both agree and an iteration only reaches its own items.
  if (String(path).includes('../')) {
    issues.push({ at, message: `"${path}": a var path names keys of its own scope, never "../" outer ones` })
    return
  }
  if (!scope.resolve(String(path)).ok) issues.push({ at, message: `"${path}" is not in the input schema nor a value computed before this formula` })
}

function arrayItemScope(source: unknown, scope: Scope): Scope | undefined {
  if (source && typeof source === 'object' && !Array.isArray(source) && 'var' in source) {
    const raw = (source).var
    const path = Array.isArray(raw) ? raw[0] : raw
    if (typeof path === 'string') return scope.resolve(path).item
  }
  return undefined
}

function reduceScope(item: Scope | undefined): Scope {
  return {
    resolve(path) {
      const [head, ...rest] = path.split('.')
      if (head === 'accumulator') return { ok: rest.length === 0 }
      if (head === 'current') return rest.length === 0 ? { ok: true, ...(item ? { item } : {}) } : (item ?? anyScope).resolve(rest.join('.'))
      return { ok: false }
    },
  }
}

/** A scope that accepts any path (items of arrays whose shape is not declared). */
export const anyScope: Scope = { resolve: () => ({ ok: true, item: anyScope }) }
