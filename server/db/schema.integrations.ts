import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, string | undefined, never>

/** A connected system (e-Office, one-stop service…): its calls are authenticated by its API keys. */
export interface IntegrationSystemTable {
  id: Generated<number>
  code: string
  name: string
  /** Calls must carry a valid X-KPI-Signature (otherwise a signature is checked when present). */
  require_signature: Generated<boolean>
  active: Generated<boolean>
  created_by: number
  created_at: CreatedAt
}

/** An API key of a system: sha256 of the key (never the key), its HMAC signing secret, its life. */
export interface IntegrationKeyTable {
  id: Generated<number>
  system_id: number
  key_hash: string
  /** The key's first characters, to tell keys apart on screen. */
  prefix: string
  signing_secret: string
  created_by: number
  created_at: CreatedAt
  /** Set on rotation: the old key works until then (grace period). */
  expires_at: Date | null
  revoked_at: Date | null
  last_used_at: Date | null
}

/** One call of a system: what it sent, what was taken and what refused (per row). */
export interface IntegrationCallTable {
  id: Generated<number>
  system_id: number | null
  key_id: number | null
  endpoint: string
  status: number
  error_code: string | null
  rows: Generated<number>
  accepted: Generated<number>
  unchanged: Generated<number>
  rejected: ColumnType<RejectedRow[], string | undefined, string>
  at: CreatedAt
}

export interface RejectedRow {
  row: number
  externalId: string | null
  code: string
  message: string
  messageEn: string
}

/** The national-database delivery of one cycle: the decision it cites and its progress. */
export interface NationalDbSyncTable {
  cycle_id: number
  decision_number: string
  /** yyyy-MM-dd */
  decision_date: string
  decided_by: number
  started_at: Date | null
  /** Three working days after the results locked: later than this, health is degraded. */
  due_at: Date | null
  finished_at: Date | null
  alerted_at: Date | null
}

export type NationalDbRecordStatus = 'pending' | 'sent' | 'refused' | 'invalid'

/** One person's record for the national database, its state and the receiver's reason. */
export interface NationalDbRecordTable {
  cycle_id: number
  staff_id: number
  record: ColumnType<Record<string, unknown>, string, string>
  record_hash: string
  status: NationalDbRecordStatus
  reason: string | null
  /** The batch it is being sent in (the same key on every retry of that batch). */
  batch_key: string | null
  attempts: Generated<number>
  sent_at: Date | null
  updated_at: ColumnType<Date, Date | undefined, Date>
}

/** Tables of the integrations feature (see its migration). */
export interface IntegrationsTables {
  integration_systems: IntegrationSystemTable
  integration_keys: IntegrationKeyTable
  integration_calls: IntegrationCallTable
  national_db_syncs: NationalDbSyncTable
  national_db_records: NationalDbRecordTable
}

/** The columns the integrations add to work_items (typed with `db.withTables<WorkItemSourceColumns>()`). */
export type WorkItemSourceColumns = {
  work_items: { source_system_id: number | null; external_id: string | null }
}
