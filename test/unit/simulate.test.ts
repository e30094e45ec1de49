import { describe, expect, it } from 'vitest'
import { nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet, evaluateRuleSets, rebanded, scoresAlikeButBands } from '../../rules/evaluate.js'
import { FormulaBudgetExceeded } from '../../rules/formula.budget.js'
import { ruleSetHash } from '../../rules/ruleset.hash.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import type { MemberRow } from '../../server/cycles/cycle-members.repo.js'
import { classifyCycle, scoreCycle, type RuleSetRef } from '../../server/cycles/cycle-scoring.js'
import { scoreDocument } from '../../server/evaluations/scoring.js'
import { compare, compareYielding, type ScoringSide } from '../../server/rulesets/simulate.service.js'
import { simulationAnswer, simulationCsvRows } from '../../server/rulesets/simulation.answer.js'
import { assessment, general } from '../support/documents.js'
import { nestedReduceAttack } from '../support/formula-attack.js'

const base = nd335RuleSet()
const ref = (definition: RuleSetDefinition, id: number): RuleSetRef => ({ id, hash: ruleSetHash(definition), definition })

/** Units of 20: a head (a leader reviewing the unit) and 19 staff; some disciplined, one with nothing assigned, one with a broken document. */
function members(count: number): MemberRow[] {
  let seed = 7
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  return Array.from({ length: count }, (_, i) => {
    const unitId = Math.floor(i / 20) + 1
    const head = i % 20 === 0
    const products = Array.from({ length: int(1, 3) }, (_, p) => {
      const assigned = int(2, 12)
      return { code: `P${p}`, k: [1, 1.5, 2.5][p]!, assigned, done: int(Math.floor(assigned / 3), assigned), qualityFailures: int(0, 2), delays: int(0, 3) }
    })
    const data: Record<string, unknown> = { general: general(int(5, 10), int(4, 10), int(3, 10)), assessment, products: i === 45 ? [] : products }
    if (i === 67) data['general'] = 'nine'
    return {
      id: 1000 + i,
      staffId: 1 + i,
      unitId,
      positionCode: head ? 'TP' : 'CV',
      ruleRole: head ? 'leader' : 'staff',
      data,
      adjustments: head ? { leader: { unitPlanScore: int(40, 100) } } : random() < 0.03 ? { overrides: { discipline: 'reprimand' } } : null,
      reviewerIds: head ? [] : [(unitId - 1) * 20 + 1],
      ruleSetId: 1,
      stage: 'SIGNED_OFF',
      fullName: `Cán bộ ${i + 1}`,
      unitName: `Phòng ${unitId}`,
    } satisfies MemberRow
  })
}

const side = (r: RuleSetRef): ScoringSide => ({ ruleSetId: r.id, quota: r, of: () => r })

/** What simulation must equal: each version scored over the whole cycle as ranking does it, then the quota and ranks. */
function scoredAlone(s: ScoringSide, list: MemberRow[], caps: ReadonlyMap<number, number>) {
  const scores = scoreCycle(s.of, list, { explain: false })
  const classes = new Map(classifyCycle(s.quota, list, scores, caps).map((c) => [c.id, c]))
  return new Map(
    list.map((m, i) => {
      const score = scores[i]!
      const c = classes.get(m.id)
      return [m.id, score.ok && c ? { total: score.scores.total, level: score.scores.level, finalLevel: c.finalLevel, quotaCut: c.cutByQuota } : { failed: score.ok ? 'not scored' : score.message }]
    }),
  )
}

const candidates: [string, RuleSetDefinition][] = [
  ['bands only (values computed once)', { ...base, bands: [{ level: 'HTXS', min: 85 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 50 }, { level: 'KHT', min: null }] }],
  ['bands that make most KHT (leaders re-scored bottom-up)', { ...base, bands: [{ level: 'HTXS', min: 95 }, { level: 'HTT', min: 90 }, { level: 'HT', min: 80 }, { level: 'KHT', min: null }] }],
  ['a formula', { ...base, computed: base.computed.map((c) => (c.key === 'task' && 'formula' in c ? { ...c, formula: { '*': [0.7, { '/': [{ '+': [{ var: 'a' }, { var: 'b' }, { var: 'c' }] }, 3] }] } } : c)) }],
  ['the input schema (validated apart)', { ...base, inputSchema: { ...base.inputSchema, required: [...((base.inputSchema as { required?: string[] }).required ?? []), 'overrides'] } }],
  // Leaders only, so the sample stays quick: each refusal takes the whole budget (some 10 ms).
  ['a runaway override for leaders (their budget failure; values shared)', { ...base, overrides: [...base.overrides, { code: 'RUNAWAY', level: 'KHT', label: { vi: 'x', en: 'x' }, when: { if: [{ '==': [{ var: 'role' }, 'leader'] }, nestedReduceAttack(), false] } }] }],
  ['nothing', structuredClone(base)],
  // Many more HTXS, cut by values the baseline's quota does not rank by: each side keeps the values its own quota needs.
  [
    'the quota (who is cut ranked by innovation, then ethics) and bands that make many HTXS',
    { ...base, bands: [{ level: 'HTXS', min: 70 }, { level: 'HTT', min: 55 }, { level: 'HT', min: 45 }, { level: 'KHT', min: null }], quota: { ...base.quota, tieBreak: ['innovationScore', 'ethicsScore'] } },
  ],
]

