import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { RuleSetDefinition } from './ruleset.types.js'

export interface InputError {
  path: string
  message: string
}

const ajv = new Ajv({ allErrors: true, strict: false })
const cache = new WeakMap<object, ValidateFunction>()

/** Validates an evaluation document against the rule set's input schema. */
export function validateInputs(ruleSet: RuleSetDefinition, inputs: unknown): InputError[] {
  let validate = cache.get(ruleSet.inputSchema)
  if (!validate) {
    validate = ajv.compile(ruleSet.inputSchema)
    cache.set(ruleSet.inputSchema, validate)
  }
  if (validate(inputs)) return []
  return (validate.errors ?? []).map(toInputError)
}

function toInputError(e: ErrorObject): InputError {
  const path = e.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') || '(root)'
  const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : ''
  return { path, message: `${e.message ?? e.keyword}${extra}` }
}
