import { z } from '@hono/zod-openapi'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer } from '../http/openapi.js'
import { verifyAuditChain } from './audit-chain.repo.js'

const verifyRoute = defineRoute({
  method: 'get',
  path: '/api/audit/verify',
  tags: ['audit'],
  summary: 'Recomputes the audit hash chain: { ok, checked, firstBrokenId }',
  roles: ['admin'],
  responses: {
    200: jsonAnswer(
      z
        .object({
          ok: z.boolean(),
          checked: z.number().int().openapi({ description: 'entries recomputed' }),
          firstBrokenId: z.number().int().nullable().openapi({ description: 'the first entry whose stored hash differs from the recomputed one (or, rows missing at the end, the head\'s last id)' }),
        })
        .openapi('AuditChainVerdict'),
      'The verdict',
    ),
  },
})

/** The audit trail's own check: every entry's hash recomputed from the one before (admins). */
export function auditRoutes({ db }: AppDeps) {
  return featureApp().openapi(verifyRoute, async (c) => c.json(await verifyAuditChain(db), 200))
}
