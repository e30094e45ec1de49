import { describe, expect, it } from 'vitest'
import { departmentKpiRuleSet } from '../../rules/defaults.js'
import { validateRuleSet } from '../../rules/ruleset.validate.js'
import { closesAt, closingDate, isLocked } from '../../server/indicators/closing.js'
import { declaredIndicators } from '../../server/indicators/declarations.js'
import { planIndicators, type IndicatorLookups } from '../../server/indicators/indicators.plan.js'
import { fillIndicators, indicatorAdjustments, indicatorInputs } from '../../server/indicators/prefill.js'
import { scoreDocument } from '../../server/evaluations/scoring.js'

const declared = departmentKpiRuleSet().externalInputs!

describe('closing date of an indicator period', () => {
  it('is day closingDay of the month after the period end, at 23:59:59 Asia/Ho_Chi_Minh', () => {
    expect(closingDate('2026-11-30', 5)).toBe('2026-12-05')
    expect(closingDate('2026-12-31', 5)).toBe('2027-01-05')
    expect(closingDate('2026-03-31', 10)).toBe('2026-04-10')
    // A quarter: the month after its last month.
    expect(closingDate('2026-09-30', 15)).toBe('2026-10-15')
    // A closing day past the month's end is its last day (calendar days, not working days).
    expect(closingDate('2027-01-31', 31)).toBe('2027-02-28')
    expect(closingDate('2028-01-31', 30)).toBe('2028-02-29')
    expect(closesAt('2026-11-30', 5).toISOString()).toBe('2026-12-05T16:59:59.000Z')
    expect(isLocked('2026-11-30', 5, new Date('2026-12-05T16:59:59.000Z'))).toBe(false)
    expect(isLocked('2026-11-30', 5, new Date('2026-12-05T17:00:00.000Z'))).toBe(true)
    expect(() => closingDate('2026-02-30', 5)).toThrow(RangeError)
  })
})

describe('pre-fill of external indicators (pure)', () => {
  const value = { value: 92.5, receivedAt: new Date('2026-12-02T03:00:00Z'), updatedAt: new Date('2026-12-03T03:00:00Z') }
  const inputs = (now: string, v = value) => indicatorInputs(declared, '2026-11-30', () => v, (code) => (code === 'mot-cua' ? 'Hệ thống một cửa' : undefined), new Date(now))

  it('pairs each declared input with its value and says where it comes from and when it locks', () => {
    const [before] = inputs('2026-12-04T00:00:00Z')
    expect(before).toMatchObject({ path: 'indicators.oneStopOnTime', code: 'TTHC_DUNG_HAN', value: 92.5, locked: false, source: { vi: 'Hệ thống một cửa · TTHC_DUNG_HAN · tạm tính, khóa 05/12/2026' } })
    const [after] = inputs('2026-12-06T00:00:00Z')
    expect(after).toMatchObject({ locked: true, source: { vi: 'Hệ thống một cửa · TTHC_DUNG_HAN · khóa 05/12/2026', en: 'Hệ thống một cửa · TTHC_DUNG_HAN · locked 05/12/2026' } })
    expect(indicatorInputs(declared, '2026-11-30', () => undefined, () => undefined, new Date())[0]).toMatchObject({ value: null, systemName: 'mot-cua' })
  })

  it('fills the document: the system value replaces what staff typed; no value removes theirs; the rest is kept', () => {
    const data = { role: 'staff', planned: { volume: 90 }, indicators: { oneStopOnTime: 100 } }
    expect(fillIndicators(data, [{ path: 'indicators.oneStopOnTime', value: 92.5 }])).toEqual({ role: 'staff', planned: { volume: 90 }, indicators: { oneStopOnTime: 92.5 } })
    expect(fillIndicators(data, [{ path: 'indicators.oneStopOnTime', value: null }])).toEqual({ role: 'staff', planned: { volume: 90 }, indicators: {} })
    expect(fillIndicators({ planned: { volume: 90 } }, [{ path: 'indicators.oneStopOnTime', value: null }])).toEqual({ planned: { volume: 90 } })
    expect(fillIndicators({}, [{ path: 'indicators.oneStopOnTime', value: 80 }])).toEqual({ indicators: { oneStopOnTime: 80 } })
    // The input is never changed in place.
    expect(data.indicators.oneStopOnTime).toBe(100)
  })

  it('scores the filled document: the value counts in the KPI', () => {
    const def = departmentKpiRuleSet()
    const typed = { ...def.tests![0]!.inputs, indicators: { oneStopOnTime: 100 } }
    const filled = fillIndicators(typed, [{ path: 'indicators.oneStopOnTime', value: 98 }])
    const scored = scoreDocument(def, filled, null, 'staff')
    expect(scored.ok && scored.result.total).toBe(93.18)
  })

  it('carries a value corrected after submission on the approval, else leaves the adjustments alone', () => {
    const effective = { indicators: { oneStopOnTime: 90 }, general: { ethics: 9 } }
    const own = { general: { ethics: 8 } }
    expect(indicatorAdjustments(effective, own, [{ path: 'indicators.oneStopOnTime', value: 90 }])).toBeNull()
    expect(indicatorAdjustments(effective, own, [{ path: 'indicators.oneStopOnTime', value: null }])).toBeNull()
    expect(indicatorAdjustments(effective, own, [{ path: 'indicators.oneStopOnTime', value: 95 }])).toEqual({ general: { ethics: 8 }, indicators: { oneStopOnTime: 95 } })
    expect(indicatorAdjustments(effective, null, [{ path: 'indicators.oneStopOnTime', value: 95 }])).toEqual({ indicators: { oneStopOnTime: 95 } })
  })
})

