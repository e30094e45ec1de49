import { Ajv } from 'ajv'
import { evaluateRuleSet } from './evaluate.js'
import { validateInputs } from './inputs.validate.js'
import { anyScope, checkLogic, type Scope } from './logic.check.js'
import { checkFormulaBudget, type BudgetFailure } from './ruleset.budget.js'
import { ruleSetDefinitionSchema, type RuleSetDefinition } from './ruleset.schema.js'
import { schemaScope } from './schema.scope.js'

export interface RuleSetIssue {
  /** Where in the rule set, e.g. `computed[2].formula.if[1]`. */
  path: string
  message: string
  /** Set where the issue has an error code of its own (the formula budget). */
  code?: 'FORMULA_BUDGET_EXCEEDED'
}

export const RULE_SET_MAX_BYTES = 256 * 1024
/** Whole-document nesting (formulas have their own, tighter limit). */
export const RULE_SET_MAX_DEPTH = 200

export type RuleSetValidation = { ok: true; definition: RuleSetDefinition } | { ok: false; issues: RuleSetIssue[]; overBudget?: BudgetFailure }

/** Everything checked before a rule set is saved: shape, formulas, names, weights, limits, the formula budget, and its test cases' types. */
export function validateRuleSet(raw: unknown): RuleSetValidation {
  const { depth, bytes } = measure(raw)
  if (depth > RULE_SET_MAX_DEPTH) return fail([{ path: '(root)', message: `nested deeper than ${RULE_SET_MAX_DEPTH} levels` }])
  if (bytes > RULE_SET_MAX_BYTES) return fail([{ path: '(root)', message: `rule set is about ${Math.round(bytes / 1024)} KiB, more than ${RULE_SET_MAX_BYTES / 1024} KiB` }])
  const parsed = ruleSetDefinitionSchema.safeParse(raw)
  if (!parsed.success) return fail(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })))
  const def = parsed.data
  const issues: RuleSetIssue[] = []
  const add = (path: string, message: string) => issues.push({ path, message })

  const ajv = new Ajv({ strict: false })
  try {
    ajv.compile(def.inputSchema)
  } catch (err) {
    add('inputSchema', `not a valid JSON Schema: ${(err as Error).message}`)
    return fail(issues)
  }
  const inputNames = new Set(Object.keys(((def.inputSchema as { properties?: object }).properties ?? {})))
  const computed = new Set<string>()
  def.computed.forEach((item, i) => {
    const at = `computed[${i}]`
    if (computed.has(item.key)) add(`${at}.key`, `"${item.key}" is computed twice`)
    if (inputNames.has(item.key)) add(`${at}.key`, `"${item.key}" is already an input name`)
    if ('weights' in item) {
      const scope = schemaScope(def.inputSchema, computed)
      for (const k of Object.keys(item.weights)) if (!scope.resolve(k).ok) add(`${at}.weights.${k}`, `"${k}" is not an input nor computed before this group`)
      const sum = Object.values(item.weights).reduce((a, b) => a + b, 0)
      if (Math.abs(sum - 100) > 1e-9) add(`${at}.weights`, `weights sum to ${Number(sum.toPrecision(12))}, not 100`)
    } else {
      for (const issue of checkLogic(item.formula, schemaScope(def.inputSchema, computed))) add(`${at}.formula${issue.at ? `.${issue.at}` : ''}`, issue.message)
    }
    if (item.scale && item.scale.min > item.scale.max) add(`${at}.scale`, 'min is greater than max')
    computed.add(item.key)
  })
  const full = schemaScope(def.inputSchema, computed)
  const checkAll = (formula: unknown, at: string, scope: Scope = full) => {
    for (const issue of checkLogic(formula, scope)) add(`${at}${issue.at ? `.${issue.at}` : ''}`, issue.message)
  }
  def.requirements.forEach((r, i) => checkAll(r.failsWhen, `requirements[${i}].failsWhen`))
  def.overrides.forEach((o, i) => checkAll(o.when, `overrides[${i}].when`))
  ;(def.notes ?? []).forEach((n, i) => {
    let scope = full
    if (n.each) {
      const target = full.resolve(n.each)
      if (!target.ok || !target.item) add(`notes[${i}].each`, `"${n.each}" is not an array of the inputs`)
      scope = schemaScope({}, new Set(), { $: full })
      scope = withFallback(scope, target.item ?? anyScope)
    }
    checkAll(n.when, `notes[${i}].when`, scope)
    for (const [k, f] of Object.entries(n.values ?? {})) checkAll(f, `notes[${i}].values.${k}`, scope)
  })
  checkExternalInputs(def, add)
  if (!computed.has(def.totalKey)) add('totalKey', `"${def.totalKey}" is not a computed value`)
  def.rounding.keys.forEach((k, i) => computed.has(k) || add(`rounding.keys[${i}]`, `"${k}" is not a computed value`))
  ;(def.rounding.display ?? []).forEach((k, i) => {
    if (!computed.has(k)) add(`rounding.display[${i}]`, `"${k}" is not a computed value`)
    else if (def.rounding.keys.includes(k)) add(`rounding.display[${i}]`, `"${k}" is already rounded in the arithmetic (rounding.keys)`)
  })
  def.quota.tieBreak.forEach((k, i) => computed.has(k) || add(`quota.tieBreak[${i}]`, `"${k}" is not a computed value`))
  const lowest = def.bands.filter((b) => b.min === null)
  if (lowest.length !== 1) add('bands', 'exactly one band must have no minimum (the lowest)')
  const levels = def.bands.map((b) => b.level)
  if (new Set(levels).size !== levels.length) add('bands', 'a level appears in two bands')
  if (issues.length) return fail(issues)

  const overBudget = checkFormulaBudget(def)
  if (overBudget) {
    const { error, on } = overBudget
    return { ok: false, issues: [{ path: error.path, message: `${error.message} ${on.en}`, code: 'FORMULA_BUDGET_EXCEEDED' }], overBudget }
  }

  ;(def.quotaTests ?? []).forEach((test, i) => {
    const ids = new Set(test.candidates.map((c) => c.id))
    if (ids.size !== test.candidates.length) add(`quotaTests[${i}].candidates`, 'candidate ids must be unique')
    for (const id of Object.keys(test.expect)) if (!ids.has(id)) add(`quotaTests[${i}].expect.${id}`, `no candidate "${id}"`)
  })
  ;(def.tests ?? []).forEach((test, i) => {
    for (const e of validateInputs(def, test.inputs)) add(`tests[${i}].inputs.${e.path}`, e.message)
    if (issues.length) return
    try {
      const result = evaluateRuleSet(def, test.inputs)
      for (const p of result.problems) {
        const index = def.computed.findIndex((c) => c.key === p.key)
        add(`computed[${index}].formula`, `on test "${test.name}": ${p.message}`)
      }
    } catch (err) {
      add(`tests[${i}]`, `evaluation failed: ${(err as Error).message}`)
    }
  })
  return issues.length ? fail(issues) : { ok: true, definition: def }
}

