/** A petition as `GET /api/petitions` answers it. */
export interface Petition {
  id: number
  cycleId: number
  evaluationId: number
  filedBy: number
  fullName: string
  unitId: number
  unitName: string
  finalLevel: string | null
  stage: string
  reason: string
  status: 'OPEN' | 'ACCEPTED' | 'REJECTED'
  filedAt: string
  answerDueAt: string
  answeredBy: number | null
  answeredAt: string | null
  answerReason: string | null
  mayAnswer: boolean
}

/** The cycle fields the petition screens read. */
export interface PublishedCycle {
  id: number
  publishedAt: string | null
  petitionClosesAt: string | null
  resultsLockedAt: string | null
}

export const PETITION_STATUS: Record<Petition['status'], [string, string]> = {
  OPEN: ['chờ trả lời', 'waiting for an answer'],
  ACCEPTED: ['được chấp nhận', 'accepted'],
  REJECTED: ['không được chấp nhận', 'rejected'],
}
