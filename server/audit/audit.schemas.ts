import { z } from '@hono/zod-openapi'

/** One audit entry of an entity (a rule set, an evaluation …) as its `…/audit` route lists it, oldest first. */
export const AuditEvent = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ format: 'date-time' }),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    action: z.string().openapi({ example: 'publish' }),
    fromStage: z.string().nullable(),
    toStage: z.string().nullable(),
    reason: z.string().nullable(),
    data: z.unknown().openapi({ description: 'what the action recorded (a change list, a hash …)' }),
    ruleSetId: z.number().int().nullable(),
    ruleHash: z.string().nullable(),
  })
  .openapi('AuditEvent')
