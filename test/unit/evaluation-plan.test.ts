import { describe, expect, it, vi } from 'vitest'
import { contentCache, contentKey } from '../../rules/content.cache.js'
import { nd335FlatRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet, evaluationSteps } from '../../rules/evaluate.js'
import { planOf } from '../../rules/evaluate.plan.js'
import { FormulaBudgetExceeded, stepsUsed } from '../../rules/formula.budget.js'
import { formatNumber } from '../../rules/number.format.js'
import { programOf } from '../../rules/program.js'
import { roundHalfUp } from '../../rules/rounding.js'
import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { nestedReduceAttack } from '../support/formula-attack.js'

/** The rounding as it was before its fast path: the reference the fast path must equal. */
function roundByStrings(value: number, precision: number): number {
  if (!Number.isFinite(value)) return value
  const normalised = Number(value.toPrecision(15))
  const sign = normalised < 0 ? -1 : 1
  const result = sign * Number(`${Math.round(Number(`${Math.abs(normalised)}e${precision}`))}e-${precision}`)
  return Object.is(result, -0) ? 0 : result
}

function seeded(seed: number): () => number {
  let state = seed
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

const leader = {
  role: 'leader',
  general: { ethics: 9, competence: 9, innovation: 9 },
  products: [
    { code: 'VB', k: 1, assigned: 1000, done: 999.5, qualityFailures: 0, delays: 1 },
    { code: 'BC', k: 2.5, assigned: 2, done: 2, qualityFailures: 1, delays: 0 },
  ],
  leader: { subordinatesNotCompleted: 2, unitPlanScore: 80 },
  overrides: { discipline: 'reprimand' },
}

describe('the trace, built cheaply', () => {
  it('reads as before, every line in Vietnamese and English: values, notes, band, override', () => {
    // The leader document has the first content's three general boxes: it is read with that content.
    const trace = evaluateRuleSet(nd335FlatRuleSet(), leader).trace.map((l) => [l.key, l.text.vi, l.text.en])
    expect(trace).toEqual([
      ['A', 'Tổng sản phẩm quy đổi được giao: 1.005', 'Converted products assigned: 1,005'],
      ['generalScore', 'Điểm tiêu chí chung: 27', 'General criteria score: 27'],
      ['a', 'Số lượng (%): 99,95', 'Quantity (%): 99.95'],
      ['b', 'Chất lượng (%): 99,89', 'Quality (%): 99.89'],
      ['c', 'Tiến độ (%): 99,93', 'Timeliness (%): 99.93'],
      ['d', 'Kết quả của cấp dưới (%): 50', "Subordinates' results (%): 50"],
      ['dd', 'Hoàn thành kế hoạch của đơn vị (%): 80', 'Unit plan completion (%): 80'],
      ['task', 'Điểm kết quả thực hiện nhiệm vụ: 60,17', 'Task result score: 60.17'],
      ['total', 'Tổng điểm: 87,17', 'Total score: 87.17'],
      ['note:0', 'Chất lượng: −25% sản phẩm BC do 1 lần trả lại', 'Quality: −25% on product BC for 1 failed review(s)'],
      ['note:1', 'Tiến độ: −25% sản phẩm VB do 1 lần chậm', 'Timeliness: −25% on product VB for 1 delay(s)'],
      ['note:2', 'Số lượng: sản phẩm VB hoàn thành 999,5/1.000', 'Quantity: product VB done 999.5 of 1,000'],
      ['note:3', 'Kết quả cấp dưới: 2 người không hoàn thành nhiệm vụ nên chỉ được 50%', 'Subordinates: 2 did not complete their tasks, so 50%'],
      ['level', 'Xếp loại theo điểm: HTT (Hoàn thành tốt nhiệm vụ)', 'Level by score: HTT (Good)'],
      ['override', 'Xếp loại KHT do: Bị kỷ luật từ khiển trách trở lên trong kỳ', 'Rated KHT because: Disciplined (reprimand or heavier) in the period'],
    ])
  })

  it('is built only when asked for; values, levels and failures are the same without it', () => {
    const def = nd335RuleSet()
    const { trace, ...scores } = evaluateRuleSet(def, leader)
    expect(trace.length).toBeGreaterThan(0)
    expect(evaluateRuleSet(def, leader, { explain: false })).toEqual({ ...scores, trace: [] })
  })

  it('formats numbers exactly as Intl.NumberFormat vi-VN and en-US (at most 6 decimals)', () => {
    const vi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6 })
    const en = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })
    const random = seeded(3)
    const special = [0, -0, 1e-7, -1e-7, 5e-7, 0.1 + 0.2, 999999999.999999, -999999999.999999, 1e9, 1e21, 2 ** 53, 123456.5, NaN, Infinity, -Infinity]
    const samples = [...special, ...Array.from({ length: 20_000 }, (_, i) => {
      const digits = i % 8
      const magnitude = 10 ** (i % 12)
      return i % 2 ? Math.round((random() - 0.5) * magnitude * 10 ** digits) / 10 ** digits : (random() - 0.5) * magnitude
    })]
    const differing = samples.filter((v) => formatNumber(v, 'vi') !== vi.format(v) || formatNumber(v, 'en') !== en.format(v))
    expect(differing).toEqual([])
  })

  it('rounds half up exactly as the string-shifting rounding did, halves and float artefacts included', () => {
    const random = seeded(5)
    const differing: [number, number][] = []
    for (let i = 0; i < 50_000; i++) {
      const precision = i % 5
      const value = i % 3 === 0
        ? (Math.round((random() - 0.5) * 1e6) + 0.5) / 10 ** precision // exact decimal halves
        : i % 3 === 1 ? (random() - 0.5) * 10 ** (i % 10) : Math.round(random() * 1e7) / 1000 + 0.0005
      if (!Object.is(roundHalfUp(value, precision), roundByStrings(value, precision))) differing.push([value, precision])
    }
    expect(differing).toEqual([])
    expect(roundHalfUp(1.005, 2)).toBe(1.01)
    expect(roundHalfUp(-0.001, 2)).toBe(0)
  })
})

