import { ruleSetHash } from '../../rules/ruleset.hash.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { MemberRow } from '../cycles/cycle-members.repo.js'
import type { ScoringSide } from './simulate.service.js'

/**
 * A cycle of `count` NĐ 335 evaluations made up for the simulation's warm-up and the rules
 * benchmark: units of 100, one head (scored as a leader, reviewing the unit) and 99 staff with three
 * products each, the figures drawn from a fixed seed (the same members every time).
 */
export function sampleMembers(count: number): MemberRow[] {
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const members: MemberRow[] = []
  for (let i = 0; i < count; i++) {
    const unitId = Math.floor(i / 100) + 1
    const head = i % 100 === 0
    const headStaffId = (unitId - 1) * 100 + 1
    const products = Array.from({ length: 3 }, (_, p) => {
      const assigned = int(2, 20)
      return { code: `P${p}`, k: [1, 1.5, 2.5][p]!, assigned, done: int(Math.floor(assigned / 2), assigned), qualityFailures: int(0, 2), delays: int(0, 2) }
    })
    members.push({
      id: i + 1,
      staffId: i + 1,
      unitId,
      positionCode: head ? 'TP' : 'CV',
      ruleRole: head ? 'leader' : 'staff',
      data: { general: mau01General(int(6, 10), int(6, 10), int(5, 10)), assessment: ASSESSMENT, products },
      adjustments: head ? { leader: { unitPlanScore: int(60, 100) } } : random() < 0.01 ? { overrides: { discipline: 'reprimand' } } : null,
      reviewerIds: head ? [] : [headStaffId],
      ruleSetId: 1,
      stage: 'SIGNED_OFF',
      fullName: `Cán bộ ${i + 1}`,
      unitName: `Phòng ${unitId}`,
    })
  }
  return members
}

/** One side of a comparison over the sample: every member scored with `definition` (under `id`), its quota applying. */
export function sampleSide(definition: RuleSetDefinition, id: number): ScoringSide {
  const ref = { id, hash: ruleSetHash(definition), definition }
  return { ruleSetId: id, quota: ref, of: () => ref }
}

/** The person's review, filled as submission requires. */
const ASSESSMENT = { strengths: 'Hoàn thành nhiệm vụ được giao', weaknesses: 'Cần chủ động hơn', proposedLevel: 'HTT' }

/** Mẫu 01's general criteria with groups I, II, III scoring these points (out of 10), spread in quarter points over their criteria. */
function mau01General(ethics: number, competence: number, innovation: number) {
  const spread = (points: number, keys: string[]) => {
    const quarters = Math.round(points * 4)
    return Object.fromEntries(keys.map((k, i) => [k, (Math.floor(quarters / keys.length) + (i < quarters % keys.length ? 1 : 0)) / 4]))
  }
  return {
    ethics: spread(ethics, ['politics', 'discipline']),
    competence: spread(competence, ['expertise', 'taskResponse', 'responsibility', 'serviceAttitude']),
    innovation: spread(innovation, ['renewal', 'creativity', 'daringThought', 'daringAction']),
  }
}
