import type { Db } from '../db/database.js'
import type { LeaderCap } from './leader-cap.js'

/** A unit evaluation as lists and pages show it: the unit, its head, the cycle's period, the stage and result. */
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
  deadlineAt: Date | null
}

/** The row of a unit evaluation (404 for any other evaluation, including a person's own). */
export async function findUnitEvaluation(db: Db, id: number) {
  return db.selectFrom('evaluations').select(['id', 'cycle_id', 'staff_id', 'subject_unit_id']).where('id', '=', id).where('subject_unit_id', 'is not', null).executeTakeFirst()
}

export interface UnitListFilter {
  userId: number
  admin: boolean
  cycleId?: number | undefined
  unitId?: number | undefined
  stage?: string | undefined
  /** What waits for the user now: their unit's self-assessment, a review, a sign-off. */
  assignedToMe?: boolean
  after?: number | undefined
  /** Newest first (the web app's list): the page before the evaluation with this id, or the first. */
  newestFirst?: { before?: number | undefined } | undefined
  limit: number
}

/**
 * The unit evaluations the user is party to (the head, the reviewing leaders, the sign-off), through
 * the indexed party rows like the evaluations list; admins see all. Keyset pages by id.
 */
export async function listUnitEvaluations(db: Db, f: UnitListFilter): Promise<UnitEvaluationItem[]> {
  const mine = (role?: 'owner' | 'reviewer' | 'signoff') => {
    let p = db.selectFrom('evaluation_parties').select('evaluation_id').where('person_id', '=', f.userId)
    if (role) p = p.where('role', '=', role)
    return p
  }
  let q = db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .innerJoin('units as u', 'u.id', 'e.subject_unit_id')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.cycle_id', 'c.name as cycle_name', 'c.period_start', 'c.period_end', 'e.subject_unit_id', 'u.name as unit_name', 'e.staff_id', 's.full_name', 'e.stage', 'e.round', 'e.total', 'e.level', 'e.final_level', 'e.rank_in_cycle', 'e.overdue', 'e.deadline_at'])
    .where('e.subject_unit_id', 'is not', null)
    .orderBy('e.id', f.newestFirst ? 'desc' : 'asc')
  if (f.assignedToMe) {
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('e.stage', '=', 'SELF_ASSESSMENT'), eb('e.id', 'in', mine('owner'))]),
        eb.and([eb('e.stage', '=', 'UNIT_REVIEW'), eb('e.id', 'in', mine('reviewer'))]),
        eb.and([eb('e.stage', '=', 'AWAITING_SIGN_OFF'), eb('e.id', 'in', mine('signoff'))]),
      ]),
    )
  } else if (!f.admin) q = q.where('e.id', 'in', mine())
  if (f.cycleId) q = q.where('e.cycle_id', '=', f.cycleId)
  if (f.unitId) q = q.where('e.subject_unit_id', '=', f.unitId)
  if (f.stage) q = q.where('e.stage', '=', f.stage)
  if (f.after !== undefined) q = q.where('e.id', '>', f.after)
  if (f.newestFirst?.before !== undefined) q = q.where('e.id', '<', f.newestFirst.before)
  const rows = await q.limit(f.limit + 1).execute()
  return rows.map((r) => ({
    id: r.id,
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    unitId: r.subject_unit_id!,
    unitName: r.unit_name,
    headId: r.staff_id,
    headName: r.full_name,
    stage: r.stage,
    round: r.round,
    total: r.total,
    level: r.level,
    finalLevel: r.final_level,
    rankInCycle: r.rank_in_cycle,
    overdue: r.overdue,
    deadlineAt: r.deadline_at,
  }))
}

/** The unit, its head and the cycle's period of one unit evaluation, for its page. */
export async function unitEvaluationContext(db: Db, id: number) {
  return db
    .selectFrom('evaluations as e')
    .innerJoin('cycles as c', 'c.id', 'e.cycle_id')
    .innerJoin('units as u', 'u.id', 'e.subject_unit_id')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select(['u.id as unit_id', 'u.name as unit_name', 'u.code as unit_code', 's.id as head_id', 's.full_name as head_name', 'c.name as cycle_name', 'c.period_kind', 'c.period_start', 'c.period_end', 'c.status as cycle_status'])
    .where('e.id', '=', id)
    .executeTakeFirstOrThrow()
}

/** The cap recorded with a classified evaluation's scores (a head capped by their unit's level), if any. */
export function capOf(scores: unknown): LeaderCap | null {
  return ((scores as { cap?: LeaderCap } | null)?.cap ?? null)
}
