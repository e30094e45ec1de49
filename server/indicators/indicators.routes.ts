import { z } from '@hono/zod-openapi'
import { isIsoDay } from '../calendar/working-days.js'
import { ApiError } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer, jsonBody } from '../http/openapi.js'
import { dbIdQuery } from '../http/schemas.js'
import { Coverage, CycleCoverage, IndicatorBatchResult, KEY_AUTH_DESCRIPTION, sendingSystem } from '../integrations/integrations.schemas.js'
import { callerOf, keyAuth } from '../integrations/key-auth.js'
import { recordCall } from '../integrations/systems.repo.js'
import { cycleCoverage, launchCoverage } from './coverage.repo.js'
import { ingestIndicators } from './indicators.repo.js'

const PATH = '/api/integrations/indicators'
const tags = ['integrations']
const isoDay = z.string().refine(isIsoDay, 'yyyy-MM-dd').openapi({ format: 'date', example: '2026-06-30' })

const sendIndicatorsRoute = defineRoute({
  method: 'post',
  path: PATH,
  tags,
  summary:
    'Indicator values from a connected system (X-KPI-Key, optionally signed): upserts by (system, indicator, person or unit, period); refused rows listed with reasons, late ones (after the closing date) as 409 PERIOD_LOCKED',
  description: KEY_AUTH_DESCRIPTION,
  security: [],
  request: {
    body: jsonBody(
      z.object({
        system: sendingSystem,
        indicators: z.array(z.unknown()).min(1).max(5000).openapi({ description: 'indicator values, each checked on its own (refused ones listed with the reason)' }),
      }),
    ),
  },
  responses: { 200: jsonAnswer(IndicatorBatchResult, 'What was written and what was refused') },
})

const cycleCoverageRoute = defineRoute({
  method: 'get',
  path: PATH,
  tags,
  summary: "A cycle's declared indicators: per indicator, who has a value, who is missing one, which values came late",
  roles: ['admin'],
  request: { query: z.object({ cycleId: dbIdQuery }) },
  responses: { 200: jsonAnswer(CycleCoverage, "The cycle's indicators") },
})

const previewRoute = defineRoute({
  method: 'get',
  path: `${PATH}/preview`,
  tags,
  summary: 'Before a launch: the missing and late indicator values for a rule set, a period and units (the launch form calls it)',
  roles: ['admin'],
  request: {
    query: z
      .object({
        ruleSetId: dbIdQuery,
        periodStart: isoDay,
        periodEnd: isoDay,
        unitIds: z
          .string()
          .regex(/^\d{1,9}(,\d{1,9}){0,4999}$/, 'id,id,…')
          .transform((s) => s.split(',').map(Number))
          .optional()
          .openapi({ description: 'comma-separated unit ids (with their subtrees); omitted = the whole organisation', example: '3,7' }),
        assignRuleSets: z.enum(['true', 'false']).optional(),
      })
      .refine((q) => q.periodStart <= q.periodEnd, { message: 'periodStart sau periodEnd / after periodEnd', path: ['periodEnd'] }),
  },
  responses: { 200: jsonAnswer(Coverage, 'What a launch would find') },
})

/** Indicators in (issue 15 point 2): values from connected systems, and the admin's view of what is missing or late. */
export function indicatorsRoutes({ db }: AppDeps) {
  const app = featureApp()
  // A connected system's key (and signature, over the raw body) is checked before anything reads the body.
  app.post(PATH, keyAuth(db))
  // The list is the admin's: a caller that sent only an API key has no session here.
  app.get(PATH, async (c, next) => {
    if (!c.get('user')) throw new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.', 'Please sign in.')
    await next()
  })
  return app
    .openapi(sendIndicatorsRoute, async (c) => {
      const body = c.req.valid('json')
      const caller = callerOf(c)
      if (body.system && body.system !== caller.systemCode) {
        throw new ApiError(403, 'FORBIDDEN', `Khóa này thuộc hệ thống ${caller.systemCode}, không phải ${body.system}.`, `This key belongs to ${caller.systemCode}, not ${body.system}.`)
      }
      const result = await ingestIndicators(db, caller, body.indicators)
      await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint: `POST ${PATH}`, status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return c.json(result, 200)
    })
    .openapi(cycleCoverageRoute, async (c) => c.json(await cycleCoverage(db, c.req.valid('query').cycleId), 200))
    .openapi(previewRoute, async (c) => {
      const query = c.req.valid('query')
      const assignRuleSets = query.assignRuleSets === undefined ? undefined : query.assignRuleSets === 'true'
      return c.json(await launchCoverage(db, { ruleSetId: query.ruleSetId, periodStart: query.periodStart, periodEnd: query.periodEnd, unitIds: query.unitIds, assignRuleSets }), 200)
    })
}

/** The indicators' routes, as the typed client sees them. */
export type IndicatorsApi = ReturnType<typeof indicatorsRoutes>
