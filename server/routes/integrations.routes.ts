import type { Hono } from 'hono'
import { z } from 'zod'
import { ApiError } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { page, pageQuery } from '../http/paging.js'
import { idParam, route } from '../http/route.js'
import { dbIdQuery } from '../http/schemas.js'
import { readTable } from '../org/spreadsheet.js'
import { callerOf, keyAuth } from '../integrations/key-auth.js'
import { createSystem, listCalls, listSystems, recordCall, revokeKey, rotateKey, updateSystem } from '../integrations/systems.repo.js'
import { taskFromCells } from '../integrations/tasks.plan.js'
import { ingestTasks } from '../integrations/tasks.repo.js'
import { nationalDbRoutes } from '../integrations/national-db.routes.js'

const systemInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9_.-]{2,40}$/, 'chữ, số, . _ - (2–40 ký tự) / letters, digits, . _ -'),
  name: z.string().trim().min(1).max(200),
  requireSignature: z.boolean().default(false),
})
const systemUpdate = z.object({ name: z.string().trim().min(1).max(200).optional(), requireSignature: z.boolean().optional(), active: z.boolean().optional() }).refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'không có gì để thay đổi / nothing to change' })
const tasksBody = z.object({
  /** The sending system's code, when sent, must be the key's. */
  system: z.string().max(40).optional(),
  tasks: z.array(z.unknown()).min(1).max(1000),
})

/** Routes of the integrations feature: connected systems and their keys, tasks in, results out. */
export function integrationsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps
  app.use('/api/integrations/tasks', keyAuth(db))

  route(app, { method: 'get', path: '/api/integrations/systems', summary: 'Connected systems and their keys (never the keys themselves)', tag: 'integrations', roles: ['admin'] }, async () => listSystems(db))

  route(app, { method: 'post', path: '/api/integrations/systems', summary: 'Connect a system: answers its first API key and signing secret, shown this once', tag: 'integrations', roles: ['admin'], body: systemInput, status: 201 }, async ({ body, user }) => {
    const { system, issued } = await createSystem(db, body, user.id)
    return { ...system, issuedKey: issued }
  })

  route(app, { method: 'patch', path: '/api/integrations/systems/:id', summary: "Rename a system, require signed calls, or suspend it (active: false)", tag: 'integrations', roles: ['admin'], body: systemUpdate }, async ({ params, body, user }) =>
    updateSystem(db, idParam(params, 'id', 'hệ thống / system'), body, user.id),
  )

  route(app, { method: 'post', path: '/api/integrations/systems/:id/keys', summary: 'Rotate: a new key and signing secret (shown once); the current keys keep working 24 h', tag: 'integrations', roles: ['admin'], status: 201 }, async ({ params, user }) =>
    rotateKey(db, idParam(params, 'id', 'hệ thống / system'), user.id),
  )

  route(app, { method: 'post', path: '/api/integrations/systems/:id/keys/:keyId/revoke', summary: 'Revoke a key at once', tag: 'integrations', roles: ['admin'] }, async ({ params, user }) => {
    await revokeKey(db, idParam(params, 'id', 'hệ thống / system'), idParam(params, 'keyId', 'khóa / key'), user.id)
    return { revoked: true }
  })

  route(
    app,
    {
      method: 'get',
      path: '/api/integrations/calls',
      summary: 'The calls of connected systems, newest first, with the rows they had refused; keyset pages (?before=&limit=, Link: rel="next")',
      tag: 'integrations',
      roles: ['admin'],
      query: z.object({ systemId: dbIdQuery.optional(), before: z.coerce.number().int().min(1).max(2_147_483_647).optional(), limit: pageQuery.limit }),
    },
    async ({ c, query }) => page(c, await listCalls(db, query, query.limit + 1), query.limit, 'before'),
  )

  route(
    app,
    {
      method: 'post',
      path: '/api/integrations/tasks',
      summary: 'Tasks from a task-assignment system (X-KPI-Key, optionally signed): upserts work items by external id; refused rows listed with reasons',
      tag: 'integrations',
      public: true,
      body: tasksBody,
    },
    async ({ c, body }) => {
      const caller = callerOf(c)
      if (body.system && body.system !== caller.systemCode) {
        throw new ApiError(403, 'FORBIDDEN', `Khóa này thuộc hệ thống ${caller.systemCode}, không phải ${body.system}.`, `This key belongs to ${caller.systemCode}, not ${body.system}.`)
      }
      const result = await withRetryOnRace(() => ingestTasks(db, caller, body.tasks))
      await recordCall(db, { systemId: caller.systemId, keyId: caller.keyId, endpoint: 'POST /api/integrations/tasks', status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return result
    },
  )

  route(
    app,
    {
      method: 'post',
      path: '/api/integrations/tasks/import',
      summary: 'The same task rows from a CSV or XLSX file (columns externalId, personalId, username, productCode, title, quantity, doneQuantity, assignedOn, dueOn, completedOn, extendedTo, status) on behalf of a system; ?dryRun=true writes nothing',
      tag: 'integrations',
      roles: ['admin'],
      query: z.object({ systemId: dbIdQuery, dryRun: z.enum(['true', 'false']).optional() }),
    },
    async ({ c, query, user }) => {
      const system = await db.selectFrom('integration_systems').select(['id', 'code', 'created_by']).where('id', '=', query.systemId).executeTakeFirst()
      if (!system) throw new ApiError(404, 'NOT_FOUND', `Không tìm thấy hệ thống #${query.systemId}.`, `No system #${query.systemId}.`)
      const rows = await readTable(new Uint8Array(await c.req.raw.arrayBuffer()))
      if (!rows.length) throw new ApiError(400, 'BAD_REQUEST', 'Tệp không có dòng dữ liệu nào.', 'The file has no data rows.')
      if (rows.length > 5000) throw new ApiError(400, 'BAD_REQUEST', 'Tệp có quá 5.000 dòng; hãy chia nhỏ.', 'More than 5,000 rows; split the file.')
      const dryRun = query.dryRun === 'true'
      const caller = { systemId: system.id, systemCode: system.code, ownerId: user.id }
      const result = await withRetryOnRace(() => ingestTasks(db, caller, rows.map(taskFromCells), { dryRun }))
      if (!dryRun) await recordCall(db, { systemId: system.id, keyId: null, endpoint: `POST /api/integrations/tasks/import (${user.username})`, status: 200, rows: result.rows, accepted: result.created + result.updated, unchanged: result.unchanged, rejected: result.rejected })
      return { dryRun, ...result }
    },
  )

  nationalDbRoutes(app, deps)
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