describe('external inputs in the rule set', () => {
  it('validates them: the path must be a number of the input schema, each declared once', () => {
    expect(validateRuleSet(departmentKpiRuleSet()).ok).toBe(true)
    const def = departmentKpiRuleSet()
    def.externalInputs!.push({ ...declared[0]!, path: 'indicators.nope' }, { ...declared[0]!, code: 'OTHER', path: 'planned' })
    const r = validateRuleSet(def)
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'externalInputs[1].path', message: '"indicators.nope" is not in the input schema' },
      { path: 'externalInputs[1].code', message: 'mot-cua TTHC_DUNG_HAN is declared twice' },
      { path: 'externalInputs[2].path', message: '"planned" is not a number in the input schema' },
    ])
    const wrong = departmentKpiRuleSet() as unknown as { externalInputs: Record<string, unknown>[] }
    wrong.externalInputs[0]!['scope'] = 'team'
    expect(validateRuleSet(wrong).ok).toBe(false)
  })

  it('collects declarations across rule sets: the earliest closing day, the narrowest range, a scope conflict flagged', () => {
    const a = departmentKpiRuleSet()
    const b = departmentKpiRuleSet()
    b.externalInputs = [{ ...declared[0]!, closingDay: 3 }]
    const merged = declaredIndicators([{ id: 1, definition: a }, { id: 2, definition: b }]).get('mot-cua/TTHC_DUNG_HAN')!
    expect(merged).toMatchObject({ closingDay: 3, min: 0, max: 100, scope: 'person', conflict: false, uses: [{ ruleSetId: 1 }, { ruleSetId: 2 }] })
    b.externalInputs = [{ ...declared[0]!, scope: 'unit' }]
    expect(declaredIndicators([{ id: 1, definition: a }, { id: 2, definition: b }]).get('mot-cua/TTHC_DUNG_HAN')!.conflict).toBe(true)
  })
})

