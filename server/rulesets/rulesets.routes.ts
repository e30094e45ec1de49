import { z } from '@hono/zod-openapi'
import { checkFormulaBudget } from '../../rules/ruleset.budget.js'
import { diffRuleSets } from '../../rules/ruleset.diff.js'
import { level, ruleSetDefinitionSchema, ruleSetJsonSchema, testCase, text } from '../../rules/ruleset.schema.js'
import { runTestCases } from '../../rules/ruleset.tests.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { appendAudit, listAudit } from '../audit/audit.repo.js'
import { AuditEvent } from '../audit/audit.schemas.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import { scoreDocument, scoreError } from '../evaluations/scoring.js'
import type { AppDeps, SessionUser } from '../http/context.js'
import { csvAnswer } from '../http/csv-answer.js'
import { defineRoute, described, featureApp, idPath, instant, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { formulaBudgetError, refuseRunaway } from './formula-budget.js'
import { archiveRuleSet, createDraft, findRuleSet, listRuleSets, publishRuleSet, updateDraft, type RuleSet as RuleSetRecord } from './ruleset.repo.js'
import { simulateCycle } from './simulate.service.js'
import { SHOWN_BY_DEFAULT, simulationAnswer, simulationCsvRows } from './simulation.answer.js'
import pLimit from 'p-limit'

const status = z.enum(['draft', 'published', 'archived'])
const version = z.object({ id: z.number().int(), version: z.number().int() })
const byId = { params: z.object({ id: idPath }) }

const versionFields = {
  id: z.number().int(),
  code: z.string(),
  version: z.number().int(),
  status,
  hash: z.string(),
  createdAt: instant,
  publishedAt: instant.nullable(),
}

/** One rule set version with its definition. */
export const RuleSet = z.object({ ...versionFields, definition: ruleSetDefinitionSchema }).openapi('RuleSet')

/** A rule set version as `GET /api/rulesets` lists it: no definition, its name and what it is for. */
export const RuleSetSummary = z
  .object({
    ...versionFields,
    name: text,
    tests: z.number().int().openapi({ description: 'how many test cases it has' }),
    annual: z.boolean().openapi({ description: 'it classifies years (cycles with periodKind "year") and only years' }),
    subject: z.enum(['person', 'staff', 'unit']).openapi({ description: 'whom it evaluates: people (person, staff) or units' }),
  })
  .openapi('RuleSetSummary')

const RuleSetChange = z
  .object({
    path: z.string(),
    change: z.enum(['added', 'removed', 'changed']),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    summary: described(text).openapi({ description: 'one readable line, e.g. "Ngưỡng HTXS: 90 → 85"' }),
  })
  .openapi('RuleSetChange')

const TestOutcome = z
  .object({
    name: z.string(),
    passed: z.boolean(),
    mismatches: z.array(z.object({ field: z.string(), expected: z.unknown(), actual: z.unknown() })),
  })
  .openapi('TestOutcome')

const distribution = z.object({ HTXS: z.number().int(), HTT: z.number().int(), HT: z.number().int(), KHT: z.number().int() })
const side = z.object({ total: z.number().nullable(), level, finalLevel: level, quotaCut: z.boolean() }).nullable()
const SimulatedEvaluation = z.object({
  evaluationId: z.number().int(),
  staffId: z.number().int(),
  fullName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  stage: z.string(),
  before: side,
  after: side,
  change: z.enum(['up', 'down', 'same', 'skipped']).openapi({ description: 'final level moved up or down, or one of the two cannot score it' }),
  reason: z.object({ vi: z.string(), en: z.string() }).optional().openapi({ description: 'why one of the two versions could not score it' }),
})

/** A cycle re-scored with a candidate version beside its own. */
export const SimulationReport = z
  .object({
    cycleId: z.number().int(),
    baseline: z.object({ ruleSetId: z.number().int() }),
    candidate: z.object({ ruleSetId: z.number().int() }),
    summary: z.object({ evaluations: z.number().int(), scored: z.number().int(), skipped: z.number().int(), up: z.number().int(), down: z.number().int() }),
    distribution: z.object({ before: distribution, after: distribution }),
    units: z.array(z.object({ unitId: z.number().int(), unitName: z.string(), before: distribution, after: distribution, quotaCutBefore: z.number().int(), quotaCutAfter: z.number().int() })),
    changes: z.array(SimulatedEvaluation).openapi({ description: 'who changes band: the first `limit` of them (summary.up + summary.down in all); every evaluation is in GET …/simulate/export' }),
    unscored: z.array(SimulatedEvaluation).openapi({ description: 'who one of the two versions cannot score, with the reason: the first `limit` of them (summary.skipped in all)' }),
  })
  .openapi('SimulationReport')

/** Sample inputs scored: every value, the level and the plain-language trace. */
export const ScoredSample = z
  .object({
    ruleSetId: z.number().int(),
    ruleHash: z.string(),
    values: z.record(z.string(), z.number().nullable()),
    total: z.number(),
    baseLevel: described(level).openapi({ description: 'from the bands alone' }),
    level: described(level).openapi({ description: 'after overrides (before quota)' }),
    override: z.object({ code: z.string(), label: text }).nullable(),
    failures: z.array(z.object({ code: z.string(), message: text })),
    problems: z.array(z.object({ key: z.string(), message: z.string() })),
    trace: z.array(z.object({ key: z.string(), label: text, value: z.union([z.number(), z.string()]).nullable(), text })),
  })
  .openapi('ScoredSample')

const definitionBody = z.record(z.string(), z.unknown()).describe('A rule set definition: see GET /api/rulesets/schema')

const schemaRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets/schema',
  tags: ['rulesets'],
  summary: 'The JSON Schema of a rule set (drives the editor form)',
  responses: { 200: jsonAnswer(z.record(z.string(), z.unknown()), 'A JSON Schema (draft-07)') },
})

const listRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets',
  tags: ['rulesets'],
  summary: 'Rule sets, every version, by code then version; keyset pages (?after=<rule set id>&limit=, Link: rel="next")',
  request: { query: z.object({ ...pageQuery }) },
  responses: { 200: jsonAnswer(z.array(RuleSetSummary), 'One page (Link: <…>; rel="next" when there is more)') },
})

const getRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets/{id}',
  tags: ['rulesets'],
  summary: 'One rule set version with its definition',
  request: byId,
  responses: { 200: jsonAnswer(RuleSet, 'The version') },
})

const createRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets',
  tags: ['rulesets'],
  summary: 'Create a draft (next version of its code), validated',
  roles: ['admin'],
  request: { body: jsonBody(definitionBody) },
  responses: { 201: jsonAnswer(RuleSet, 'Created') },
})

const newDraftRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/draft',
  tags: ['rulesets'],
  summary: 'New draft from this version (copy, next version number)',
  roles: ['admin'],
  request: byId,
  responses: { 201: jsonAnswer(RuleSet, 'Created') },
})

const replaceRoute = defineRoute({
  method: 'put',
  path: '/api/rulesets/{id}',
  tags: ['rulesets'],
  summary: 'Replace a draft definition (published versions are immutable)',
  roles: ['admin'],
  request: { ...byId, body: jsonBody(definitionBody) },
  responses: { 200: jsonAnswer(RuleSet, 'Saved') },
})

const diffRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets/{id}/diff',
  tags: ['rulesets'],
  summary: 'What changed from another version (?against=id) to this one',
  request: { ...byId, query: z.object({ against: dbIdQuery }) },
  responses: { 200: jsonAnswer(z.object({ from: version, to: version, changes: z.array(RuleSetChange) }), 'The changes') },
})

const testsRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/tests',
  tags: ['rulesets'],
  summary: "Run the rule set's test cases (or the ones given: admins) without publishing (a draft: admins only)",
  request: { ...byId, body: jsonBody(z.object({ tests: z.array(testCase).max(200).optional() })) },
  responses: { 200: jsonAnswer(z.object({ passed: z.number().int(), failed: z.number().int(), outcomes: z.array(TestOutcome) }), 'Each case, passed or not') },
})

const publishRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/publish',
  tags: ['rulesets'],
  summary: 'Publish a draft: its test cases must pass; it becomes immutable',
  roles: ['admin'],
  request: byId,
  responses: { 200: jsonAnswer(RuleSet, 'Published') },
})

const archiveRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/archive',
  tags: ['rulesets'],
  summary: 'Archive a published version (running cycles keep it)',
  roles: ['admin'],
  request: byId,
  responses: { 200: jsonAnswer(RuleSet, 'Archived') },
})

const auditRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets/{id}/audit',
  tags: ['rulesets'],
  summary: 'Every change to this rule set version (and every simulation run with it): who, when, what; keyset pages (?after=&limit=)',
  roles: ['admin'],
  request: { ...byId, query: z.object(pageQuery) },
  responses: { 200: jsonAnswer(z.array(AuditEvent), 'Oldest first, one page (Link: <…>; rel="next" when there is more)') },
})

const simulateRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/simulate',
  tags: ['rulesets'],
  summary: "Re-score a cycle with this version beside the cycle's own: per evaluation, per unit, who changes band. Stores nothing but an audit entry",
  roles: ['admin'],
  request: { ...byId, body: jsonBody(z.object({ cycleId: dbId, limit: z.number().int().min(1).max(500).default(SHOWN_BY_DEFAULT).openapi({ description: 'how many of those who change band, and of those not scored, to list' }) })) },
  responses: { 200: jsonAnswer(SimulationReport, 'The comparison') },
})

const simulateExportRoute = defineRoute({
  method: 'get',
  path: '/api/rulesets/{id}/simulate/export',
  tags: ['rulesets'],
  summary: "The simulation of a cycle as CSV, every evaluation: both versions' total, final level and quota cut, the change and why one could not score it. Stores nothing but an audit entry",
  roles: ['admin'],
  request: { ...byId, query: z.object({ cycleId: dbIdQuery }) },
  responses: { 200: { description: 'A file to download (Content-Disposition: attachment)', content: { 'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark, for spreadsheets' }) } } } },
})

const evaluateRoute = defineRoute({
  method: 'post',
  path: '/api/rulesets/{id}/evaluate',
  tags: ['rulesets'],
  summary: 'Score sample inputs: every value, the level and a plain-language trace (a draft: admins only)',
  request: { ...byId, body: jsonBody(z.object({ inputs: z.record(z.string(), z.unknown()), role: z.enum(['staff', 'leader']).optional() })) },
  responses: { 200: jsonAnswer(ScoredSample, 'Scored') },
})

