import { LogicEngine } from 'json-logic-engine'
import jsonLogic from 'json-logic-js'
import type { RuleSetDefinition } from './ruleset.types.js'

/** One formula made callable. Never throws: an operation that fails (e.g. ÷ 0) yields NaN. */
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
const cache: Record<EngineName, WeakMap<RuleSetDefinition, Program>> = { compiled: new WeakMap(), interpreted: new WeakMap() }

/**
 * The rule set's formulas as functions. `compiled` builds them once with json-logic-engine (about
 * 3× faster: simulation of a whole cycle); `interpreted` applies them with json-logic-js, the
 * reference. A test proves both give identical results on the whole corpus.
 */
export function programOf(def: RuleSetDefinition, name: EngineName = 'compiled'): Program {
  let program = cache[name].get(def)
  if (!program) {
    const make = name === 'compiled' ? compiled : interpreted
    program = {
      computed: def.computed.map((c) => ('formula' in c ? make(c.formula) : null)),
      requirements: def.requirements.map((r) => make(r.failsWhen)),
      overrides: def.overrides.map((o) => make(o.when)),
      notes: (def.notes ?? []).map((n) => ({ each: n.each, when: make(n.when), values: Object.entries(n.values ?? {}).map(([k, f]) => [k, make(f)] as [string, Fn]) })),
    }
    cache[name].set(def, program)
  }
  return program
}

function interpreted(formula: unknown): Fn {
  return (data) => {
    try {
      return jsonLogic.apply(formula as jsonLogic.RulesLogic, data)
    } catch {
      return NaN
    }
  }
}

function compiled(formula: unknown): Fn {
  const fn = engine.build(formula as Parameters<typeof engine.build>[0]) as (data: unknown) => unknown
  return (data) => {
    try {
      return fn(data)
    } catch {
      return NaN
    }
  }
}

/** JSON Logic truthiness (an empty array is false), the same for both engines. */
export const truthy = (value: unknown): boolean => jsonLogic.truthy(value)
