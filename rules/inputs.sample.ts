import { LIMITS } from './logic.check.js'

/** Items an array gets when its schema sets no maxItems (the same cap a formula's own arrays have). */
const UNBOUNDED_ARRAY = LIMITS.arrayLength
/** Values in one sample at most, so a schema of nested arrays cannot make a huge one. */
const MAX_VALUES = 50_000

/**
 * The largest inputs an input schema allows, as far as formulas' cost goes: every array filled to
 * its maxItems (at most 1,000), every optional property present. Two samples: the "low" one takes
 * the first value of each enum and the lowest numbers, the "high" one the last value and the
 * highest, so both sides of a branch on a role or a flag run. Not necessarily valid inputs: they
 * only exist to run the formulas against the budget before a rule set is saved.
 */
export function largestInputs(inputSchema: unknown): Record<string, unknown>[] {
  return (['low', 'high'] as const).map((side) => {
    const value = sample(inputSchema, side, { left: MAX_VALUES })
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  })
}

type Side = 'low' | 'high'
type Schema = Record<string, unknown>

function sample(raw: unknown, side: Side, room: { left: number }): unknown {
  if (!raw || typeof raw !== 'object' || room.left <= 0) return null
  room.left--
  const schema = raw as Schema
  if ('const' in schema) return schema['const']
  const choices = schema['enum']
  if (Array.isArray(choices) && choices.length) return side === 'low' ? choices[0] : choices[choices.length - 1]
  const alternatives = schema['anyOf'] ?? schema['oneOf']
  if (Array.isArray(alternatives) && alternatives.length) return sample(alternatives[0], side, room)
  switch (typeOf(schema)) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, unknown>
      return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, sample(sub, side, room)]))
    }
    case 'array': {
      const maxItems = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : UNBOUNDED_ARRAY
      const items = Array.isArray(schema['items']) ? schema['items'][0] : schema['items']
      const out: unknown[] = []
      for (let i = 0; i < Math.min(maxItems, UNBOUNDED_ARRAY) && room.left > 0; i++) out.push(sample(items ?? {}, side, room))
      return out
    }
    case 'number':
    case 'integer':
      return numberFor(schema, side)
    case 'string':
      return 'x'.repeat(Math.min(Number(schema['minLength'] ?? 0) || 0, 100))
    case 'boolean':
      return side === 'high'
    default:
      return null
  }
}

function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema['type']) ? (schema['type'] as unknown[]).find((t) => t !== 'null') : schema['type']
  if (typeof type === 'string') return type
  if (schema['properties']) return 'object'
  if (schema['items']) return 'array'
  return undefined
}

function numberFor(schema: Schema, side: Side): number {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key]) : undefined)
  const low = num('minimum') ?? num('exclusiveMinimum') ?? 0
  const high = num('maximum') ?? num('exclusiveMaximum') ?? Math.max(low, 1)
  return side === 'low' ? low : high
}
