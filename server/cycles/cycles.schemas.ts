import { z } from '@hono/zod-openapi'
import { instant } from '../http/openapi.js'

/**
 * What the cycles' routes answer, as zod schemas: the OpenAPI document and the web app's typed
 * client are generated from them (issue 16.5).
 */

const day = z.string().openapi({ format: 'date', example: '2026-12-31' })
const count = z.number().int()
const perStage = z.record(z.string(), count).openapi({ description: 'stage → number of evaluations' })

/** A cycle's deadlines: seconds (what the workflows use), and the working days and due instants they came from. */
const CycleDurations = z.object({
  selfAssessmentSeconds: z.number(),
  reviewSeconds: z.number(),
  reminderBeforeSeconds: z.number(),
  selfAssessmentWorkingDays: z.number().optional(),
  reviewWorkingDays: z.number().optional(),
  reminderWorkingDays: z.number().optional(),
  workingDaysFrom: day.optional(),
  selfAssessmentDueAt: instant.optional(),
  reviewDueAt: instant.optional(),
  petitionWorkingDays: z.number().optional(),
  petitionSeconds: z.number().optional(),
  petitionAnswerWorkingDays: z.number().optional(),
  petitionAnswerSeconds: z.number().optional(),
})

/** A cycle as the lists and actions answer it. */
export const Cycle = z
  .object({
    id: count,
    name: z.string(),
    periodKind: z.enum(['month', 'quarter', 'year']),
    periodStart: day,
    periodEnd: day,
    subject: z.enum(['staff', 'unit']).openapi({ description: 'staff, or unit: a unit cycle evaluates units (one evaluation per unit, by its head; see /api/unit-evaluations)' }),
    ruleSetId: count,
    status: z.enum(['LAUNCHING', 'OPEN', 'RANKING_FAILED', 'RANKED', 'CLASSIFIED', 'CANCELLING', 'CANCELLED']),
    unitIds: z.array(count),
    durations: CycleDurations,
    createdAt: instant,
    classifiedAt: instant.nullable(),
    publishedAt: instant.nullable().openapi({ description: 'results out to the units (the status stays CLASSIFIED)' }),
    petitionClosesAt: instant.nullable(),
    resultsLockedAt: instant.nullable(),
  })
  .openapi('Cycle')

/** Counts per stage and per unit, from the read model. */
export const CycleProgress = z
  .object({
    byStage: perStage,
    byUnit: z.array(
      z.object({
        unitId: count,
        unitName: z.string(),
        total: count,
        byStage: perStage,
        signedOff: z.boolean(),
        overdue: count,
        levels: z.object({ HTXS: count, HTT: count, HT: count, KHT: count }).openapi({ description: "the unit's evaluations by level as scored, before the quota (those not scored yet in none)" }),
      }),
    ),
  })
  .openapi('CycleProgress')

/** A cycle with its progress, per stage and per unit (the units the caller may see), and leadership's quota exceptions. */
export const CycleDetail = Cycle.extend({
  rankingError: z.string().nullable().openapi({ description: 'why the last ranking failed, while it stands' }),
  progress: CycleProgress,
  quotaExceptions: z.array(z.object({ unitId: count, cap: z.number(), reason: z.string() })),
}).openapi('CycleDetail')

/** What a unit sign-off or return did, and the cycle's progress after it. */
export const UnitActionResult = z
  .object({
    unitId: count,
    evaluations: count,
    refused: z.array(z.object({ evaluationId: count, code: z.string(), message: z.string() })).optional().openapi({ description: 'a return: the evaluations that could not be returned, and why' }),
    progress: CycleProgress,
  })
  .openapi('UnitActionResult')

const level = z.string().openapi({ example: 'HTT' })

/** A head capped by the level of the unit they answered for in the same period (issue 14.2). */
export const LeaderCap = z
  .object({ unitId: count, unitName: z.string(), unitLevel: level, from: level, to: level, text: z.object({ vi: z.string(), en: z.string() }) })
  .openapi('LeaderCap')

/** The periods behind an annual result, the months worked and the annual score. */
const annualFields = {
  periods: z.array(z.object({ cycleId: count, cycleName: z.string(), periodStart: day, periodEnd: day, months: z.number(), total: z.number(), level: level.nullable() })),
  monthsWorked: z.number().nullable(),
  annualScore: z.number().nullable(),
}

/** One ranked, classified result. */
export const CycleResult = z
  .object({
    evaluationId: count,
    staffId: count,
    fullName: z.string(),
    unitId: count,
    unitName: z.string(),
    positionCode: z.string().nullable(),
    total: z.number().nullable(),
    level: level.nullable(),
    finalLevel: level.nullable(),
    override: z.string().nullable(),
    quotaCut: z.boolean().nullable(),
    quotaTie: z.boolean().nullable(),
    rankInUnit: count.nullable(),
    rankInCycle: count.nullable(),
    values: z.record(z.string(), z.unknown()).nullable().openapi({ description: "the rule set's computed values" }),
    cap: LeaderCap.nullable(),
    ...z.object(annualFields).partial().shape,
  })
  .openapi('CycleResult')

/** An annual cycle's person who is "không xếp loại", and why. */
export const NotClassified = z
  .object({
    staffId: count,
    fullName: z.string(),
    unitId: count,
    unitName: z.string(),
    finalLevel: z.null(),
    ...annualFields,
    reason: z.object({ code: z.string(), vi: z.string(), en: z.string() }),
  })
  .openapi('NotClassified')

/** Figures over every visible result (not one page). */
export const ResultsSummary = z
  .object({
    count,
    byUnit: z.array(z.object({ unitId: count, unitName: z.string(), levels: z.record(z.string(), count) })),
    histogram: z.array(count).openapi({ description: 'totals in ten-point buckets, 0–9 … 90–100' }),
  })
  .openapi('ResultsSummary')

/** A page of a cycle's results; the first page adds the summary (and, for an annual cycle, who is not classified). */
export const CycleResults = z
  .object({
    cycleId: count,
    ruleSetId: count,
    summary: ResultsSummary.optional(),
    notClassified: z.array(NotClassified).optional(),
    results: z.array(CycleResult),
  })
  .openapi('CycleResults')

/** A unit's published results as its members see them: names, positions, levels, ranks, totals. */
export const PublishedList = z
  .object({
    cycleId: count,
    cycleName: z.string(),
    publishedAt: instant,
    petitionClosesAt: instant.nullable(),
    resultsLockedAt: instant.nullable(),
    unitId: count,
    unitName: z.string(),
    unitSize: count,
    results: z.array(
      z.object({
        evaluationId: count,
        staffId: count,
        fullName: z.string(),
        positionCode: z.string().nullable(),
        positionName: z.string().nullable(),
        level: level.nullable(),
        rankInUnit: count.nullable(),
        rank: z.string().nullable().openapi({ example: '3 / 12' }),
        total: z.number().nullable(),
        underReview: z.boolean().openapi({ description: 'reopened by an accepted petition: no level or rank until classified again' }),
      }),
    ),
  })
  .openapi('PublishedList')
