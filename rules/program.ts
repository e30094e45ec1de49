import { Constants, LogicEngine } from 'json-logic-engine'
import jsonLogic from 'json-logic-js'
import { contentKey, recentlyUsed } from './content.cache.js'
import { chargeItems, chargeStep, metered, type FormulaRef } from './formula.budget.js'
import { instrument, ITEMS, STEP } from './formula.instrument.js'
import type { RuleSetDefinition } from './ruleset.types.js'

/** One formula made callable. Never throws but for FormulaBudgetExceeded: an operation that fails (e.g. ÷ 0) yields NaN. */
export type Fn = (data: unknown) => unknown

/** Every formula of a rule set, ready to run. */
export interface Program {
  computed: (Fn | null)[]
  requirements: Fn[]
  overrides: Fn[]
  notes: { each: string | undefined; when: Fn; values: [string, Fn][] }[]
}

export type EngineName = 'compiled' | 'interpreted'

const engine = new LogicEngine()
/**
 * A counting operation compiles to a direct call of its counter on the compiled argument, rather
 * than the engine's generic `engine.methods[name].method([arg], context)` (a look-up in its table
 * of methods and an array per call). `compile` is how json-logic-engine's own operations emit
 * code; the counter is declared synchronous (else the engine awaits it); `method` stays for
 * whatever the engine runs uncompiled.
 */
function counting(method: (arg: unknown) => unknown, count: (value: unknown) => unknown) {
  const counter = Object.assign((value: unknown) => count(value), { [Constants.Sync]: true })
  type Build = { compile: (strings: TemplateStringsArray, ...items: unknown[]) => unknown }
  return { method, compile: (args: unknown[], build: Build) => build.compile`${counter}(${args[0]})` }
}
// Not deterministic, so the compiler never folds a subtree at build time: all work runs, counted, when the formula runs.
engine.addMethod(STEP, counting((value) => chargeStep(value), chargeStep), { deterministic: false, optimizeUnary: true })
engine.addMethod(ITEMS, counting((args) => chargeItems((args as unknown[])[0]), chargeItems), { deterministic: false })
jsonLogic.add_operation(STEP, (value: unknown) => chargeStep(value))
jsonLogic.add_operation(ITEMS, (value: unknown) => chargeItems(value))

const cache: Record<EngineName, WeakMap<RuleSetDefinition, Program>> = { compiled: new WeakMap(), interpreted: new WeakMap() }
/**
 * Compiled formulas by content (the formula, its path and name): a rule set read again, its next
 * version or a simulation's candidate runs the very functions (already optimised by V8) of every
 * formula it did not change, rather than compiling — and warming up — them again.
 */
const formulas: Record<EngineName, ReturnType<typeof recentlyUsed<Fn>>> = { compiled: recentlyUsed(4096), interpreted: recentlyUsed(4096) }

/**
 * The rule set's formulas as functions, each counting its steps against the budget
 * (formula.budget.ts) under its path in the rule set. `compiled` builds them once with
 * json-logic-engine (the evaluation and simulation path); `interpreted` applies them with
 * json-logic-js, the reference. A test proves both give identical results on the whole corpus.
 */
export function programOf(def: RuleSetDefinition, name: EngineName = 'compiled'): Program {
  let program = cache[name].get(def)
  if (!program) {
    const build = name === 'compiled' ? compiled : interpreted
    const make = (formula: unknown, ref: FormulaRef) => formulas[name].get(contentKey([ref.path, ref.name, formula]), () => build(formula, ref))
    program = {
      computed: def.computed.map((c, i) => ('formula' in c ? make(c.formula, { path: `computed[${i}].formula`, name: c.key }) : null)),
      requirements: def.requirements.map((r, i) => make(r.failsWhen, { path: `requirements[${i}].failsWhen`, name: r.code })),
      overrides: def.overrides.map((o, i) => make(o.when, { path: `overrides[${i}].when`, name: o.code })),
      notes: (def.notes ?? []).map((n, i) => ({
        each: n.each,
        when: make(n.when, { path: `notes[${i}].when` }),
        values: Object.entries(n.values ?? {}).map(([k, f]) => [k, make(f, { path: `notes[${i}].values.${k}` })] as [string, Fn]),
      })),
    }
    cache[name].set(def, program)
  }
  return program
}

function interpreted(formula: unknown, ref: FormulaRef): Fn {
  const counted = instrument(formula) as jsonLogic.RulesLogic
  return guarded(ref, (data) => jsonLogic.apply(counted, data))
}

function compiled(formula: unknown, ref: FormulaRef): Fn {
  const fn = engine.build(instrument(formula) as Parameters<typeof engine.build>[0]) as Fn
  // A constant or a look-up takes no step and cannot fail: nothing to meter (most note values are one).
  return lookupOnly(formula) ? fn : guarded(ref, fn)
}

/** A constant, `{ "var": "path" }` or `{ "var": ["path", constant] }`: no operation runs. */
function lookupOnly(formula: unknown): boolean {
  const constant = (x: unknown) => x === null || typeof x !== 'object'
  const path = (x: unknown) => typeof x === 'string' || typeof x === 'number'
  if (constant(formula)) return true
  if (Array.isArray(formula) || Object.keys(formula as object).length !== 1 || !('var' in (formula as object))) return false
  const arg = (formula as { var: unknown }).var
  return path(arg) || (Array.isArray(arg) && arg.length >= 1 && arg.length <= 2 && path(arg[0]) && arg.slice(1).every(constant))
}

/** Runs under the budget, in the name of `ref`; a failing operation gives NaN, a spent budget propagates. */
function guarded(ref: FormulaRef, fn: Fn): Fn {
  return metered(ref, fn, NaN)
}

/** JSON Logic truthiness (an empty array is false), the same for both engines. */
export const truthy = (value: unknown): boolean => jsonLogic.truthy(value)
