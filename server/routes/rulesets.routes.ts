import type { Hono } from 'hono'
import { z } from 'zod'
import { checkFormulaBudget } from '../../rules/ruleset.budget.js'
import { diffRuleSets } from '../../rules/ruleset.diff.js'
import { ruleSetJsonSchema, testCase } from '../../rules/ruleset.schema.js'
import { runTestCases } from '../../rules/ruleset.tests.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { appendAudit, listAudit } from '../audit/audit.repo.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import { scoreDocument, scoreError } from '../evaluations/scoring.js'
import type { AppDeps, AppEnv, SessionUser } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbId, dbIdQuery } from '../http/schemas.js'
import { formulaBudgetError, refuseRunaway } from '../rulesets/formula-budget.js'
import { simulateCycle } from '../rulesets/simulate.service.js'
import { archiveRuleSet, createDraft, findRuleSet, listRuleSets, publishRuleSet, updateDraft } from '../rulesets/ruleset.repo.js'

const evaluateBody = z.object({ inputs: z.record(z.string(), z.unknown()), role: z.enum(['staff', 'leader']).optional() })
const definitionBody = z.record(z.string(), z.unknown()).describe('A rule set definition: see GET /api/rulesets/schema')
const testsBody = z.object({ tests: z.array(testCase).max(200).optional() })

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