describe('compiled once per rule set', () => {
  it('finds the plan of an equal rule set read again (a new object) instead of compiling it', () => {
    const def = nd335RuleSet()
    expect(planOf(nd335RuleSet())).toBe(planOf(def))
    expect(planOf(structuredClone(def), 'interpreted')).toBe(planOf(def, 'interpreted'))
  })

  it('reuses the compiled function of every formula a candidate version did not change', () => {
    const def = nd335RuleSet()
    const candidate: RuleSetDefinition = structuredClone(def)
    candidate.bands = [{ level: 'HTXS', min: 85 }, ...def.bands.slice(1)]
    const at = candidate.computed.findIndex((c) => c.key === 'generalScore')
    candidate.computed[at] = { ...candidate.computed[at]!, formula: { '+': [{ var: 'general.ethics' }, { var: 'general.competence' }] } }
    expect(planOf(candidate)).not.toBe(planOf(def))
    programOf(candidate).computed.forEach((fn, i) => (i === at ? expect(fn).not.toBe(programOf(def).computed[i]) : expect(fn).toBe(programOf(def).computed[i])))
    expect(evaluateRuleSet(candidate, leader).values['generalScore']).toBe(18)
  })

  it('keeps apart contents that JSON alone would merge', () => {
    expect(contentKey({ a: undefined })).not.toBe(contentKey({}))
    expect(contentKey([NaN, -0, Infinity])).not.toBe(contentKey([null, 0, null]))
    expect(contentKey({ b: 1, a: 2 })).not.toBe(contentKey({ a: 2, b: 1 }))
  })

  it('builds once per content and drops the least recently used beyond its limit', () => {
    const build = vi.fn((source: { n: number }) => ({ built: source.n }))
    const dropped = vi.fn()
    const cache = contentCache({ key: (s: { n: number }) => String(s.n), build, limit: 2, dropped })
    const one = cache.get({ n: 1 })
    expect(cache.get({ n: 1 })).toBe(one)
    cache.get({ n: 2 })
    cache.get({ n: 1 }) // 1 is now the most recently used
    cache.get({ n: 3 })
    expect(build).toHaveBeenCalledTimes(3)
    expect(dropped).toHaveBeenCalledWith({ built: 2 }, { n: 2 })
  })
})

describe('the step meter', () => {
  it('leaves nothing behind after a refused evaluation: the next one is metered from zero', () => {
    const def = nd335RuleSet()
    const steps = evaluationSteps(def, leader)
    const attack = nd335RuleSet()
    attack.computed[0] = { ...attack.computed[0]!, formula: nestedReduceAttack() }
    expect(() => evaluateRuleSet(attack, leader)).toThrow(FormulaBudgetExceeded)
    expect(stepsUsed()).toBe(0)
    expect(evaluationSteps(def, leader)).toBe(steps)
    expect(evaluateRuleSet(def, leader)).toEqual(evaluateRuleSet(nd335RuleSet(), leader, { engine: 'interpreted' }))
  })

  it('counts the same steps in both engines, look-ups and constants being free', () => {
    const def = nd335RuleSet()
    for (const t of def.tests!) expect(evaluationSteps(def, t.inputs)).toBe(evaluationSteps(def, t.inputs, { engine: 'interpreted' }))
    const lookups = nd335RuleSet()
    lookups.computed = lookups.computed.map((c) => ('formula' in c ? { ...c, formula: c.key === 'A' ? 1 : { var: ['general.ethics', 0] } } : c))
    expect(evaluationSteps(lookups, leader, { explain: false })).toBe(evaluationSteps(lookups, leader, { engine: 'interpreted', explain: false }))
  })
})