/** Full validation (shape, formulas, var paths, weights, limits, formula budget, test-case types) or a 400 listing every issue with its path. */
function validDefinition(raw: unknown): RuleSetDefinition {
  const result = validateRuleSet(raw)
  if (result.ok) return result.definition
  if (result.overBudget) throw formulaBudgetError(result.overBudget.error, result.overBudget.on, result.issues)
  const list = result.issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`).join('; ')
  throw new ApiError(400, 'INVALID_RULE_SET', `Bộ quy tắc không hợp lệ: ${list}`, `Invalid rule set: ${list}`, result.issues)
}

/** A draft is still being written: only admins run its formulas (they may cost up to a whole budget per evaluation). */
function assertMayRun(ruleSet: { status: string }, user: SessionUser): void {
  if (ruleSet.status === 'draft' && !user.roles.includes('admin')) {
    throw forbidden('Chỉ quản trị viên mới được chạy thử bộ quy tắc đang soạn (bản nháp).', 'Only an admin may run a draft rule set.')
  }
}

/** A rule set version as the API answers it. */
function view(r: RuleSetRecord) {
  return { ...r, createdAt: r.createdAt.toISOString(), publishedAt: r.publishedAt?.toISOString() ?? null }
}

/**
 * Rule sets: versions of a scoring model, written as drafts by admins, tested, published (then
 * immutable), compared, simulated on a cycle and archived; every change is audited.
 */
export function ruleSetsRoutes({ db }: AppDeps) {
  /**
   * One simulation at a time in this process: each holds a cycle's members and two reports (hundreds
   * of MB at 50,000 evaluations) and hands the event loop back as it goes, so two would interleave
   * and double the memory. A second waits for the first.
   */
  const oneSimulation = pLimit(1)
  const load = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'bộ quy tắc / rule set')
    const ruleSet = await findRuleSet(db, id)
    if (!ruleSet) throw notFound('bộ quy tắc / rule set', id)
    return ruleSet
  }
  /** A cycle re-scored with a version beside its own, one simulation in memory at a time; the audit says who ran it and what it found. */
  const simulate = async (user: SessionUser, params: Record<string, string>, cycleId: number, data: Record<string, unknown> = {}) => {
    const candidate = await load(params)
    const cycle = await db.selectFrom('cycles').select(['id', 'ruleset_id']).where('id', '=', cycleId).executeTakeFirst()
    if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
    const baseline = (await findRuleSet(db, cycle.ruleset_id))!
    const report = await oneSimulation(() => refuseRunaway(() => simulateCycle(db, baseline, candidate, cycle.id)))
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(candidate.id), action: 'simulate', reason: null, data: { cycleId: cycle.id, ...report.summary, ...data } })
    return report
  }

  return featureApp()
    .openapi(schemaRoute, (c) => c.json(ruleSetJsonSchema() as Record<string, unknown>, 200))
    .openapi(listRoute, async (c) => {
      const query = c.req.valid('query')
      const rows = page(c, await listRuleSets(db, { after: query.after, limit: query.limit + 1 }), query.limit)
      return c.json(
        rows.map((r) => {
          const { definition, ...meta } = view(r)
          return { ...meta, name: definition.name, tests: definition.tests?.length ?? 0, annual: Boolean(definition.annual), subject: definition.subject ?? ('person' as const) }
        }),
        200,
      )
    })
    .openapi(getRoute, async (c) => c.json(view(await load(c.req.valid('param'))), 200))
    .openapi(createRoute, async (c) => {
      const user = c.get('user')
      const ruleSet = await createDraft(db, validDefinition(c.req.valid('json')), user.id)
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(ruleSet.id), action: 'create', reason: null, data: { code: ruleSet.code, version: ruleSet.version, hash: ruleSet.hash } })
      return c.json(view(ruleSet), 201)
    })
    .openapi(newDraftRoute, async (c) => {
      const user = c.get('user')
      const source = await load(c.req.valid('param'))
      const ruleSet = await createDraft(db, source.definition, user.id)
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(ruleSet.id), action: 'create', reason: null, data: { from: source.id, code: ruleSet.code, version: ruleSet.version } })
      return c.json(view(ruleSet), 201)
    })
    .openapi(replaceRoute, async (c) => {
      const user = c.get('user')
      const current = await load(c.req.valid('param'))
      if (current.status !== 'draft') throw new ApiError(409, 'CONFLICT', 'Phiên bản đã ban hành không được sửa; hãy tạo bản nháp mới.', 'Published versions are immutable; create a new draft.')
      const definition = validDefinition(c.req.valid('json'))
      if (definition.code !== current.code) throw new ApiError(400, 'INVALID_RULE_SET', 'Không được đổi mã bộ quy tắc.', 'The rule set code cannot change.', [{ path: 'code', message: 'cannot change' }])
      const updated = await updateDraft(db, current.id, definition)
      if (!updated) throw new ApiError(409, 'CONFLICT', 'Bản nháp vừa được ban hành.', 'The draft was just published.')
      const changes = diffRuleSets(current.definition, definition)
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'update', reason: null, data: { hash: updated.hash, changes: changes.map((d) => ({ path: d.path, change: d.change, summary: d.summary.vi })) } })
      return c.json(view(updated), 200)
    })
    .openapi(diffRoute, async (c) => {
      const current = await load(c.req.valid('param'))
      const { against } = c.req.valid('query')
      const other = await findRuleSet(db, against)
      if (!other) throw notFound('bộ quy tắc / rule set', against)
      return c.json({ from: { id: other.id, version: other.version }, to: { id: current.id, version: current.version }, changes: diffRuleSets(other.definition, current.definition) }, 200)
    })
    .openapi(testsRoute, async (c) => {
      const user = c.get('user')
      const ruleSet = await load(c.req.valid('param'))
      const body = c.req.valid('json')
      assertMayRun(ruleSet, user)
      // Cases of one's own run up to 200 evaluations, each up to a whole budget: the editor's business, not everyone's.
      if (body.tests && !user.roles.includes('admin')) throw forbidden('Chỉ quản trị viên mới được chạy ca kiểm thử tự soạn.', 'Only an admin may run test cases of their own.')
      const outcomes = await refuseRunaway(() => runTestCases(ruleSet.definition, body.tests ?? ruleSet.definition.tests ?? []))
      return c.json({ passed: outcomes.filter((o) => o.passed).length, failed: outcomes.filter((o) => !o.passed).length, outcomes }, 200)
    })
    .openapi(publishRoute, async (c) => {
      const user = c.get('user')
      const current = await load(c.req.valid('param'))
      if (current.status !== 'draft') throw new ApiError(409, 'CONFLICT', 'Chỉ bản nháp mới được ban hành.', 'Only a draft can be published.')
      // Again at publish: a draft saved before the budget existed, or under a larger one, is held to today's.
      const overBudget = checkFormulaBudget(current.definition)
      if (overBudget) throw formulaBudgetError(overBudget.error, overBudget.on)
      const failing = (await refuseRunaway(() => runTestCases(current.definition))).filter((o) => !o.passed)
      if (failing.length) {
        const list = failing.slice(0, 5).map((f) => `"${f.name}" (${f.mismatches.map((m) => `${m.field}: ${JSON.stringify(m.expected)} ≠ ${JSON.stringify(m.actual)}`).join(', ')})`).join('; ')
        throw new ApiError(400, 'TESTS_FAILED', `Không ban hành được: ${failing.length} ca kiểm thử sai — ${list}`, `Not published: ${failing.length} failing test case(s) — ${list}`, failing)
      }
      if (!(current.definition.tests ?? []).length) {
        throw new ApiError(400, 'TESTS_FAILED', 'Không ban hành được: bộ quy tắc chưa có ca kiểm thử nào.', 'Not published: the rule set has no test case.', [])
      }
      const published = await publishRuleSet(db, current.id)
      if (!published) throw new ApiError(409, 'CONFLICT', 'Chỉ bản nháp mới được ban hành.', 'Only a draft can be published.')
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'publish', reason: null, ruleset_id: current.id, rule_hash: published.hash })
      return c.json(view(published), 200)
    })
    .openapi(archiveRoute, async (c) => {
      const user = c.get('user')
      const current = await load(c.req.valid('param'))
      const archived = await archiveRuleSet(db, current.id)
      if (!archived) throw new ApiError(409, 'CONFLICT', 'Chỉ phiên bản đã ban hành mới được lưu trữ.', 'Only a published version can be archived.')
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'archive', reason: null, ruleset_id: current.id, rule_hash: archived.hash })
      return c.json(view(archived), 200)
    })
    .openapi(auditRoute, async (c) => {
      const current = await load(c.req.valid('param'))
      const { after, limit } = c.req.valid('query')
      const events = page(c, await listAudit(db, 'ruleset', String(current.id), { after, limit: limit + 1 }), limit)
      return c.json(events.map((e) => ({ ...e, at: e.at.toISOString() })), 200)
    })
    .openapi(simulateRoute, async (c) => {
      const { cycleId, limit } = c.req.valid('json')
      const report = await simulate(c.get('user'), c.req.valid('param'), cycleId)
      return c.json(simulationAnswer(report, limit), 200)
    })
    .openapi(simulateExportRoute, async (c) => {
      const { cycleId } = c.req.valid('query')
      const report = await simulate(c.get('user'), c.req.valid('param'), cycleId, { export: true })
      return csvAnswer(c, `mo-phong-bo-quy-tac-${report.candidate.ruleSetId}-ky-${cycleId}`, simulationCsvRows(report))
    })
    .openapi(evaluateRoute, async (c) => {
      const user = c.get('user')
      const ruleSet = await load(c.req.valid('param'))
      const body = c.req.valid('json')
      assertMayRun(ruleSet, user)
      const role = body.role ?? (body.inputs['role'] === 'leader' ? 'leader' : 'staff')
      const outcome = await refuseRunaway(() => scoreDocument(ruleSet.definition, body.inputs, null, role))
      if (!outcome.ok) throw scoreError(outcome)
      return c.json({ ruleSetId: ruleSet.id, ruleHash: ruleSet.hash, ...outcome.result }, 200)
    })
}

/** The rule sets' routes, as the typed client sees them. */
export type RuleSetsApi = ReturnType<typeof ruleSetsRoutes>
