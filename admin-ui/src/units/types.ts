/** A unit evaluation as `GET /api/unit-evaluations` lists it. */
export interface UnitEvaluationItem {
  id: number
  cycleId: number
  cycleName: string
  periodStart: string
  periodEnd: string
  unitId: number
  unitName: string
  headId: number
  headName: string
  stage: string
  round: number
  total: number | null
  level: string | null
  finalLevel: string | null
  rankInCycle: number | null
  overdue: boolean
  deadlineAt: string | null
}

/** What `GET /api/unit-evaluations/:id` adds to the evaluation. */
export interface UnitContext {
  subject: 'unit'
  unit: { id: number; code: string; name: string }
  head: { id: number; name: string }
  cycle: { id: number; name: string; periodKind: string; periodStart: string; periodEnd: string; status: string }
  stage: string
  total: number | null
  level: string | null
  finalLevel: string | null
  allowedActions: string[]
}

/** A head's level lowered to their unit's (in a personal cycle's results). */
export interface LeaderCap {
  unitId: number
  unitName: string
  unitLevel: string
  from: string
  to: string
  text: { vi: string; en: string }
}
