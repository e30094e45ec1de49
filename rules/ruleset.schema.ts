import { z } from 'zod'

/** Structural schema of a rule set (issue "Rule sets" deepens it: op allow-list, var paths, test cases). */
const text = z.object({ vi: z.string().min(1).max(2000), en: z.string().min(1).max(2000) })
const level = z.enum(['HTXS', 'HTT', 'HT', 'KHT'])
const logic = z.unknown()
const key = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/)

export const ruleSetDefinitionSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: text,
  description: text.optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  uiSchema: z.record(z.string(), z.unknown()).optional(),
  reviewerOnly: z.array(z.string().min(1).max(60)).max(50).optional(),
  requirements: z.array(z.object({ code: z.string().regex(/^[A-Z0-9_]{2,60}$/), failsWhen: logic, message: text })).max(50),
  computed: z.array(z.object({ key, label: text, formula: logic })).min(1).max(200),
  totalKey: key,
  bands: z.array(z.object({ level, min: z.number().nullable() })).min(1).max(4),
  overrides: z.array(z.object({ code: z.string().regex(/^[A-Z0-9_]{2,60}$/), when: logic, level, label: text })).max(50),
  quota: z.object({
    level,
    ofLevel: level,
    cap: z.number().min(0).max(10),
    cutTo: level,
    tieBreak: z.array(key).min(1).max(10),
    positionGroups: z.record(z.string(), z.string()).optional(),
  }),
  rounding: z.object({ precision: z.number().int().min(0).max(6), mode: z.literal('half-up'), keys: z.array(key).max(200) }),
})
