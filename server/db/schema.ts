import type { CalendarTables } from './schema.calendar.js'
import type { IntegrationsTables } from './schema.integrations.js'
import type { PetitionsTables } from './schema.petitions.js'
import type { IndicatorsTables } from './schema.indicators.js'
import type { DelegationsTables } from './schema.delegations.js'
import type { AnnualTables } from './schema.annual.js'
import type { CycleSubject } from './schema.units.js'
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/*
 * Column types as the code sees them (server/db/database.ts sets both drivers so): a PostgreSQL
 * `date` (every calendar day: periods, validity, due days, delegations…) is its 'yyyy-mm-dd' text,
 * written as that text too; a `numeric` (evaluation totals, numeric(6,2)) is a number. See migration
 * 2026-12-01-015.
 */
type Json<T> = ColumnType<T, string, string>
type JsonOrNull<T> = ColumnType<T | null, string | null, string | null>
type CreatedAt = ColumnType<Date, string | undefined, never>

export interface UnitTable {
  id: Generated<number>
  code: string
  name: string
  parent_id: number | null
  head_id: number | null
}

/** One row: moved by every change to `units` (migration 2026-12-03-017), what an API process's cached organisation is checked against. */
export interface OrgVersionTable {
  id: Generated<number>
  version: string
}

export interface PositionTable {
  code: string
  name: string
}

