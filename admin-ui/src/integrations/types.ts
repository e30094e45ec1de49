/** What the integrations routes answer (server/integrations/*). */
export interface KeyView {
  id: number
  prefix: string
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
  state: 'active' | 'expiring' | 'expired' | 'revoked'
}

export interface SystemView {
  id: number
  code: string
  name: string
  requireSignature: boolean
  active: boolean
  createdAt: string
  keys: KeyView[]
}

export interface IssuedKey {
  keyId: number
  key: string
  signingSecret: string
  prefix: string
}

export interface CallView {
  id: number
  systemId: number | null
  systemCode: string | null
  endpoint: string
  status: number
  errorCode: string | null
  rows: number
  accepted: number
  unchanged: number
  rejected: { row: number; externalId: string | null; code: string; message: string; messageEn: string }[]
  at: string
}

export interface SyncStatus {
  cycleId: number
  cycleName: string
  cycleStatus: string
  decision: { number: string; date: string } | null
  startedAt: string | null
  dueAt: string | null
  finishedAt: string | null
  overdue: boolean
  counts: { sent: number; refused: number; invalid: number; pending: number }
  records: { staffId: number; fullName: string; username: string; record: Record<string, unknown>; status: 'pending' | 'sent' | 'refused' | 'invalid'; reason: string | null; attempts: number; sentAt: string | null }[]
}
