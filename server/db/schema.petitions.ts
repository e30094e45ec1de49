import type { ColumnType, Generated } from 'kysely'

/** One petition (kiến nghị) of an evaluated person on their result; see migration 2026-12-01-010. */
export interface PetitionTable {
  id: Generated<number>
  cycle_id: number
  evaluation_id: number
  filed_by: number
  reason: string
  status: 'OPEN' | 'ACCEPTED' | 'REJECTED'
  /** Who must answer: the evaluation's sign-off leaders; empty = the admins (a leader's own evaluation). */
  authority_ids: ColumnType<number[], string, string>
  filed_at: ColumnType<Date, string | undefined, never>
  answer_due_at: Date
  /** When the authority is reminded, if the petition is still unanswered. */
  remind_at: Date
  answered_by: number | null
  answered_at: Date | null
  answer_reason: string | null
  /** The cycle workflow's key for the filing: a retried activity inserts nothing twice. */
  idempotency_key: string
}

/** Tables of the petitions feature (see its migration). */
export interface PetitionsTables {
  petitions: PetitionTable
}
