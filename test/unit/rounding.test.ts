import { describe, expect, it } from 'vitest'
import { nd335FlatRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import { fifteenDigits, roundHalfUp } from '../../rules/rounding.js'
import { runTestCases } from '../../rules/ruleset.tests.js'
import { assessment, general } from '../support/documents.js'

/** Exact rationals on BigInt: the decree's arithmetic without binary floating point. */
type Q = { n: bigint; d: bigint }
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a
  while (b) [a, b] = [b, a % b]
  return a
}
const q = (n: bigint, d = 1n): Q => {
  const g = gcd(n, d) || 1n
  return d < 0n ? { n: -n / g, d: -d / g } : { n: n / g, d: d / g }
}
/** A decimal as written (0.25, 2.5, 39.25) as an exact fraction. */
const dec = (x: number): Q => {
  const [whole, fraction = ''] = String(x).split('.')
  return q(BigInt(whole! + fraction), 10n ** BigInt(fraction.length))
}
const add = (x: Q, y: Q) => q(x.n * y.d + y.n * x.d, x.d * y.d)
const mul = (x: Q, y: Q) => q(x.n * y.n, x.d * y.d)
const div = (x: Q, y: Q) => q(x.n * y.d, x.d * y.n)
const min = (x: Q, y: Q) => (x.n * y.d <= y.n * x.d ? x : y)
const max = (x: Q, y: Q) => (x.n * y.d >= y.n * x.d ? x : y)
/** Half up to 2 decimals, exactly, as a number of hundredths. */
const hundredths = (x: Q) => {
  const twice = x.n * 200n + x.d
  return Number(twice >= 0n ? twice / (2n * x.d) : -((-twice + 2n * x.d - 1n) / (2n * x.d)))
}

interface Line { k: number; assigned: number; done: number; qualityFailures: number; delays: number }

/** domain.md §5 on exact fractions: the staff total before rounding. */
function exactTotal(generalPoints: number, products: Line[]): Q {
  const sum = (f: (p: Line) => Q) => products.reduce((s, p) => add(s, mul(dec(p.k), f(p))), q(0n))
  const quarter = (n: number) => q(BigInt(n), 4n)
  const A = sum((p) => dec(p.assigned))
  const pct = (x: Q) => min(q(100n), mul(q(100n), div(x, A)))
  const a = pct(sum((p) => dec(p.done)))
  const b = pct(sum((p) => max(q(0n), add(dec(p.done), mul(q(-1n), quarter(p.qualityFailures))))))
  const c = pct(sum((p) => max(q(0n), add(dec(p.done), mul(q(-1n), quarter(p.delays))))))
  return add(dec(generalPoints), mul(q(7n, 10n), div(add(add(a, b), c), q(3n))))
}

function seeded(seed: number) {
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  return { random, int: (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)) }
}

const staff = (points: number, products: (Line & { code: string })[]) => {
  const quarters = Math.round(points * 4)
  const groups = [0, 1, 2].map((i) => (Math.floor(quarters / 3) + (i < quarters % 3 ? 1 : 0)) / 4) as [number, number, number]
  return { role: 'staff', general: general(...groups), assessment, products }
}
const line = (code: string, k: number, assigned: number, done: number, qualityFailures: number, delays: number) => ({ code, k, assigned, done, qualityFailures, delays })
const generalPoints = (inputs: ReturnType<typeof staff>) => Object.values(inputs.general).flatMap((g) => Object.values(g)).reduce((s, v) => s + v, 0)
/** The same person on the first NĐ 335 content: three boxes instead of ten criteria. */
const flat = (inputs: ReturnType<typeof staff>) => {
  const sum = (g: Record<string, number>) => Object.values(g).reduce((s, v) => s + v, 0)
  return { ...inputs, assessment: undefined, general: { ethics: sum(inputs.general.ethics), competence: sum(inputs.general.competence), innovation: sum(inputs.general.innovation) } }
}

describe('roundHalfUp: decimal halves up, float artefacts absorbed', () => {
  it('rounds the decimal a float stands for, not the float', () => {
    // 85.185 is stored as 85.18499999999999517…, 89.995 as 89.99499999999999744…
    expect(roundHalfUp(85.185, 2)).toBe(85.19)
    expect(roundHalfUp(89.995, 2)).toBe(90)
    expect(roundHalfUp(28.5 + 0.7 * (439.25 / 5), 2)).toBe(90)
    expect(roundHalfUp(1.005, 2)).toBe(1.01)
    expect(roundHalfUp(0.1 + 0.2, 2)).toBe(0.3)
    expect(roundHalfUp(-2.345, 2)).toBe(-2.35)
    expect(roundHalfUp(2.5, 0)).toBe(3)
    expect(roundHalfUp(0.0000005, 6)).toBe(0.000001)
  })

  it('keeps what is genuinely below a half below it', () => {
    expect(roundHalfUp(85.18499, 2)).toBe(85.18)
    expect(roundHalfUp(89.99499999, 2)).toBe(89.99)
    expect(roundHalfUp(89.99499999999, 2)).toBe(89.99) // 10⁻¹¹ below the half
    expect(roundHalfUp(89.995 - 1e-13, 2)).toBe(90) // within float error of it (tolerance: 2⁻⁴⁶ of the value, ≈ 1.3 × 10⁻¹² here)
    expect(roundHalfUp(3067 / 36, 2)).toBe(85.19)
  })

  it('gives the double nearest the rounded decimal (what parsing it gives)', () => {
    for (let i = 0; i < 10_000; i++) expect(roundHalfUp(i / 100 + 0.004, 2)).toBe(Number((i / 100).toFixed(2)))
  })
})

