import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { contentCache, contentKey } from './content.cache.js'
import type { RuleSetDefinition } from './ruleset.types.js'

export interface InputError {
  path: string
  message: string
}

const ajv = new Ajv({ allErrors: true, strict: false })
/** Compiled once per schema content: Ajv itself keeps every schema object it compiled, so one per request would also pile up. */
const validators = contentCache<object, ValidateFunction>({
  key: contentKey,
  build: (schema) => ajv.compile(schema),
  dropped: (_, schema) => void ajv.removeSchema(schema),
})

/** Validates an evaluation document against the rule set's input schema. */
export function validateInputs(ruleSet: RuleSetDefinition, inputs: unknown): InputError[] {
  const validate = validators.get(ruleSet.inputSchema)
  if (validate(inputs)) return []
  return (validate.errors ?? []).map(toInputError)
}

/** The same inputs validated against each rule set's input schema: rule sets with an equal schema share one validation (and one errors array). */
export function validateInputsEach(ruleSets: RuleSetDefinition[], inputs: unknown): InputError[][] {
  const seen: { validate: ValidateFunction; errors: InputError[] }[] = []
  return ruleSets.map((r) => {
    const validate = validators.get(r.inputSchema)
    for (const s of seen) if (s.validate === validate) return s.errors
    const errors = validate(inputs) ? [] : (validate.errors ?? []).map(toInputError)
    seen.push({ validate, errors })
    return errors
  })
}

function toInputError(e: ErrorObject): InputError {
  const path = e.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') || '(root)'
  const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : ''
  return { path, message: `${e.message ?? e.keyword}${extra}` }
}
