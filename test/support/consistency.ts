import { sql } from 'kysely'
import { evaluationStateQuery, evaluationWorkflowId } from '../../workflows/definitions.js'
import { isLedgerOf } from '../../server/evaluations/transition.projection.js'
import type { TestSystem } from './harness.js'

/**
 * For every evaluation of the cycle: the workflow's state = the read model (stage, version) =
 * the projection ledger (one row per recorded transition, same hash) = the audit (one event per
 * transition, same actions in order). Returns what differs, empty when all agree.
 */
export async function inconsistencies(t: TestSystem, cycleId: number): Promise<string[]> {
  const { db, client } = t.system
  const rows = await db.selectFrom('evaluations').select(['id', 'staff_id', 'stage', 'version']).where('cycle_id', '=', cycleId).orderBy('id').execute()
  const problems: string[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < rows.length) {
        const row = rows[next++]!
        const wf = await client.workflow.getHandle(evaluationWorkflowId(cycleId, row.staff_id)).query(evaluationStateQuery)
        const say = (what: string) => problems.push(`evaluation ${row.id}: ${what}`)
        if (wf.stage !== row.stage || wf.version !== row.version) say(`workflow ${wf.stage} v${wf.version}, read model ${row.stage} v${row.version}`)
        const ledger = await db.selectFrom('evaluation_transitions').select(['version', 'hash']).where('evaluation_id', '=', row.id).orderBy('version').execute()
        if (ledger.length !== wf.transitions.length || ledger.some((l, i) => l.version !== i + 1 || !isLedgerOf(l.hash, wf.transitions[i]!))) say(`ledger ${ledger.length} rows, workflow ${wf.transitions.length} transitions, or a hash differs`)
        const audit = await db
          .selectFrom('audit_events')
          .select('action')
          .where('entity', '=', 'evaluation')
          .where('entity_id', '=', String(row.id))
          .where('action', 'not in', ['remind', 'escalate'])
          .orderBy('id')
          .execute()
        const actions = wf.transitions.map((x) => x.action).join(',')
        if (audit.map((a) => a.action).join(',') !== actions) say(`audit [${audit.map((a) => a.action).join(',')}], workflow [${actions}]`)
      }
    }),
  )
  const alerts = await db.selectFrom('projection_alerts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  if (alerts.n) problems.push(`${alerts.n} projection alert(s) raised`)
  return problems
}
