import { describe, expect, it } from 'vitest'
import { PRELOADED_DAYS } from '../../server/db/migrations/2026-12-01-008-calendar.js'
import { countingStart, launchDurations } from '../../server/calendar/cycle-deadlines.js'
import {
  addWorkingDays,
  calendarOf,
  endOfDay,
  formatDeadline,
  isIsoDay,
  isWorkingDay,
  shiftWorkingDays,
  startOfDay,
  vnDay,
  weekdayName,
  workingDaysBetween,
} from '../../server/calendar/working-days.js'
import { checkpoints, cycleCalendar, dueAt } from '../../workflows/stages.js'

/** The calendar as preloaded (Tết and 2/9 of 2026–2027, compensating Saturdays 10/01 and 22/08/2026). */
const vn = calendarOf(PRELOADED_DAYS)
const weekOnly = calendarOf([])
const day = (from: string | Date, n: number) => vnDay(addWorkingDays(from, n, vn))

describe('working days', () => {
  it('knows weekends, holidays and compensating Saturdays', () => {
    expect(isWorkingDay('2026-12-11', vn)).toBe(true) // Friday
    expect(isWorkingDay('2026-12-12', vn)).toBe(false) // Saturday
    expect(isWorkingDay('2026-12-13', vn)).toBe(false) // Sunday
    expect(isWorkingDay('2026-02-17', vn)).toBe(false) // mùng 1 Tết, a Tuesday
    expect(isWorkingDay('2026-09-02', vn)).toBe(false)
    expect(isWorkingDay('2026-08-31', vn)).toBe(false) // Monday swapped for Saturday 22/08
    expect(isWorkingDay('2026-08-22', vn)).toBe(true) // that Saturday
    expect(isWorkingDay('2026-01-10', vn)).toBe(true)
    expect(isWorkingDay('2026-08-22', weekOnly)).toBe(false)
  })

  it('counts across Tết 2026 (14–22/02) and Tết 2027 (05–11/02)', () => {
    expect(day('2026-02-13', 1)).toBe('2026-02-23') // Friday before Tết → the Monday after
    expect(day('2026-02-12', 5)).toBe('2026-02-26') // 13/02, then 23, 24, 25, 26
    expect(workingDaysBetween('2026-02-13', '2026-02-22', vn)).toBe(0)
    expect(day('2027-02-04', 1)).toBe('2027-02-12')
    expect(day('2027-02-04', 2)).toBe('2027-02-15')
    expect(day('2027-02-06', 0)).toBe('2027-02-12') // 0 from a day off: the next working day
  })

  it('counts across 2/9 and the compensating Saturday before it', () => {
    expect(day('2026-08-21', 1)).toBe('2026-08-22') // Friday → the Saturday worked in lieu of 31/08
    expect(day('2026-08-21', 2)).toBe('2026-08-24')
    expect(day('2026-08-28', 1)).toBe('2026-09-03') // 29–30 weekend, 31/08, 1–2/09 off
    expect(day('2027-09-01', 1)).toBe('2027-09-06') // 2–3/09 off, then the weekend
    expect(day('2026-01-09', 1)).toBe('2026-01-10') // Saturday 10/01 worked for Friday 02/01
    expect(day('2025-12-31', 1)).toBe('2026-01-05') // 1–2/01 off, 3–4 weekend
  })

  it('crosses month and year ends', () => {
    expect(day('2026-11-30', 1)).toBe('2026-12-01')
    expect(day('2026-12-30', 1)).toBe('2026-12-31')
    expect(day('2026-12-31', 1)).toBe('2027-01-04') // Tết Dương lịch on Friday, then the weekend
    expect(day('2027-04-29', 1)).toBe('2027-05-04') // 30/04, 01/05 (Saturday), off in lieu Monday 03/05
    expect(day('2028-02-28', 1)).toBe('2028-02-29') // a leap day, beyond the preloaded years: weekdays count
  })

  it('ends a due day at 23:59:59 Asia/Ho_Chi_Minh (16:59:59 UTC) and reads instants as Vietnam days', () => {
    expect(endOfDay('2026-12-11').toISOString()).toBe('2026-12-11T16:59:59.000Z')
    expect(startOfDay('2026-12-11').toISOString()).toBe('2026-12-10T17:00:00.000Z')
    // 00:30 on Friday 11/12 in Hà Nội is still Thursday 10/12 in UTC: the Vietnam day counts.
    expect(addWorkingDays(new Date('2026-12-10T17:30:00Z'), 1, vn).toISOString()).toBe('2026-12-14T16:59:59.000Z')
    expect(addWorkingDays(new Date('2026-12-10T16:59:59Z'), 1, vn).toISOString()).toBe('2026-12-11T16:59:59.000Z')
    expect(addWorkingDays(Date.parse('2026-12-10T16:59:59Z'), 0, vn).toISOString()).toBe('2026-12-10T16:59:59.000Z')
  })

  it('gives back n from workingDaysBetween for every start and count over two years', () => {
    const broken: string[] = []
    for (let d = '2026-01-01'; d < '2027-12-01'; d = vnDay(Date.parse(`${d}T00:00:00+07:00`) + 86_400_000 * 3)) {
      for (const n of [1, 2, 5, 10, 23]) {
        const due = addWorkingDays(d, n, vn)
        if (workingDaysBetween(d, due, vn) !== n || !isWorkingDay(due, vn)) broken.push(`${d}+${n}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('counts backward and refuses what is not a day or a whole count', () => {
    expect(shiftWorkingDays('2026-02-23', -1, vn)).toBe('2026-02-13')
    expect(shiftWorkingDays('2026-12-14', -2, vn)).toBe('2026-12-10')
    expect(isIsoDay('2026-02-29')).toBe(false)
    expect(isIsoDay('2028-02-29')).toBe(true)
    expect(isIsoDay('2026-13-01')).toBe(false)
    expect(() => addWorkingDays('2026-02-30', 1, vn)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-03', 1.5, vn)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-03', -1, vn)).toThrow(RangeError)
    // A calendar with no working day at all cannot loop for ever.
    const noneWork = calendarOf(Array.from({ length: 4000 }, (_, i) => ({ date: vnDay(Date.parse('2026-01-01T00:00:00+07:00') + i * 86_400_000), kind: 'holiday' as const })))
    expect(() => addWorkingDays('2026-01-01', 1, noneWork)).toThrow(/no 1 working days/)
  })

  it('names weekdays and deadlines in Vietnamese', () => {
    expect(weekdayName('2026-12-07')).toBe('Thứ Hai')
    expect(weekdayName('2026-12-13')).toBe('Chủ nhật')
    expect(weekdayName('2026-12-13', 'en')).toBe('Sunday')
    expect(formatDeadline(endOfDay('2026-12-11'))).toBe('23:59 Thứ Sáu 11/12/2026')
    expect(formatDeadline(endOfDay('2026-12-11'), 'en')).toBe('23:59 Friday 11/12/2026')
  })
})

describe('a cycle launched in working days', () => {
  const opensAt = new Date('2026-12-01T06:07:34Z') // Tuesday 01/12/2026 13:07:34 in Hà Nội

  it('lands the workflow arithmetic on 23:59:59 of the right working days', () => {
    const d = launchDurations(opensAt, '2026-11-30', {}, vn)
    expect(d).toMatchObject({ selfAssessmentWorkingDays: 5, reviewWorkingDays: 5, reminderWorkingDays: 1, workingDaysFrom: '2026-12-01' })
    const calendar = cycleCalendar(opensAt.getTime(), d)
    expect(new Date(calendar.selfDueAt).toISOString()).toBe('2026-12-08T16:59:59.000Z') // Tuesday 08/12, 23:59:59
    expect(new Date(calendar.reviewDueAt).toISOString()).toBe('2026-12-15T16:59:59.000Z')
    expect(d.selfAssessmentDueAt).toBe('2026-12-08T16:59:59.000Z')
    expect(new Date(dueAt('SELF_ASSESSMENT', opensAt.getTime(), calendar)!).toISOString()).toBe(d.selfAssessmentDueAt)
    // The reminder at 00:00 of the due day, for both phases.
    expect(checkpoints(calendar).filter((c) => c.kind === 'REMINDER').map((c) => new Date(c.at).toISOString())).toEqual(['2026-12-07T17:00:00.000Z', '2026-12-14T17:00:00.000Z'])
  })

  it('counts from the period end when launched before the period is over, across the new year and Tết', () => {
    expect(countingStart(opensAt, '2026-12-31')).toBe('2026-12-31')
    const d = launchDurations(opensAt, '2026-12-31', {}, vn)
    expect(d.selfAssessmentDueAt).toBe('2027-01-08T16:59:59.000Z') // 01/01 off: 4, 5, 6, 7, 8
    expect(d.reviewDueAt).toBe('2027-01-15T16:59:59.000Z')
    const january = launchDurations(new Date('2027-02-01T01:00:00Z'), '2027-01-31', { selfAssessmentWorkingDays: 5, reviewWorkingDays: 3 }, vn)
    expect(january.selfAssessmentDueAt).toBe('2027-02-15T16:59:59.000Z') // 2, 3, 4, then Tết, 12, 15
    expect(january.reviewDueAt).toBe('2027-02-18T16:59:59.000Z')
  })

  it('lets explicit seconds win, and counts review working days from that due time', () => {
    expect(launchDurations(opensAt, '2026-11-30', { selfAssessmentSeconds: 4, reviewSeconds: 600, reminderBeforeSeconds: 2 }, vn)).toEqual({
      selfAssessmentSeconds: 4,
      reviewSeconds: 600,
      reminderBeforeSeconds: 2,
      selfAssessmentDueAt: '2026-12-01T06:07:38.000Z',
      reviewDueAt: '2026-12-01T06:17:38.000Z',
    })
    const mixed = launchDurations(opensAt, '2026-11-30', { selfAssessmentSeconds: 60, reminderWorkingDays: 2 }, vn)
    expect(mixed.reviewDueAt).toBe('2026-12-08T16:59:59.000Z') // 5 working days after Tuesday 01/12
    expect(mixed.reminderBeforeSeconds).toBe(86_400 + 13 * 3600 + 8 * 60 + 34) // from 00:00 Monday 30/11 (2 working days left) to the due time, Tuesday 01/12 13:08:34
  })

  it('needs a launch at a whole second', () => {
    expect(() => launchDurations(new Date('2026-12-01T06:07:34.500Z'), '2026-11-30', {}, vn)).toThrow(RangeError)
  })
})