export interface StaffTable {
  id: Generated<number>
  username: string
  full_name: string
  email: string | null
  unit_id: number | null
  position_code: string | null
  roles: Json<string[]>
  /** Units a leader is responsible for (their unit's subtree when empty). */
  scope_unit_ids: Json<number[]>
  password_hash: string
  active: Generated<boolean>
  /** Personal identification number (số định danh cá nhân, 12 digits): the national database's key; unique where set. */
  personal_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface SessionTable {
  token_hash: string
  staff_id: number
  /** Absolute end, fixed at sign-in. */
  expires_at: Date
  created_at: Generated<Date>
  /** Refreshed at most once a minute while the session is used (idle lifetime). */
  last_seen_at: Generated<Date>
}

/** Sign-in failures under one key (`account:<username>` or `address:<ip>`) and the back-off they earned. */
export interface SignInThrottleTable {
  key: string
  failures: number
  last_failure_at: Date
  blocked_until: Date | null
}

export interface RuleSetTable {
  id: Generated<number>
  code: string
  version: number
  status: 'draft' | 'published' | 'archived'
  definition: Json<unknown>
  hash: string
  created_by: number | null
  created_at: CreatedAt
  published_at: Date | null
}

export interface CycleTable {
  id: Generated<number>
  name: string
  period_kind: 'month' | 'quarter' | 'year'
  /** `date`, read and written as yyyy-mm-dd. */
  period_start: string
  period_end: string
  ruleset_id: number
  status: 'LAUNCHING' | 'OPEN' | 'RANKING_FAILED' | 'RANKED' | 'CLASSIFIED' | 'CANCELLING' | 'CANCELLED'
  unit_ids: Json<number[]>
  durations: Json<CycleDurations>
  created_by: number
  created_at: CreatedAt
  classified_at: Date | null
  /** Publication and petitions (migration 2026-12-01-010): results out to the units, the window's close, the lock. */
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  petition_closes_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  results_locked_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** Who is evaluated (migration 2026-12-01-014): staff, or units (one evaluation per unit, filled by its head). */
  subject: ColumnType<CycleSubject, CycleSubject | undefined, never>
}

export interface CycleDurations {
  selfAssessmentSeconds: number
  reviewSeconds: number
  reminderBeforeSeconds: number
  /** The working-day settings the seconds were computed from at launch, and the due instants they gave. */
  selfAssessmentWorkingDays?: number
  reviewWorkingDays?: number
  reminderWorkingDays?: number
  workingDaysFrom?: string
  selfAssessmentDueAt?: string
  reviewDueAt?: string
  /** The petition window after publication, and the competent authority's time to answer (working days, or seconds in tests). */
  petitionWorkingDays?: number
  petitionSeconds?: number
  petitionAnswerWorkingDays?: number
  petitionAnswerSeconds?: number
}

export interface EvaluationTable {
  id: Generated<number>
  cycle_id: number
  staff_id: number
  unit_id: number
  position_code: string | null
  rule_role: 'staff' | 'leader'
  stage: string
  round: number
  version: number
  data: Json<Record<string, unknown>>
  /** The product lines pre-filled from the confirmed work log at launch (read-only for staff). */
  prefilled_products: ColumnType<Record<string, unknown>[], string | undefined, string>
  reviewer_ids: Json<number[]>
  sign_off_ids: Json<number[]>
  adjustments: JsonOrNull<Record<string, unknown>>
  scores: JsonOrNull<Record<string, unknown>>
  /** The scores without their trace while they are the document's as it stands; kept by triggers (migration 018), never written by the code. */
  current_scores: ColumnType<Record<string, unknown> | null, never, never>
  /** numeric(6,2): the total rounded half-up to two decimals, read as a number. */
  total: number | null
  level: string | null
  final_level: string | null
  override_code: string | null
  quota_cut: boolean | null
  quota_tie: boolean | null
  rank_in_unit: number | null
  rank_in_cycle: number | null
  ruleset_id: number
  rule_hash: string
  overdue: Generated<boolean>
  deadline_at: Date | null
  updated_at: Date
  /** The unit this evaluation evaluates, in a unit cycle (owned by its head); null for a person's own evaluation. */
  subject_unit_id: ColumnType<number | null, number | null | undefined, never>
}

/** Who is party to an evaluation, as rows the inboxes index (owner, reviewer, leadership sign-off). */
export interface EvaluationPartyTable {
  person_id: number
  role: 'owner' | 'reviewer' | 'signoff'
  evaluation_id: number
}

export interface EvaluationRoundTable {
  evaluation_id: number
  round: number
  data: Json<Record<string, unknown>>
  scores: JsonOrNull<Record<string, unknown>>
  submitted_at: Date
  outcome: string | null
  reason: string | null
  decided_by: number | null
  decided_at: Date | null
}

export interface UnitSignOffTable {
  cycle_id: number
  unit_id: number
  signed_by: number
  signed_at: Date
}

export interface QuotaExceptionTable {
  cycle_id: number
  unit_id: number
  cap: number
  reason: string
  granted_by: number
  granted_at: Date
}

export interface AuditEventTable {
  id: Generated<number>
  at: CreatedAt
  actor_id: number | null
  entity: 'evaluation' | 'cycle' | 'unit' | 'staff' | 'ruleset' | 'auth' | 'work_item' | 'catalogue' | 'calendar' | 'integration' | 'petition' | 'delegation'
  entity_id: string
  action: string
  from_stage: string | null
  to_stage: string | null
  reason: string | null
  data: JsonOrNull<Record<string, unknown>>
  ruleset_id: number | null
  rule_hash: string | null
  /** Business key: an activity retried after a crash writes nothing twice. */
  idempotency_key: string | null
  /** sha256(previous hash | canonical event), set by the chaining trigger. */
  hash: Generated<string>
}

export interface NotificationTable {
  id: Generated<number>
  recipient_id: number
  evaluation_id: number | null
  kind: string
  message_vi: string
  message_en: string
  created_at: CreatedAt
  idempotency_key: string
  /** A digest: the evaluations it covers (one reminder or escalation per person, kind and day). */
  evaluation_ids: ColumnType<number[] | null, string | null | undefined, string | null>
  /** When the recipient marked it read; null while unread. */
  read_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface CatalogueProductTable {
  id: Generated<number>
  code: string
  name: string
  unit_of_measure: string
  k: number
  norm_hours: number
  group_code: 'A' | 'B' | 'C' | 'D'
  position_codes: Json<string[]>
  /** yyyy-MM-dd; the version applies from this day to valid_to (inclusive) or onwards. */
  valid_from: string
  valid_to: string | null
  created_by: number | null
  created_at: CreatedAt
}

export type WorkItemStatus = 'PROPOSED' | 'OPEN' | 'DONE' | 'CONFIRMED' | 'REJECTED'

export interface WorkItemTable {
  id: Generated<number>
  staff_id: number
  unit_id: number
  product_id: number
  product_code: string
  title: string | null
  /** assigned by the head, planned by the staff member, or arising (needs the head's acceptance). */
  kind: 'assigned' | 'planned' | 'arising'
  status: WorkItemStatus
  quantity: number
  done_quantity: Generated<number>
  assigned_on: string
  due_on: string
  extended_to: string | null
  completed_on: string | null
  hours: Generated<number>
  quality_failures: Generated<number>
  created_by: number
  confirmed_by: number | null
  confirmed_at: Date | null
  version: Generated<number>
  created_at: CreatedAt
}

export interface WorkItemUpdateTable {
  id: Generated<number>
  work_item_id: number
  kind: 'progress' | 'complete' | 'accept' | 'reject' | 'confirm' | 'qualityFailure' | 'extend'
  on_date: string
  hours: Generated<number>
  done_quantity: number | null
  note: string | null
  by_id: number
  at: CreatedAt
}

/** One projected transition: the ledger that makes a projection exactly-once and detects a conflicting one. */
export interface EvaluationTransitionTable {
  evaluation_id: number
  version: number
  action: string
  from_stage: string
  to_stage: string
  actor_id: number | null
  hash: string
  recorded_at: Date
  projected_at: Generated<Date>
}

/** What a projection or the reconciler found wrong (a conflicting transition, a score that failed): health shows the open ones. */
export interface ProjectionAlertTable {
  id: Generated<number>
  evaluation_id: number
  version: number
  kind: string
  message: string
  created_at: Generated<Date>
  resolved_at: Date | null
}

export interface Database extends CalendarTables, IntegrationsTables, PetitionsTables, IndicatorsTables, DelegationsTables, AnnualTables {
  units: UnitTable
  org_version: OrgVersionTable
  positions: PositionTable
  staff: StaffTable
  sessions: SessionTable
  sign_in_throttles: SignInThrottleTable
  rulesets: RuleSetTable
  cycles: CycleTable
  evaluations: EvaluationTable
  evaluation_parties: EvaluationPartyTable
  evaluation_rounds: EvaluationRoundTable
  unit_sign_offs: UnitSignOffTable
  quota_exceptions: QuotaExceptionTable
  audit_events: AuditEventTable
  notifications: NotificationTable
  catalogue_products: CatalogueProductTable
  work_items: WorkItemTable
  work_item_updates: WorkItemUpdateTable
  evaluation_transitions: EvaluationTransitionTable
  projection_alerts: ProjectionAlertTable
}

export type StaffRow = Selectable<StaffTable>
export type UnitRow = Selectable<UnitTable>
export type CycleRow = Selectable<CycleTable>
export type EvaluationRow = Selectable<EvaluationTable>
export type RuleSetRow = Selectable<RuleSetTable>
export type NewAuditEvent = Insertable<AuditEventTable>
