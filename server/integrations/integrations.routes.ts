import { z } from '@hono/zod-openapi'
import { ApiError } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../http/openapi.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { readTable } from '../org/spreadsheet.js'
import { CallView, IssuedKey, KEY_AUTH_DESCRIPTION, SystemView, TaskBatchResult, sendingSystem } from './integrations.schemas.js'
import { callerOf, keyAuth } from './key-auth.js'
import { createSystem, listCalls, listSystems, recordCall, revokeKey, rotateKey, updateSystem } from './systems.repo.js'
import { taskFromCells } from './tasks.plan.js'
import { ingestTasks } from './tasks.repo.js'

const TASKS = '/api/integrations/tasks'
const admin = ['admin']
const tags = ['integrations']
const systemPath = z.object({ id: idPath })

const listSystemsRoute = defineRoute({
  method: 'get',
  path: '/api/integrations/systems',
  tags,
  summary: 'Connected systems and their keys (never the keys themselves)',
  roles: admin,
  responses: { 200: jsonAnswer(z.array(SystemView), 'The systems') },
})

const createSystemRoute = defineRoute({
  method: 'post',
  path: '/api/integrations/systems',
  tags,
  summary: 'Connect a system: answers its first API key and signing secret, shown this once',
  roles: admin,
  request: {
    body: jsonBody(
      z.object({
        code: z.string().regex(/^[A-Za-z0-9_.-]{2,40}$/, 'chữ, số, . _ - (2–40 ký tự) / letters, digits, . _ -'),
        name: z.string().trim().min(1).max(200),
        requireSignature: z.boolean().default(false),
      }),
    ),
  },
  responses: { 201: jsonAnswer(SystemView.extend({ issuedKey: IssuedKey }), 'Connected') },
})

const updateSystemRoute = defineRoute({
  method: 'patch',
  path: '/api/integrations/systems/{id}',
  tags,
  summary: 'Rename a system, require signed calls, or suspend it (active: false)',
  roles: admin,
  request: {
    params: systemPath,
    body: jsonBody(
      z
        .object({ name: z.string().trim().min(1).max(200).optional(), requireSignature: z.boolean().optional(), active: z.boolean().optional() })
        .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'không có gì để thay đổi / nothing to change' }),
    ),
  },
  responses: { 200: jsonAnswer(SystemView, 'Changed') },
})

const rotateKeyRoute = defineRoute({
  method: 'post',
  path: '/api/integrations/systems/{id}/keys',
  tags,
  summary: 'Rotate: a new key and signing secret (shown once); the current keys keep working 24 h',
  roles: admin,
  request: { params: systemPath },
  responses: { 201: jsonAnswer(IssuedKey, 'The new key') },
})

const revokeKeyRoute = defineRoute({
  method: 'post',
  path: '/api/integrations/systems/{id}/keys/{keyId}/revoke',
  tags,
  summary: 'Revoke a key at once',
  roles: admin,
  request: { params: z.object({ id: idPath, keyId: idPath }) },
  responses: { 200: jsonAnswer(z.object({ revoked: z.literal(true) }), 'Revoked') },
})

const listCallsRoute = defineRoute({
  method: 'get',
  path: '/api/integrations/calls',
  tags,
  summary: 'The calls of connected systems, newest first, with the rows they had refused; keyset pages (?before=&limit=, Link: rel="next")',
  roles: admin,
  request: { query: z.object({ systemId: dbIdQuery.optional(), before: z.coerce.number().int().min(1).max(2_147_483_647).optional(), limit: pageQuery.limit }) },
  responses: { 200: jsonAnswer(z.array(CallView), 'One page, newest first (Link: <…>; rel="next" when there is more)') },
})

const tasksRoute = defineRoute({
  method: 'post',
  path: TASKS,
  tags,
  summary: 'Tasks from a task-assignment system (X-KPI-Key, optionally signed): upserts work items by external id; refused rows listed with reasons',
  description: KEY_AUTH_DESCRIPTION,
  security: [],
  request: {
    body: jsonBody(
      z.object({
        system: sendingSystem,
        tasks: z.array(z.unknown()).min(1).max(1000).openapi({ description: 'task rows, each checked on its own (refused ones listed with the reason)' }),
      }),
    ),
  },
  responses: { 200: jsonAnswer(TaskBatchResult, 'What was written and what was refused') },
})