describe('simulate: both versions at once, as each alone', () => {
  const list = members(400)
  const caps = new Map([[2, 0.5]])
  for (const [name, candidate] of candidates) {
    it(`changing ${name}: every evaluation's before and after equal scoring each version on its own`, () => {
      const baseline = side(ref(base, 1))
      const what = side(ref(candidate, 2))
      const report = compare(9, baseline, what, list, caps)
      const before = scoredAlone(baseline, list, caps)
      const after = scoredAlone(what, list, caps)
      expect(report.evaluations.map((e) => e.evaluationId)).toEqual(list.map((m) => m.id))
      for (const e of report.evaluations) {
        const b = before.get(e.evaluationId)!
        const a = after.get(e.evaluationId)!
        if ('failed' in b || 'failed' in a) {
          expect(e.change).toBe('skipped')
          expect(e.reason?.en).toBe('failed' in b ? b.failed : (a as { failed: string }).failed)
        } else expect({ before: e.before, after: e.after }).toEqual({ before: b, after: a })
      }
      expect(report.summary.evaluations).toBe(400)
      expect(report.summary.scored + report.summary.skipped).toBe(400)
    })
  }

  it('scores the staff as scoring each document one by one does (the API and the activities)', () => {
    const candidate = candidates[0]![1]
    const report = compare(9, side(ref(base, 1)), side(ref(candidate, 2)), list, new Map())
    const byId = new Map(report.evaluations.map((e) => [e.evaluationId, e]))
    for (const m of list.filter((x) => x.ruleRole === 'staff')) {
      for (const [def, got] of [[base, byId.get(m.id)!.before], [candidate, byId.get(m.id)!.after]] as const) {
        const alone = scoreDocument(def, m.data, m.adjustments, m.ruleRole)
        expect(got === null ? null : { total: got.total, level: got.level }).toEqual(alone.ok ? { total: alone.result.total, level: alone.result.level } : null)
      }
    }
    // The sample holds what the comparison must carry through: changes, failures, the quota.
    expect(report.summary.up).toBeGreaterThan(0)
    expect(report.summary.skipped).toBe(2)
    expect(report.units.some((u) => u.quotaCutBefore > 0)).toBe(true)
  })

  it('gives the same report when it hands the event loop back between steps (as the API runs it), and lets others run meanwhile', async () => {
    const large = members(3000)
    for (const candidate of [candidates[0]![1], candidates[2]![1]]) {
      let turns = 0
      let counting = true
      const count = () => {
        turns++
        if (counting) setImmediate(count)
      }
      setImmediate(count)
      const yielding = await compareYielding(9, side(ref(base, 1)), side(ref(candidate, 2)), large, caps)
      counting = false
      const inline = compare(9, side(ref(base, 1)), side(ref(candidate, 2)), large, caps)
      expect(JSON.stringify(yielding)).toBe(JSON.stringify(inline))
      // Leaders, a skipped document and changes of band are all in the sample.
      expect(inline.summary.skipped).toBeGreaterThan(0)
      expect(inline.evaluations.some((e) => e.evaluationId === 1000 && e.change !== 'skipped')).toBe(true)
      // 2,850 staff in slices of 1,000, then the two sides and the report: other callbacks ran between them.
      expect(turns).toBeGreaterThanOrEqual(5)
    }
  })
})

