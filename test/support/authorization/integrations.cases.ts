import type { Case, MatrixContext } from './context.js'

/**
 * The integrations routes in the authorization matrix. The admin manages connected systems and the
 * national-database delivery; the key routes (tasks, indicators) answer connected systems only:
 * anonymous 401, any signed-in user without a key 403.
 */
export const integrationsCases = (ctx: MatrixContext): Case[] => {
  const { t, get, send, cycleId } = ctx
  let system: Promise<{ id: number; keyId: number }> | undefined
  /** A connected system of the fixture, created once by the admin when a case first needs it. */
  const fixture = () =>
    (system ??= (async () => {
      const created = await t.api('POST', '/api/integrations/systems', await t.login('admin'), { code: 'matrix-eoffice', name: 'e-Office (ma trận quyền)' })
      return { id: created.body.id as number, keyId: created.body.issuedKey.keyId as number }
    })())
  const onSystem = (method: string, path: (s: { id: number; keyId: number }) => string, body?: unknown): Case['call'] => async (tk) => send(method, path(await fixture()), body)(tk)
  const csv = 'externalId,username,productCode,quantity,assignedOn,dueOn,status\nM-1,cv.maiphuong,B01,1,2026-10-06,2026-10-20,assigned\n'
  return [
    { route: 'GET /api/integrations/systems', call: get('/api/integrations/systems'), allow: ['admin'] },
    { route: 'POST /api/integrations/systems', call: send('POST', '/api/integrations/systems', {}), allow: ['admin'] },
    { route: 'PATCH /api/integrations/systems/{id}', call: onSystem('PATCH', (s) => `/api/integrations/systems/${s.id}`, { name: 'e-Office' }), allow: ['admin'] },
    { route: 'POST /api/integrations/systems/{id}/keys', call: onSystem('POST', (s) => `/api/integrations/systems/${s.id}/keys`), allow: ['admin'] },
    { route: 'POST /api/integrations/systems/{id}/keys/{keyId}/revoke', call: onSystem('POST', (s) => `/api/integrations/systems/${s.id}/keys/${s.keyId}/revoke`), allow: ['admin'] },
    { route: 'GET /api/integrations/calls', call: get('/api/integrations/calls'), allow: ['admin'] },
    { route: 'POST /api/integrations/tasks', call: send('POST', '/api/integrations/tasks', { tasks: [{ externalId: 'M-2' }] }), allow: [] },
    { route: 'PUT /api/integrations/national-db/decision', call: send('PUT', '/api/integrations/national-db/decision', { cycleId }), allow: ['admin'] },
    { route: 'POST /api/integrations/national-db/send', call: send('POST', '/api/integrations/national-db/send', { cycleId }), allow: ['admin'] },
    { route: 'GET /api/integrations/national-db/status', call: get(`/api/integrations/national-db/status?cycleId=${cycleId}`), allow: ['admin'] },
    { route: 'GET /api/integrations/national-db/export', call: get(`/api/integrations/national-db/export?cycleId=${cycleId}&format=csv`), allow: ['admin'] },
    { route: 'POST /api/integrations/tasks/import', call: onSystem('POST', (s) => `/api/integrations/tasks/import?systemId=${s.id}&dryRun=true`, csv), allow: ['admin'] },
  ]
}
