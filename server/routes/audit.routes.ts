import type { Hono } from 'hono'
import { verifyAuditChain } from '../audit/audit-chain.repo.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'

export function auditRoutes(app: Hono<AppEnv>, { db }: AppDeps): void {
  route(
    app,
    { method: 'get', path: '/api/audit/verify', summary: 'Recomputes the audit hash chain: { ok, checked, firstBrokenId }', tag: 'audit', roles: ['admin'] },
    async () => verifyAuditChain(db),
  )
}