describe('planning a batch of indicator values (pure)', () => {
  const indicator = declaredIndicators([{ id: 1, definition: departmentKpiRuleSet() }]).get('mot-cua/TTHC_DUNG_HAN')!
  const unitIndicator = { ...indicator, code: 'DV_HAI_LONG', scope: 'unit' as const }
  const lookups: IndicatorLookups = {
    indicator: (code) => (code === 'TTHC_DUNG_HAN' ? indicator : code === 'DV_HAI_LONG' ? unitIndicator : undefined),
    person: (r) => (r.username === 'cv.a' || r.personalId === '079190012345' ? { id: 7 } : undefined),
    unit: (code) => (code === 'CCHC' ? { id: 3 } : undefined),
    existing: (k) => (k.subject === 'staff:7' && k.periodStart === '2026-10-01' ? { id: 1, value: 90, note: null } : undefined),
  }
  const row = (over: Record<string, unknown>) => ({ indicatorCode: 'TTHC_DUNG_HAN', periodStart: '2026-11-01', periodEnd: '2026-11-30', username: 'cv.a', value: 95, ...over })

  it('decides each row: new, changed, unchanged, late (409), or refused with its reason', () => {
    const now = new Date('2026-11-03T00:00:00Z')
    const { decisions, rejected } = planIndicators(
      [
        row({}),
        row({ periodStart: '2026-10-01', periodEnd: '2026-10-31', value: 90 }),
        row({ indicatorCode: 'TTHC_DUNG_HAN', username: undefined, personalId: '079190012345', periodStart: '2026-11-01', periodEnd: '2026-11-15' }),
        row({ username: 'khong.co' }),
        row({ indicatorCode: 'KHONG_CO' }),
        row({ value: 120 }),
        row({ periodStart: '2026-08-01', periodEnd: '2026-08-31' }),
        row({}),
        { indicatorCode: 'DV_HAI_LONG', periodStart: '2026-11-01', periodEnd: '2026-11-30', unitCode: 'CCHC', value: 80 },
        { indicatorCode: 'DV_HAI_LONG', periodStart: '2026-11-01', periodEnd: '2026-11-30', username: 'cv.a', value: 80 },
        { indicatorCode: 'DV_HAI_LONG', periodStart: '2026-11-01', periodEnd: '2026-11-30', unitCode: 'XX', value: 80 },
        row({ periodEnd: '2026-02-30' }),
        null,
      ],
      lookups,
      now,
    )
    expect(decisions.map((d) => [d.row, d.kind])).toEqual([
      [1, 'insert'],
      [2, 'unchanged'],
      [3, 'insert'],
      [7, 'late'],
      [9, 'insert'],
    ])
    // The same key again with another value (or note) is a change.
    const again = planIndicators([row({ periodStart: '2026-10-01', periodEnd: '2026-10-31', personalId: '079190012345', value: 91 })], lookups, now)
    expect(again.decisions).toMatchObject([{ kind: 'update', id: 1, before: 90, fields: { value: 91, subject: 'staff:7' } }])
    expect(decisions[4]!.fields).toMatchObject({ subject: 'unit:3', unitId: 3, staffId: null })
    expect(rejected.map((r) => [r.row, r.code, r.status])).toEqual([
      [4, 'UNKNOWN_PERSON', 404],
      [5, 'UNKNOWN_INDICATOR', 404],
      [6, 'OUT_OF_RANGE', 400],
      [7, 'PERIOD_LOCKED', 409],
      [8, 'DUPLICATE_IN_BATCH', 400],
      [10, 'SCOPE_MISMATCH', 400],
      [11, 'UNKNOWN_UNIT', 404],
      [12, 'VALIDATION_FAILED', 400],
      [13, 'VALIDATION_FAILED', 400],
    ])
    expect(rejected.find((r) => r.code === 'PERIOD_LOCKED')!.message).toContain('05/09/2026')
    expect(rejected.find((r) => r.code === 'OUT_OF_RANGE')!.message).toBe('Giá trị 120 % của TTHC_DUNG_HAN ngoài khoảng cho phép (0–100).')
  })
})
