import { z } from '@hono/zod-openapi'

/**
 * The work log's answers, as zod schemas: the OpenAPI document describes them and the web app's
 * typed client reads its types from them.
 */

const day = z.string().openapi({ format: 'date', example: '2026-10-06' })
const workItemStatus = z.enum(['PROPOSED', 'OPEN', 'DONE', 'CONFIRMED', 'REJECTED'])

/** A product of the catalogue, in the version applying on a date. */
export const Product = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    unit: z.string(),
    k: z.number().openapi({ description: 'difficulty coefficient' }),
    normHours: z.number(),
    group: z.string(),
    positions: z.array(z.string()).openapi({ description: 'job positions it is for; empty = every position' }),
    validFrom: day,
    validTo: day.nullable(),
  })
  .openapi('Product')

/** A work item with the names its views show. */
export const WorkItem = z
  .object({
    id: z.number().int(),
    staffId: z.number().int(),
    fullName: z.string(),
    unitId: z.number().int(),
    productCode: z.string(),
    productName: z.string(),
    k: z.number(),
    title: z.string().nullable(),
    kind: z.enum(['assigned', 'planned', 'arising']).openapi({ description: 'assigned by the head, planned by the staff member, or arising (needs the head\'s acceptance)' }),
    status: workItemStatus,
    quantity: z.number(),
    doneQuantity: z.number(),
    assignedOn: day,
    dueOn: day,
    extendedTo: day.nullable(),
    completedOn: day.nullable(),
    hours: z.number(),
    qualityFailures: z.number().int(),
    version: z.number().int(),
    sourceSystemId: z.number().int().nullable().openapi({ description: 'set for an item a connected system (e-Office) sent: read-only for the staff member' }),
    externalId: z.string().nullable(),
  })
  .openapi('WorkItem')

const productFigure = z.object({
  code: z.string(),
  name: z.string().optional(),
  k: z.number(),
  assigned: z.number(),
  done: z.number(),
  qualityFailures: z.number(),
  delays: z.number(),
})

const scores = z
  .object({ a: z.number().nullable(), b: z.number().nullable(), c: z.number().nullable(), ruleSetId: z.number().int() })
  .nullable()
  .openapi({ description: 'quantity, quality and timeliness (%) with the rule set in force, or null when nothing is assigned' })

/** A staff member's period: per product, the scores a, b, c and the hours. */
export const StaffSummary = z
  .object({ staffId: z.number().int(), from: day, to: day, products: z.array(productFigure), scores, hours: z.object({ logged: z.number(), expected: z.number() }) })
  .openapi('StaffWorkSummary')

/** The unit head's board: per person, what is late or waits for them. */
export const UnitBoard = z
  .object({
    unitId: z.number().int(),
    date: day,
    staff: z.array(z.object({ staffId: z.number().int(), fullName: z.string(), late: z.number().int(), awaitingConfirmation: z.number().int(), awaitingAcceptance: z.number().int(), dueToday: z.number().int() })),
  })
  .openapi('UnitWorkBoard')

/** A unit's (or several units') month: per person the figures, a, b, c and hours. */
export const UnitMonth = z
  .object({
    month: z.string().openapi({ example: '2026-10' }),
    from: day,
    to: day,
    staff: z.array(z.object({ staffId: z.number().int(), fullName: z.string(), unitId: z.number().int(), products: z.array(productFigure), scores, hours: z.number() })),
  })
  .openapi('UnitWorkMonth')

/** My day: what is due, overdue, coming, waiting for acceptance, and the hours logged. */
export const MyDay = z
  .object({
    date: day,
    dueToday: z.array(WorkItem),
    overdue: z.array(WorkItem),
    upcoming: z.array(WorkItem),
    awaitingAcceptance: z.array(WorkItem),
    hours: z.object({ logged: z.number(), expected: z.number() }),
  })
  .openapi('MyWorkDay')