export function ruleSetRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  const load = async (params: Record<string, string>, name = 'id') => {
    const id = idParam(params, name, 'bộ quy tắc / rule set')
    const ruleSet = await findRuleSet(db, id)
    if (!ruleSet) throw notFound('bộ quy tắc / rule set', id)
    return ruleSet
  }

  route(app, { method: 'get', path: '/api/rulesets/schema', summary: 'The JSON Schema of a rule set (drives the editor form)', tag: 'rulesets' }, () => Promise.resolve(ruleSetJsonSchema()))

  route(app, { method: 'get', path: '/api/rulesets', summary: 'Rule sets, every version, by code then version; keyset pages (?after=<rule set id>&limit=, Link: rel="next")', tag: 'rulesets', query: z.object({ ...pageQuery }) }, async ({ c, query }) =>
    page(c, await listRuleSets(db, { after: query.after, limit: query.limit + 1 }), query.limit).map(({ definition, ...meta }) => ({ ...meta, name: definition.name, tests: definition.tests?.length ?? 0, annual: Boolean(definition.annual), subject: definition.subject ?? 'person' })),
  )

  route(app, { method: 'get', path: '/api/rulesets/:id', summary: 'One rule set version with its definition', tag: 'rulesets' }, async ({ params }) => load(params))

  route(app, { method: 'post', path: '/api/rulesets', summary: 'Create a draft (next version of its code), validated', tag: 'rulesets', roles: ['admin'], body: definitionBody, status: 201 }, async ({ body, user }) => {
    const ruleSet = await createDraft(db, validDefinition(body), user.id)
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(ruleSet.id), action: 'create', reason: null, data: { code: ruleSet.code, version: ruleSet.version, hash: ruleSet.hash } })
    return ruleSet
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/draft', summary: 'New draft from this version (copy, next version number)', tag: 'rulesets', roles: ['admin'], status: 201 }, async ({ params, user }) => {
    const source = await load(params)
    const ruleSet = await createDraft(db, source.definition, user.id)
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(ruleSet.id), action: 'create', reason: null, data: { from: source.id, code: ruleSet.code, version: ruleSet.version } })
    return ruleSet
  })

  route(app, { method: 'put', path: '/api/rulesets/:id', summary: 'Replace a draft definition (published versions are immutable)', tag: 'rulesets', roles: ['admin'], body: definitionBody }, async ({ params, body, user }) => {
    const current = await load(params)
    if (current.status !== 'draft') throw new ApiError(409, 'CONFLICT', 'Phiên bản đã ban hành không được sửa; hãy tạo bản nháp mới.', 'Published versions are immutable; create a new draft.')
    const definition = validDefinition(body)
    if (definition.code !== current.code) throw new ApiError(400, 'INVALID_RULE_SET', 'Không được đổi mã bộ quy tắc.', 'The rule set code cannot change.', [{ path: 'code', message: 'cannot change' }])
    const updated = await updateDraft(db, current.id, definition)
    if (!updated) throw new ApiError(409, 'CONFLICT', 'Bản nháp vừa được ban hành.', 'The draft was just published.')
    const changes = diffRuleSets(current.definition, definition)
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'update', reason: null, data: { hash: updated.hash, changes: changes.map((c) => ({ path: c.path, change: c.change, summary: c.summary.vi })) } })
    return updated
  })

  route(app, { method: 'get', path: '/api/rulesets/:id/diff', summary: 'What changed from another version (?against=id) to this one', tag: 'rulesets', query: z.object({ against: dbIdQuery }) }, async ({ params, query }) => {
    const current = await load(params)
    const other = await findRuleSet(db, query.against)
    if (!other) throw notFound('bộ quy tắc / rule set', query.against)
    return { from: { id: other.id, version: other.version }, to: { id: current.id, version: current.version }, changes: diffRuleSets(other.definition, current.definition) }
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/tests', summary: "Run the rule set's test cases (or the ones given: admins) without publishing (a draft: admins only)", tag: 'rulesets', body: testsBody }, async ({ params, body, user }) => {
    const ruleSet = await load(params)
    assertMayRun(ruleSet, user)
    // Cases of one's own run up to 200 evaluations, each up to a whole budget: the editor's business, not everyone's.
    if (body.tests && !user.roles.includes('admin')) throw forbidden('Chỉ quản trị viên mới được chạy ca kiểm thử tự soạn.', 'Only an admin may run test cases of their own.')
    const outcomes = await refuseRunaway(() => runTestCases(ruleSet.definition, body.tests ?? ruleSet.definition.tests ?? []))
    return { passed: outcomes.filter((o) => o.passed).length, failed: outcomes.filter((o) => !o.passed).length, outcomes }
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/publish', summary: 'Publish a draft: its test cases must pass; it becomes immutable', tag: 'rulesets', roles: ['admin'] }, async ({ params, user }) => {
    const current = await load(params)
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
    return published
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/archive', summary: 'Archive a published version (running cycles keep it)', tag: 'rulesets', roles: ['admin'] }, async ({ params, user }) => {
    const current = await load(params)
    const archived = await archiveRuleSet(db, current.id)
    if (!archived) throw new ApiError(409, 'CONFLICT', 'Chỉ phiên bản đã ban hành mới được lưu trữ.', 'Only a published version can be archived.')
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'archive', reason: null, ruleset_id: current.id, rule_hash: archived.hash })
    return archived
  })

  route(app, { method: 'get', path: '/api/rulesets/:id/audit', summary: 'Every change to this rule set version: who, when, what', tag: 'rulesets', roles: ['admin'] }, async ({ params }) => {
    const current = await load(params)
    return listAudit(db, 'ruleset', String(current.id))
  })

  route(
    app,
    { method: 'post', path: '/api/rulesets/:id/simulate', summary: "Re-score a cycle with this version beside the cycle's own: per evaluation, per unit, who changes band. Stores nothing but an audit entry", tag: 'rulesets', roles: ['admin'], body: z.object({ cycleId: dbId }) },
    async ({ params, body, user }) => {
      const candidate = await load(params)
      const cycle = await db.selectFrom('cycles').select(['id', 'ruleset_id']).where('id', '=', body.cycleId).executeTakeFirst()
      if (!cycle) throw notFound('kỳ đánh giá / cycle', body.cycleId)
      const baseline = (await findRuleSet(db, cycle.ruleset_id))!
      const report = await refuseRunaway(() => simulateCycle(db, baseline, candidate, cycle.id))
      await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(candidate.id), action: 'simulate', reason: null, data: { cycleId: cycle.id, ...report.summary } })
      return report
    },
  )

  route(app, { method: 'post', path: '/api/rulesets/:id/evaluate', summary: 'Score sample inputs: every value, the level and a plain-language trace (a draft: admins only)', tag: 'rulesets', body: evaluateBody }, async ({ params, body, user }) => {
    const ruleSet = await load(params)
    assertMayRun(ruleSet, user)
    const role = body.role ?? (body.inputs['role'] === 'leader' ? 'leader' : 'staff')
    const outcome = await refuseRunaway(() => scoreDocument(ruleSet.definition, body.inputs, null, role))
    if (!outcome.ok) throw scoreError(outcome)
    return { ruleSetId: ruleSet.id, ruleHash: ruleSet.hash, ...outcome.result }
  })
}
