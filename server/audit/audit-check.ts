import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { ChainVerdict } from './audit-chain.js'
import { verifyAuditChain } from './audit-chain.repo.js'

const DAY_MS = 24 * 60 * 60_000

/** Verifies the audit chain; on a break, tells every active admin (once per broken event, however many workers check). */
export async function checkAuditChain(db: Db): Promise<ChainVerdict> {
  const verdict = await verifyAuditChain(db)
  if (!verdict.ok && verdict.firstBrokenId !== null) {
    console.error(`Audit chain: broken at event ${verdict.firstBrokenId} (${verdict.checked} checked)`)
    await notifyAdminsOfBreak(db, verdict.firstBrokenId)
  }
  return verdict
}

async function notifyAdminsOfBreak(db: Db, brokenId: number): Promise<void> {
  const admins = await db.selectFrom('staff').select('id').where('active', '=', true).where(sql<boolean>`roles @> '["admin"]'::jsonb`).execute()
  if (!admins.length) return
  await db
    .insertInto('notifications')
    .values(
      admins.map((a) => ({
        recipient_id: a.id,
        evaluation_id: null,
        kind: 'AUDIT_CHAIN_BROKEN',
        message_vi: `Nhật ký kiểm toán bị phá vỡ chuỗi băm từ sự kiện #${brokenId}: nhật ký có thể đã bị sửa hoặc xoá bên ngoài ứng dụng. Hãy kiểm tra (GET /api/audit/verify).`,
        message_en: `The audit hash chain is broken from event #${brokenId}: the audit log may have been altered outside the application. Check it (GET /api/audit/verify).`,
        idempotency_key: `AUDIT_CHAIN_BROKEN:${brokenId}:${a.id}`,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}

/**
 * Checks the chain shortly after the worker starts, then every day. Errors are logged, never
 * thrown; the timers do not keep the process alive. Returns a function that stops them.
 */
export function checkAuditChainDaily(db: Db, options: { firstDelayMs?: number; intervalMs?: number } = {}): () => void {
  const run = () => {
    checkAuditChain(db).catch((err: unknown) => console.warn(`Audit chain: not checked (${String(err)})`))
  }
  let interval: NodeJS.Timeout | undefined
  const first = setTimeout(() => {
    run()
    interval = setInterval(run, options.intervalMs ?? DAY_MS).unref()
  }, options.firstDelayMs ?? 30_000).unref()
  return () => {
    clearTimeout(first)
    clearInterval(interval)
  }
}