/** The JSON Schema node at a dotted input path (objects only, no array items), or undefined. */
export function inputNodeAt(schema: unknown, path: string): { type?: unknown; minimum?: number; maximum?: number } | undefined {
  let node = schema as { properties?: Record<string, unknown> } | undefined
  for (const seg of path.split('.')) {
    const next = node?.properties && Object.hasOwn(node.properties, seg) ? node.properties[seg] : undefined
    if (!next || typeof next !== 'object') return undefined
    node = next
  }
  return node as { type?: unknown; minimum?: number; maximum?: number }
}

/** External indicators: each fills a number of the input schema, once; one declaration per (system, code). */
function checkExternalInputs(def: RuleSetDefinition, add: (path: string, message: string) => void): void {
  const paths = new Set<string>()
  const codes = new Set<string>()
  ;(def.externalInputs ?? []).forEach((x, i) => {
    const at = `externalInputs[${i}]`
    const node = inputNodeAt(def.inputSchema, x.path)
    const types = node ? [node.type].flat() : []
    if (!node) add(`${at}.path`, `"${x.path}" is not in the input schema`)
    else if (!types.includes('number') && !types.includes('integer')) add(`${at}.path`, `"${x.path}" is not a number in the input schema`)
    if (x.path === 'role' || x.path.startsWith('products')) add(`${at}.path`, `"${x.path}" is set by the organisation or the work log`)
    if (paths.has(x.path)) add(`${at}.path`, `"${x.path}" is declared twice`)
    if (codes.has(`${x.system}/${x.code}`)) add(`${at}.code`, `${x.system} ${x.code} is declared twice`)
    paths.add(x.path)
    codes.add(`${x.system}/${x.code}`)
  })
}

/** Inside a note over items: names of the item first, then `$` for the whole scope. */
function withFallback(outer: Scope, item: Scope): Scope {
  return { resolve: (path) => (path === '$' || path.startsWith('$.') ? outer.resolve(path) : item.resolve(path)) }
}

/** Depth and approximate JSON size, without recursion (a hostile document may nest 100,000 levels). */
function measure(raw: unknown): { depth: number; bytes: number } {
  let depth = 0
  let bytes = 0
  const stack: [unknown, number][] = [[raw, 1]]
  while (stack.length) {
    const [node, d] = stack.pop()!
    depth = Math.max(depth, d)
    if (depth > RULE_SET_MAX_DEPTH || bytes > RULE_SET_MAX_BYTES) break
    if (typeof node === 'string') bytes += Buffer.byteLength(node) + 2
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        bytes += k.length + 4
        stack.push([v, d + 1])
      }
    } else bytes += String(node).length + 1
  }
  return { depth, bytes }
}

function fail(issues: RuleSetIssue[]): RuleSetValidation {
  return { ok: false, issues: issues.slice(0, 100) }
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '') || '(root)'
}