describe('the simulate answer and its CSV', () => {
  const report = compare(9, side(ref(base, 1)), side(ref(candidates[1]![1], 2)), members(400), new Map())
  it('names the first `limit` of those who change band and of those not scored, with every figure of the whole', () => {
    expect(report.changes.length).toBeGreaterThan(3)
    const answer = simulationAnswer(report, 3)
    expect(answer.changes).toEqual(report.changes.slice(0, 3))
    expect(answer.unscored).toEqual(report.evaluations.filter((e) => e.change === 'skipped').slice(0, 3))
    expect(answer.unscored.map((e) => e.evaluationId)).toEqual([1045, 1067])
    expect(answer.unscored[0]!.reason).toEqual({ vi: expect.stringContaining('Chưa có sản phẩm nào được giao'), en: expect.stringContaining('Nothing was assigned') })
    expect({ ...answer.summary, ...answer.distribution, units: answer.units }).toEqual({ ...report.summary, ...report.distribution, units: report.units })
    expect(answer).not.toHaveProperty('evaluations')
  })
  it('writes one CSV row per evaluation: both sides with a decimal comma, the change and why one was not scored', () => {
    const [header, ...rows] = simulationCsvRows(report)
    expect(rows).toHaveLength(400)
    const at = (row: unknown[], name: string) => row[header!.indexOf(name)]
    const down = report.changes.find((e) => e.change === 'down' && !Number.isInteger(e.before!.total))!
    const row = rows.find((r) => r[0] === down.evaluationId)!
    expect([at(row, 'Tổng điểm hiện hành / Total now'), at(row, 'Xếp loại hiện hành / Level now'), at(row, 'Thay đổi / Change')]).toEqual([String(down.before!.total).replace('.', ','), down.before!.finalLevel, 'Xuống hạng / Down'])
    const broken = rows.find((r) => r[0] === 1067)!
    expect([at(broken, 'Tổng điểm hiện hành / Total now'), at(broken, 'Thay đổi / Change')]).toEqual([null, 'Không chấm được / Not scored'])
    expect(String(at(broken, 'Lý do / Reason'))).toMatch(/^Dữ liệu đánh giá không hợp lệ: .*general.* \/ Invalid evaluation data: /)
  })
})

describe('evaluateRuleSets: several versions on the same inputs', () => {
  const input = { role: 'leader', general: general(8), assessment, products: [{ code: 'VB', k: 1, assigned: 10, done: 9, qualityFailures: 1, delays: 2 }], leader: { subordinatesNotCompleted: 1, unitPlanScore: 90 } }
  const disciplined = { ...input, overrides: { discipline: 'reprimand' } }
  const bands = candidates[0]![1]
  const runaway = candidates[4]![1]
  const formula = candidates[2]![1]

  it('gives what evaluating each alone gives, trace and notes included', () => {
    for (const [explain, document] of [[true, input], [false, input], [true, disciplined]] as const) {
      const sets = [base, bands, formula, structuredClone(bands), runaway]
      const each = evaluateRuleSets(sets, document, { explain })
      sets.forEach((def, i) => {
        let alone: unknown
        try {
          alone = evaluateRuleSet(def, document, { explain })
        } catch (err) {
          alone = err
        }
        expect(each[i]).toEqual(alone)
      })
    }
  })

  it('names a runaway formula of one version as evaluating it alone does, the others unaffected', () => {
    const [ok, failed] = evaluateRuleSets([base, runaway], input)
    expect(ok).not.toBeInstanceOf(FormulaBudgetExceeded)
    expect(failed).toBeInstanceOf(FormulaBudgetExceeded)
    expect((failed as FormulaBudgetExceeded).formula).toBe('overrides[3].when ("RUNAWAY")')
    expect(() => evaluateRuleSet(runaway, input)).toThrow((failed as FormulaBudgetExceeded).message)
  })
})

describe('a band change from stored scores (simulation reads no document of those)', () => {
  const [bands, mostKht, formula, schema, runaway, nothing, quotaAndBands] = candidates.map(([, c]) => c)

  it('tells a candidate that scores alike but for its bands from one that scores differently', () => {
    for (const c of [bands!, mostKht!, nothing!, quotaAndBands!, { ...bands!, name: { vi: 'Ngưỡng mới', en: 'New thresholds' } }]) expect(scoresAlikeButBands(base, c)).toBe(true)
    for (const c of [formula!, schema!, runaway!, { ...base, rounding: { ...base.rounding, precision: 1 } }, { ...base, requirements: [] }, { ...base, reviewerOnly: [] }]) expect(scoresAlikeButBands(base, c)).toBe(false)
  })

  it('rebands a stored result exactly as scoring the document with the candidate would, overrides kept', () => {
    const staff = members(400).filter((m) => m.ruleRole === 'staff')
    let moved = 0
    let overridden = 0
    for (const candidate of [bands!, mostKht!, quotaAndBands!]) {
      for (const m of staff) {
        const stored = scoreDocument(base, m.data, m.adjustments, 'staff', {}, { explain: false })
        const fresh = scoreDocument(candidate, m.data, m.adjustments, 'staff', {}, { explain: false })
        expect(fresh.ok).toBe(stored.ok)
        if (!stored.ok || !fresh.ok) continue
        const pick = (r: typeof fresh.result) => ({ values: r.values, total: r.total, baseLevel: r.baseLevel, level: r.level, override: r.override })
        expect(pick(rebanded(candidate, stored.result))).toEqual(pick(fresh.result))
        if (fresh.result.baseLevel !== stored.result.baseLevel) moved++
        if (fresh.result.override) overridden++
      }
    }
    // The sample moves people across bands, some of them overridden (their level stays the override's).
    expect(moved).toBeGreaterThan(20)
    expect(overridden).toBeGreaterThan(2)
  })
})
