import type { Hono } from 'hono'
import { z } from 'zod'
import { isIsoDay } from '../calendar/working-days.js'
import { ApiError } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { cycleCoverage, launchCoverage } from '../indicators/coverage.repo.js'
import { ingestIndicators } from '../indicators/indicators.repo.js'
import { callerOf, keyAuth } from '../integrations/key-auth.js'
import { recordCall } from '../integrations/systems.repo.js'

const PATH = '/api/integrations/indicators'
const isoDay = z.string().refine(isIsoDay, 'yyyy-MM-dd')
const indicatorsBody = z.object({
  /** The sending system's code, when sent, must be the key's. */
  system: z.string().max(40).optional(),
  indicators: z.array(z.unknown()).min(1).max(5000),
})
const previewQuery = z
  .object({
    ruleSetId: dbIdQuery,
    periodStart: isoDay,
    periodEnd: isoDay,
    /** Comma-separated unit ids (with their subtrees); omitted = the whole organisation. */
    unitIds: z
      .string()
      .regex(/^\d{1,9}(,\d{1,9}){0,4999}$/, 'id,id,…')
      .transform((s) => s.split(',').map(Number))
      .optional(),
    assignRuleSets: z.enum(['true', 'false']).optional(),
  })
  .refine((q) => q.periodStart <= q.periodEnd, { message: 'periodStart sau periodEnd / after periodEnd', path: ['periodEnd'] })

/** Indicators in (issue 15 point 2): values from connected systems, and the admin's view of what is missing or late. */
export function indicatorsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps
  app.post(PATH, keyAuth(db))
  // The list is the admin's: a caller that sent only an API key has no session here.
  app.get(PATH, async (c, next) => {
    if (!c.get('user')) throw new ApiError(401, 'UNAUTHENTICATED', 'Vui lòng đăng nhập.', 'Please sign in.')
    await next()
  })

  route(
    app,
    {
      method: 'post',
      path: PATH,
      summary: 'Indicator values from a connected system (X-KPI-Key, optionally signed): upserts by (system, indicator, person or unit, period); refused rows listed with reasons, late ones (after the closing date) as 409 PERIOD_LOCKED',
      tag: 'integrations',
      public: true,
      body: indicatorsBody,
    },
    async ({ c, body }) => {
      const caller = callerOf(c)
      if (body.system && body.system !== caller.systemCode) {
        throw new ApiError(403, 'FORBIDDEN', `Khóa này thuộc hệ thống ${caller.systemCode}, không phải ${body.system}.`, `This key belongs to ${caller.systemCode}, not ${body.system}.`)
      }
      const result = await ingestIndicators(db, caller, body.indicators)
      await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint: `POST ${PATH}`, status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return result
    },
  )

  route(app, { method: 'get', path: PATH, summary: "A cycle's declared indicators: per indicator, who has a value, who is missing one, which values came late", tag: 'integrations', roles: ['admin'], query: z.object({ cycleId: dbIdQuery }) }, async ({ query }) =>
    cycleCoverage(db, query.cycleId),
  )

  route(app, { method: 'get', path: `${PATH}/preview`, summary: 'Before a launch: the missing and late indicator values for a rule set, a period and units (the launch form calls it)', tag: 'integrations', roles: ['admin'], query: previewQuery }, async ({ query }) =>
    launchCoverage(db, { ruleSetId: query.ruleSetId, periodStart: query.periodStart, periodEnd: query.periodEnd, unitIds: query.unitIds, assignRuleSets: query.assignRuleSets === undefined ? undefined : query.assignRuleSets === 'true' }),
  )
}
