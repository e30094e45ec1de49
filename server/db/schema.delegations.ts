import type { ColumnType, Generated } from 'kysely'

/** One delegation (ủy quyền): the principal's review or sign-off, to a delegate, over inclusive dates; see migration 2026-12-01-012. */
export interface DelegationTable {
  id: Generated<number>
  principal_id: number
  delegate_id: number
  scope: 'review' | 'sign-off'
  /** yyyy-mm-dd, inclusive. */
  from_date: string
  to_date: string
  reason: string
  created_at: ColumnType<Date, string | undefined, never>
  /** Ended early by the principal (or an admin); null while it runs its course. */
  ended_at: Date | null
  ended_by: number | null
}

/** Tables of the delegations feature; see migration 2026-12-01-012-delegations. */
export interface DelegationsTables {
  delegations: DelegationTable
}
