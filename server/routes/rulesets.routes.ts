import type { Hono } from 'hono'
import { z } from 'zod'
import { ruleSetDefinitionSchema } from '../../rules/ruleset.schema.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { appendAudit } from '../audit/audit.repo.js'
import { ApiError, notFound } from '../errors.js'
import { scoreDocument } from '../evaluations/scoring.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { idParam, route } from '../http/route.js'
import { createDraft, findRuleSet, listRuleSets, publishRuleSet, updateDraft } from '../rulesets/ruleset.repo.js'

const evaluateBody = z.object({ inputs: z.record(z.string(), z.unknown()), role: z.enum(['staff', 'leader']).optional() })

export function ruleSetRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  const load = async (params: Record<string, string>) => {
    const id = idParam(params, 'id', 'bộ quy tắc / rule set')
    const ruleSet = await findRuleSet(db, id)
    if (!ruleSet) throw notFound('bộ quy tắc / rule set', id)
    return ruleSet
  }

  route(app, { method: 'get', path: '/api/rulesets', summary: 'Rule sets, every version', tag: 'rulesets' }, async () =>
    (await listRuleSets(db)).map(({ definition, ...meta }) => ({ ...meta, name: definition.name })),
  )

  route(app, { method: 'get', path: '/api/rulesets/:id', summary: 'One rule set version with its definition', tag: 'rulesets' }, async ({ params }) => load(params))

  route(app, { method: 'post', path: '/api/rulesets', summary: 'Create a draft (next version of its code)', tag: 'rulesets', roles: ['admin'], body: ruleSetDefinitionSchema, status: 201 }, async ({ body, user }) => {
    const ruleSet = await createDraft(db, body as RuleSetDefinition, user.id)
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(ruleSet.id), action: 'create', reason: null, data: { code: ruleSet.code, version: ruleSet.version } })
    return ruleSet
  })

  route(app, { method: 'put', path: '/api/rulesets/:id', summary: 'Replace a draft definition (published versions are immutable)', tag: 'rulesets', roles: ['admin'], body: ruleSetDefinitionSchema }, async ({ params, body, user }) => {
    const current = await load(params)
    if (current.status !== 'draft') throw new ApiError(409, 'CONFLICT', 'Phiên bản đã ban hành không được sửa; hãy tạo bản nháp mới.', 'Published versions are immutable; create a new draft.')
    if (body.code !== current.code) throw new ApiError(400, 'VALIDATION_FAILED', 'Không được đổi mã bộ quy tắc.', 'The rule set code cannot change.')
    const updated = await updateDraft(db, current.id, body as RuleSetDefinition)
    if (!updated) throw new ApiError(409, 'CONFLICT', 'Bản nháp vừa được ban hành.', 'The draft was just published.')
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'update', reason: null, data: { hash: updated.hash } })
    return updated
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/publish', summary: 'Publish a draft: it becomes immutable', tag: 'rulesets', roles: ['admin'] }, async ({ params, user }) => {
    const current = await load(params)
    const published = await publishRuleSet(db, current.id)
    if (!published) throw new ApiError(409, 'CONFLICT', 'Chỉ bản nháp mới được ban hành.', 'Only a draft can be published.')
    await appendAudit(db, { actor_id: user.id, entity: 'ruleset', entity_id: String(current.id), action: 'publish', reason: null, ruleset_id: current.id, rule_hash: published.hash })
    return published
  })

  route(app, { method: 'post', path: '/api/rulesets/:id/evaluate', summary: 'Score sample inputs: values, level and trace', tag: 'rulesets', body: evaluateBody }, async ({ params, body }) => {
    const ruleSet = await load(params)
    const role = body.role ?? (body.inputs['role'] === 'leader' ? 'leader' : 'staff')
    const outcome = scoreDocument(ruleSet.definition, body.inputs, null, role)
    if (!outcome.ok) throw new ApiError(400, outcome.code, outcome.vi, outcome.en, outcome.errors)
    return { ruleSetId: ruleSet.id, ruleHash: ruleSet.hash, ...outcome.result }
  })
}