describe('NĐ 335 (Mẫu 01): only the total is rounded', () => {
  const def = nd335RuleSet()

  it('agrees with exact rational arithmetic on 3,000 random evaluations, long product lists included', () => {
    const { int } = seeded(17)
    const differing: string[] = []
    let halves = 0
    for (let i = 0; i < 3000; i++) {
      const count = i % 100 === 0 ? 500 : int(1, 6)
      const products = Array.from({ length: count }, (_, p) => {
        const assigned = int(1, 30)
        return line(`P${p}`, [0.25, 0.5, 1, 1.25, 1.5, 2.5, 3.3, 8][int(0, 7)]!, assigned, int(0, assigned + 2), int(0, 3), int(0, 3))
      })
      const points = int(0, 120) / 4
      const exact = exactTotal(points, products)
      if ((exact.n * 1000n) % exact.d === 0n && ((exact.n * 1000n) / exact.d) % 10n === 5n) halves++
      const total = evaluateRuleSet(def, staff(points, products), { explain: false }).total
      if (Math.round(total * 100) !== hundredths(exact)) differing.push(`${points} ${JSON.stringify(products).slice(0, 80)}: ${total} ≠ ${hundredths(exact) / 100}`)
    }
    expect(differing).toEqual([])
    expect(halves).toBeGreaterThan(5) // exact halves were among them, each rounded up
  })

  it('bands the exact total where rounding each step would change the level', () => {
    const cases = [
      // exact total, Mẫu 01 level, and what the first content (each step rounded) gives
      { inputs: staff(26.5, [line('P0', 2.5, 1, 0, 1, 2), line('P1', 2, 14, 14, 0, 2)]), total: 90, level: 'HTXS', early: { total: 89.99, level: 'HTT' } }, // 32939/366 = 89.9973…
      { inputs: staff(22, [line('P0', 1, 1, 1, 2, 1), line('P1', 2.5, 6, 6, 1, 0)]), total: 89.99, level: 'HTT', early: { total: 90, level: 'HTXS' } }, // 17279/192 = 89.9948…
      { inputs: staff(20.5, [line('P0', 2, 8, 6, 1, 0), line('P1', 2, 1, 0, 1, 0), line('P2', 3, 5, 4, 2, 0)]), total: 69.99, level: 'HT', early: { total: 70, level: 'HTT' } },
      { inputs: staff(27.25, [line('P0', 2, 7, 6, 2, 2), line('P1', 2, 8, 7, 2, 1)]), total: 85.19, level: 'HTT', early: { total: 85.2, level: 'HTT' } }, // 3067/36
    ]
    for (const c of cases) {
      expect(evaluateRuleSet(def, c.inputs)).toMatchObject({ total: c.total, level: c.level })
      expect(hundredths(exactTotal(generalPoints(c.inputs), c.inputs.products)) / 100).toBe(c.total)
      expect(evaluateRuleSet(nd335FlatRuleSet(), flat(c.inputs))).toMatchObject(c.early)
    }
  })

  it('shows a, b, c and the task score rounded, but adds them in full', () => {
    const r = evaluateRuleSet(def, staff(27.25, [line('P0', 2, 7, 6, 2, 2), line('P1', 2, 8, 7, 2, 1)]))
    // a = 86.666…, b = 80, c = 81.666…, task = 57.944…: shown 57.94, total 27.25 + 57.944… = 85.194… → 85.19
    expect(r.values).toMatchObject({ a: 86.67, b: 80, c: 81.67, task: 57.94, generalScore: 27.25, total: 85.19 })
    expect(r.trace.find((l) => l.key === 'task')?.text.vi).toBe('Điểm kết quả thực hiện nhiệm vụ: 57,94')
  })

  it('rounds a leader total of exactly 89.995 up to 90.00 (HTXS), not down to 89.99 (HTT)', () => {
    const inputs = { role: 'leader', general: general(9.5, 9.5, 9.5), assessment, products: [line('L01', 2, 10, 10, 0, 0)], leader: { subordinatesNotCompleted: 0, unitPlanScore: 39.25 } }
    // 28.5 + 0.7 × (100 + 100 + 100 + 100 + 39.25) / 5 = 28.5 + 61.495 = 89.995
    expect(evaluateRuleSet(def, inputs)).toMatchObject({ total: 90, level: 'HTXS', values: { task: 61.5, generalScore: 28.5 } })
  })

  it("passes its own test cases, the band-limit cases among them, and the first content passes its own", () => {
    expect(runTestCases(def).filter((t) => !t.passed)).toEqual([])
    expect(def.tests!.filter((t) => t.name.startsWith('Làm tròn một lần')).length).toBe(4)
    expect(runTestCases(nd335FlatRuleSet()).filter((t) => !t.passed)).toEqual([])
  })
})

describe('fifteenDigits (float noise removed before a value is stored)', () => {
  it('gives what Number(value.toPrecision(15)) gives, on its fast path (multiples of 1/1024) and off it', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const values = [0.1 + 0.2, 1 / 3, 2.5 * 1.3, 9999.75, -12.25, 1e4, 1e4 + 0.5, 123456.789, 0, -0.0009765625]
    for (let i = 0; i < 100_000; i++) values.push(Math.round(random() * 40_000) / 4 - 5000, (random() - 0.5) * 1e5, Math.round(random() * 2e7) / 1024)
    for (const v of values) expect(fifteenDigits(v)).toBe(Number(v.toPrecision(15)))
  })
})
