import { z } from '@hono/zod-openapi'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/errors.js'
import type { AppEnv } from '../../server/http/context.js'
import { defineRoute, featureApp, idPath, jsonAnswer, jsonBody } from '../../server/http/openapi.js'

/** A route defined the new way, with roles, a path id, a query and a body. */
const probe = defineRoute({
  method: 'post',
  path: '/api/probes/{id}',
  tags: ['probes'],
  summary: 'Echo the reason',
  roles: ['admin', 'leader'],
  request: {
    params: z.object({ id: idPath }),
    query: z.object({ n: z.coerce.number().int().max(5).optional() }),
    body: jsonBody(z.object({ reason: z.string().trim().min(3), rows: z.array(z.object({ done: z.number() })).optional() })),
  },
  responses: { 201: jsonAnswer(z.object({ id: z.string(), reason: z.string() }), 'Echoed') },
})

const sub = featureApp().openapi(probe, (c) => c.json({ id: c.req.valid('param').id, reason: c.req.valid('json').reason }, 201))

/** The sub-app mounted as app.ts mounts it: a signed-in user (roles from a header here), ApiError answered as JSON. */
const app = new Hono<AppEnv>()
app.use('*', async (c, next) => {
  c.set('user', { id: 1, username: 'u', fullName: 'U', roles: (c.req.header('x-roles') ?? '').split(','), unitId: null })
  await next()
})
app.route('/', sub)
app.onError((err, c) => (err instanceof ApiError ? c.json({ error: { code: err.code, message: err.vi, messageEn: err.en, ...(err.details ? { details: err.details } : {}) } }, err.status) : c.json({ error: { code: 'INTERNAL', message: String(err) } }, 500)))

const send = async (body: string | undefined, { roles = 'leader', type = 'application/json', path = '/api/probes/7' }: { roles?: string; type?: string | null; path?: string } = {}) => {
  const res = await app.request(path, { method: 'POST', headers: { 'x-roles': roles, ...(type ? { 'content-type': type } : {}) }, ...(body !== undefined ? { body } : {}) })
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; messageEn: string; details?: unknown }; reason?: string } }
}

describe('routes defined with @hono/zod-openapi keep the API behaviour', () => {
  it('answers a valid call with what the handler returns', async () => {
    expect(await send(JSON.stringify({ reason: '  Lý do  ' }))).toEqual({ status: 201, body: { id: '7', reason: 'Lý do' } })
  })

  it('checks the roles first: 403 FORBIDDEN, even for an invalid body', async () => {
    const res = await send('{}', { roles: 'staff' })
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Bạn không có quyền thực hiện thao tác này.' })
  })

  it('refuses an invalid body with 400 VALIDATION_FAILED, the fields named as people read them, in Vietnamese then English', async () => {
    const res = await send(JSON.stringify({ reason: 'ab', rows: [{ done: 1 }, { done: 'x' }] }))
    expect(res.status).toBe(400)
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Dữ liệu không hợp lệ (body): reason: Cần ít nhất 3 ký tự / At least 3 characters; rows #2 › done: Phải là số / Must be a number',
      messageEn: 'Invalid body: reason: Cần ít nhất 3 ký tự / At least 3 characters; rows #2 › done: Phải là số / Must be a number',
      details: [
        { path: 'reason', message: 'Cần ít nhất 3 ký tự / At least 3 characters' },
        { path: 'rows.1.done', message: 'Phải là số / Must be a number' },
      ],
    })
  })

  it('refuses an invalid query the same way, naming the query', async () => {
    const res = await send(JSON.stringify({ reason: 'Lý do' }), { path: '/api/probes/7?n=9' })
    expect([res.status, res.body.error?.code, res.body.error?.message]).toEqual([400, 'VALIDATION_FAILED', 'Dữ liệu không hợp lệ (query): n: Không được lớn hơn 5 / Must be at most 5'])
  })

  it('reads the body as before: unparsable 400 BAD_REQUEST, empty as {}, whatever its Content-Type', async () => {
    expect(await send('{"reason": ')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Nội dung yêu cầu không phải JSON hợp lệ.' } } })
    expect(await send(undefined)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'reason', message: 'Bắt buộc nhập / Required' }] } } })
    expect(await send(JSON.stringify({ reason: 'Lý do' }), { type: null })).toMatchObject({ status: 201, body: { reason: 'Lý do' } })
    expect(await send(JSON.stringify({ reason: 'Lý do' }), { type: 'text/plain' })).toMatchObject({ status: 201, body: { reason: 'Lý do' } })
  })

  it('refuses NUL characters and prototype keys anywhere in the body, with their path', async () => {
    expect(await send(JSON.stringify({ reason: 'a\u0000bc' }))).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'reason' }] } } })
    expect(await send('{"reason": "Lý do", "rows": [{"__proto__": {"done": 1}}]}')).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'rows[0].__proto__' }] } } })
  })

  it('describes the route in the generated OpenAPI document from the same schemas, with the error shape', () => {
    const doc = sub.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'probe', version: '1' } })
    const op = doc.paths!['/api/probes/{id}']!.post!
    expect(op).toMatchObject({ tags: ['probes'], summary: 'Echo the reason' })
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true }), expect.objectContaining({ name: 'n', in: 'query', required: false })]))
    expect(op.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { properties: { reason: { type: 'string', minLength: 3 } }, required: ['reason'] } } } })
    expect(op.responses?.['201']).toMatchObject({ content: { 'application/json': { schema: { properties: { id: { type: 'string' }, reason: { type: 'string' } } } } } })
    expect(op.responses?.['4XX']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })
    expect(doc.components?.schemas?.['Error']).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message', 'messageEn'] } } })
  })
})