const importTasksRoute = defineRoute({
  method: 'post',
  path: `${TASKS}/import`,
  tags,
  summary:
    'The same task rows from a CSV or XLSX file (columns externalId, personalId, username, productCode, title, quantity, doneQuantity, assignedOn, dueOn, completedOn, extendedTo, status) on behalf of a system; ?dryRun=true writes nothing',
  description: 'The body is the file itself (CSV or XLSX), read as sent; at most 5,000 rows.',
  roles: admin,
  request: { query: z.object({ systemId: dbIdQuery, dryRun: z.enum(['true', 'false']).optional() }) },
  responses: { 200: jsonAnswer(TaskBatchResult.extend({ dryRun: z.boolean() }), 'What was (or, with dryRun, would be) written and what was refused') },
})

/** Routes of the integrations feature: connected systems and their keys, tasks in, results out. */
export function integrationsRoutes({ db }: AppDeps) {
  const app = featureApp()
  // A connected system's key (and signature, over the raw body) is checked before anything reads the body.
  app.use(TASKS, keyAuth(db))
  return app
    .openapi(listSystemsRoute, async (c) => c.json(await listSystems(db), 200))
    .openapi(createSystemRoute, async (c) => {
      const { system, issued } = await createSystem(db, c.req.valid('json'), c.get('user').id)
      return c.json({ ...system, issuedKey: issued }, 201)
    })
    .openapi(updateSystemRoute, async (c) => {
      const id = idParam(c.req.valid('param'), 'id', 'hệ thống / system')
      return c.json(await updateSystem(db, id, c.req.valid('json'), c.get('user').id), 200)
    })
    .openapi(rotateKeyRoute, async (c) => c.json(await rotateKey(db, idParam(c.req.valid('param'), 'id', 'hệ thống / system'), c.get('user').id), 201))
    .openapi(revokeKeyRoute, async (c) => {
      const params = c.req.valid('param')
      await revokeKey(db, idParam(params, 'id', 'hệ thống / system'), idParam(params, 'keyId', 'khóa / key'), c.get('user').id)
      return c.json({ revoked: true as const }, 200)
    })
    .openapi(listCallsRoute, async (c) => {
      const query = c.req.valid('query')
      return c.json(page(c, await listCalls(db, query, query.limit + 1), query.limit, 'before'), 200)
    })
    .openapi(tasksRoute, async (c) => {
      const body = c.req.valid('json')
      const caller = callerOf(c)
      if (body.system && body.system !== caller.systemCode) {
        throw new ApiError(403, 'FORBIDDEN', `Khóa này thuộc hệ thống ${caller.systemCode}, không phải ${body.system}.`, `This key belongs to ${caller.systemCode}, not ${body.system}.`)
      }
      const result = await withRetryOnRace(() => ingestTasks(db, caller, body.tasks))
      await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint: `POST ${TASKS}`, status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return c.json(result, 200)
    })
    .openapi(importTasksRoute, async (c) => {
      const user = c.get('user')
      const query = c.req.valid('query')
      const system = await db.selectFrom('integration_systems').select(['id', 'code', 'created_by']).where('id', '=', query.systemId).executeTakeFirst()
      if (!system) throw new ApiError(404, 'NOT_FOUND', `Không tìm thấy hệ thống #${query.systemId}.`, `No system #${query.systemId}.`)
      const rows = await readTable(new Uint8Array(await c.req.raw.arrayBuffer()))
      if (!rows.length) throw new ApiError(400, 'BAD_REQUEST', 'Tệp không có dòng dữ liệu nào.', 'The file has no data rows.')
      if (rows.length > 5000) throw new ApiError(400, 'BAD_REQUEST', 'Tệp có quá 5.000 dòng; hãy chia nhỏ.', 'More than 5,000 rows; split the file.')
      const dryRun = query.dryRun === 'true'
      const caller = { systemId: system.id, systemCode: system.code, ownerId: user.id }
      const result = await withRetryOnRace(() => ingestTasks(db, caller, rows.map(taskFromCells), { dryRun }))
      if (!dryRun) await recordCall(db, { systemId: system.id, keyId: null, endpoint: `POST ${TASKS}/import (${user.username})`, status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return c.json({ dryRun, ...result }, 200)
    })
}

/** Two batches creating the same new external id at once: the loser's transaction fails whole on the unique index; planned again, its row is an update. */
async function withRetryOnRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if ((err as { code?: unknown }).code !== '23505') throw err
    return run()
  }
}

/** The integrations' routes, as the typed client sees them. */
export type IntegrationsApi = ReturnType<typeof integrationsRoutes>
