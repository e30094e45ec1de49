import type { Client } from '@temporalio/client'
import type { Db } from '../db/database.js'
import { overdueSyncs } from '../integrations/national-db.repo.js'

export interface Health {
  /** ok: everything answers and no projection alert is open; degraded otherwise. */
  status: 'ok' | 'degraded'
  database: 'ok' | 'unavailable'
  temporal: 'ok' | 'unavailable'
  /** Projections that found a different transition at their version, or could not score: operators look at these. */
  projectionAlerts: number
  /** Cycles whose results have not all reached the national database within 3 working days. */
  nationalDbOverdue: number
}

/** Checks the database and Temporal, each within a second, and counts open projection alerts. */
export async function checkHealth({ db, client }: { db: Db; client: Client }): Promise<Health> {
  const within = <T,>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref())])
  const [alerts, temporal, overdue] = await Promise.all([
    within(db.selectFrom('projection_alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('resolved_at', 'is', null).executeTakeFirstOrThrow()).then(
      (r) => Number(r.n),
      () => null,
    ),
    client
      .withDeadline(Date.now() + 1000, () => client.workflowService.getSystemInfo({}))
      .then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      ),
    within(overdueSyncs(db)).catch(() => 0),
  ])
  const database = alerts === null ? 'unavailable' : 'ok'
  return { status: database === 'ok' && temporal === 'ok' && alerts === 0 && overdue === 0 ? 'ok' : 'degraded', database, temporal, projectionAlerts: alerts ?? 0, nationalDbOverdue: overdue }
}
