import { z } from '@hono/zod-openapi'
import { instant } from '../http/openapi.js'
import { STAGES, type Action } from '../../workflows/stages.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { pageQuery } from '../http/paging.js'

const bilingual = z.object({ vi: z.string(), en: z.string() })
const person = z.object({ id: z.number().int(), name: z.string() })

export const stage = z.enum(STAGES).openapi({ example: 'SELF_ASSESSMENT' })

const ACTIONS = ['save', 'submit', 'approve', 'return', 'leaderReturn', 'signOff', 'classify', 'cancel', 'reopen', 'reassign'] as const satisfies readonly Action[]

/** The actions a caller may take on an evaluation now, for the UI's buttons. */
export const NEXT_ACTIONS = ['submit', 'approve', 'return', 'leaderReturn'] as const satisfies readonly Action[]
export type NextAction = (typeof NEXT_ACTIONS)[number]
const nextActions = z.array(z.enum(NEXT_ACTIONS)).openapi({ description: 'what the caller may do now (themselves, or as a delegate in force)' })

export const evaluationListQuery = z.object({
  cycleId: dbIdQuery.optional(),
  stage: stage.optional(),
  unitId: dbIdQuery.optional(),
  assignedToMe: z.enum(['true', 'false']).optional().openapi({ description: 'true: what waits for me (or for a principal whose review or sign-off I hold)' }),
  mine: z.enum(['true', 'false']).optional().openapi({ description: 'true: my own evaluations, as the person evaluated (not the unit evaluations I fill as its head)' }),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'true: only those past their deadline' }),
  ...pageQuery,
})

const expectedVersion = z.number().int().min(0).max(1e9).optional().openapi({ description: 'the version the caller saw (like If-Match): 409 STALE when the evaluation moved on' })
export const selfAssessmentBody = z.object({ data: z.record(z.string(), z.unknown()), expectedVersion })
export const submitBody = z.object({ expectedVersion })
export const approveBody = z.object({ adjustments: z.record(z.string(), z.unknown()).optional(), comment: z.string().trim().max(2000).optional(), expectedVersion })
export const returnBody = z.object({ reason: z.string().trim().min(3).max(2000), expectedVersion })

/** `GET /api/evaluations/assigned-summary`: what waits for me, counted over every page of the list. */
export const TasksSummary = z
  .object({
    total: z.number().int(),
    byStage: z.object({ SELF_ASSESSMENT: z.number().int(), UNIT_REVIEW: z.number().int(), AWAITING_SIGN_OFF: z.number().int() }),
    overdue: z.number().int(),
    unitsAwaitingSignOff: z.array(z.object({ cycleId: z.number().int(), unitId: z.number().int(), unitName: z.string(), count: z.number().int(), dueAt: instant.nullable(), overdue: z.boolean() })),
  })
  .openapi('TasksSummary')

/** One row of `GET /api/evaluations`. */
export const EvaluationListItem = z
  .object({
    id: z.number().int(),
    cycleId: z.number().int(),
    staffId: z.number().int(),
    fullName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    stage,
    round: z.number().int(),
    total: z.number().nullable(),
    level: z.string().nullable(),
    finalLevel: z.string().nullable(),
    rankInUnit: z.number().int().nullable(),
    overdue: z.boolean(),
    deadlineAt: instant.nullable(),
    updatedAt: instant,
    delegatedBy: person.nullable().openapi({ description: 'a task that awaits me as someone\'s delegate: whose it is' }),
  })
  .openapi('EvaluationListItem')

/** A value a connected system sent for one of the rule set's declared indicators (read-only on the form). */
const IndicatorInput = z
  .object({
    path: z.string(),
    system: z.string(),
    systemName: z.string(),
    code: z.string(),
    unit: z.string(),
    scope: z.enum(['person', 'unit']),
    label: bilingual.nullish(),
    value: z.number().nullable(),
    receivedAt: instant.nullable(),
    updatedAt: instant.nullable(),
    closesAt: instant,
    locked: z.boolean(),
    source: bilingual,
  })
  .openapi('IndicatorInput')

/** One evaluation as its page shows it: the document, the form's schema, the stage, the rounds and what the caller may do. */
export const Evaluation = z
  .object({
    id: z.number().int(),
    cycleId: z.number().int(),
    staffId: z.number().int(),
    isOwner: z.boolean().openapi({ description: 'the caller is the evaluated person (who may petition, for one)' }),
    fullName: z.string(),
    username: z.string(),
    unitId: z.number().int(),
    unitName: z.string().nullable(),
    positionCode: z.string().nullable(),
    ruleRole: z.enum(['staff', 'leader']),
    stage,
    round: z.number().int(),
    version: z.number().int(),
    data: z.record(z.string(), z.unknown()),
    adjustments: z.record(z.string(), z.unknown()).nullable(),
    scores: z.record(z.string(), z.unknown()).nullable(),
    total: z.number().nullable(),
    level: z.string().nullable(),
    finalLevel: z.string().nullable(),
    override: z.string().nullable(),
    quotaCut: z.boolean().nullable(),
    rankInUnit: z.number().int().nullable(),
    rankInCycle: z.number().int().nullable(),
    overdue: z.boolean(),
    deadlineAt: instant.nullable(),
    ruleSet: z.object({ id: z.number().int(), code: z.string(), version: z.number().int(), hash: z.string() }),
    formSchema: z.record(z.string(), z.unknown()).openapi({ description: "the rule set's JSON Schema of the self-assessment" }),
    uiSchema: z.record(z.string(), z.unknown()),
    indicators: z.array(IndicatorInput),
    rounds: z.array(
      z.object({
        round: z.number().int(),
        data: z.record(z.string(), z.unknown()),
        scores: z.record(z.string(), z.unknown()).nullable(),
        submittedAt: instant,
        outcome: z.string().nullable(),
        reason: z.string().nullable(),
        decidedBy: z.number().int().nullable(),
        decidedAt: instant.nullable(),
      }),
    ),
    allowedActions: nextActions,
    delegatedBy: person.nullable().openapi({ description: 'the caller acts here as this principal\'s delegate (null: in their own right)' }),
    prefilledProducts: z.array(z.record(z.string(), z.unknown())),
    productOptions: z.array(z.object({ code: z.string(), name: z.string(), unit: z.string(), k: z.number() })).openapi({ description: 'the products the owner may declare (editing only)' }),
  })
  .openapi('Evaluation')

/** What an action answers once the workflow recorded it. */
export const ActionResult = z
  .object({
    id: z.number().int(),
    cycleId: z.number().int(),
    staffId: z.number().int(),
    action: z.enum(ACTIONS),
    stage,
    version: z.number().int(),
    round: z.number().int(),
    total: z.number().nullable(),
    level: z.string().nullable(),
    overdue: z.boolean(),
    deadlineAt: instant.nullable(),
    allowedActions: nextActions,
    onBehalfOf: z.number().int().optional().openapi({ description: 'the principal a delegate acted for' }),
  })
  .openapi('EvaluationActionResult')

export const reassignBody = z.object({ role: z.enum(['reviewer', 'sign-off']), staffId: dbId, reason: z.string().trim().min(3).max(2000), expectedVersion: z.number().int().min(0).max(1e9).optional() })

/** What a reassignment answers: the evaluation's new parties. */
export const ReassignResult = z.object({
  id: z.number().int(),
  action: z.enum(ACTIONS),
  stage,
  version: z.number().int(),
  round: z.number().int(),
  deadlineAt: instant.nullable(),
  reviewerIds: z.array(z.number().int()),
  signOffIds: z.array(z.number().int()),
  allowedActions: nextActions,
})
