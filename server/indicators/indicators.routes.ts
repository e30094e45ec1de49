import { z } from '@hono/zod-openapi'
import { csvAnswer } from '../http/csv-answer.js'
import { isIsoDay } from '../calendar/working-days.js'
import { ApiError } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer, jsonBody } from '../http/openapi.js'
import { pageQuery } from '../http/paging.js'
import { dbIdQuery } from '../http/schemas.js'
import { Coverage, CycleCoverage, IndicatorBatchResult, KEY_AUTH_DESCRIPTION, sendingSystem } from '../integrations/integrations.schemas.js'
import { callerOf, keyAuth } from '../integrations/key-auth.js'
import { recordCall } from '../integrations/systems.repo.js'
import { cycleCoverage, launchCoverage } from './coverage.repo.js'
import { coverageRows, firstRows } from './coverage.js'
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
  summary: "A cycle's declared indicators: per indicator, who has a value, who is missing one, which values came late (each list's first `limit` names, with its count; all in the export)",
  roles: ['admin'],
  request: { query: z.object({ cycleId: dbIdQuery, limit: pageQuery.limit }) },
  responses: { 200: jsonAnswer(CycleCoverage, "The cycle's indicators") },
})

const exportRoute = defineRoute({
  method: 'get',
  path: `${PATH}/export`,
  tags,
  summary: "Every row of a cycle's indicator coverage as CSV: per indicator and subject, missing, late or received, with the value and when",
  roles: ['admin'],
  request: { query: z.object({ cycleId: dbIdQuery }) },
  responses: { 200: { description: 'A file to download (Content-Disposition: attachment)', content: { 'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark, for spreadsheets' }) } } } },
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
        limit: pageQuery.limit,
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
    .openapi(cycleCoverageRoute, async (c) => {
      const { cycleId, limit } = c.req.valid('query')
      return c.json(firstRows(await cycleCoverage(db, cycleId), limit), 200)
    })
    .openapi(exportRoute, async (c) => {
      const { cycleId } = c.req.valid('query')
      const header = ['Hệ thống / System', 'Mã chỉ số / Indicator', 'Cán bộ, đơn vị / Person or unit', 'Tên đăng nhập, mã đơn vị / Username or unit code', 'Đơn vị / Unit', 'Tình trạng / State', 'Giá trị / Value', 'Thời điểm / At']
      const rows = coverageRows(await cycleCoverage(db, cycleId)).map((r) => [r.system, r.code, r.name, r.handle, r.unitName, r.state, r.value === null ? null : String(r.value).replace('.', ','), r.at?.toISOString() ?? null])
      return csvAnswer(c, `chi-so-ky-${cycleId}`, [header, ...rows])
    })
    .openapi(previewRoute, async (c) => {
      const query = c.req.valid('query')
      const assignRuleSets = query.assignRuleSets === undefined ? undefined : query.assignRuleSets === 'true'
      return c.json(firstRows(await launchCoverage(db, { ruleSetId: query.ruleSetId, periodStart: query.periodStart, periodEnd: query.periodEnd, unitIds: query.unitIds, assignRuleSets }), query.limit), 200)
    })
}

/** The indicators' routes, as the typed client sees them. */
export type IndicatorsApi = ReturnType<typeof indicatorsRoutes>
