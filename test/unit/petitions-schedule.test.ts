import { describe, expect, it } from 'vitest'
import { calendarOf } from '../../server/calendar/working-days.js'
import { answerSchedule, petitionWindowCloses, rankOf } from '../../server/petitions/petition-schedule.js'

/** Tết 2026: 14–22/02 off (Saturday 14 to Sunday 22). */
const tet = calendarOf(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((date) => ({ date, kind: 'holiday' as const })))
/** 10:00 in Vietnam on Thursday 12/02/2026. */
const thursday = new Date('2026-02-12T03:00:00Z')
const endOfVnDay = (day: string) => new Date(`${day}T23:59:59+07:00`)

describe('petition window and answer deadlines', () => {
  it('closes the window at the end of the 5th working day after publication, skipping Tết', () => {
    // Fri 13, then Mon 23, Tue 24, Wed 25, Thu 26.
    expect(petitionWindowCloses(thursday, {}, tet)).toEqual(endOfVnDay('2026-02-26'))
    expect(petitionWindowCloses(thursday, { petitionWorkingDays: 1 }, tet)).toEqual(endOfVnDay('2026-02-13'))
  })

  it('takes seconds instead of working days when given (tests)', () => {
    expect(petitionWindowCloses(thursday, { petitionSeconds: 20, petitionWorkingDays: 5 }, tet)).toEqual(new Date(thursday.getTime() + 20_000))
    expect(answerSchedule(thursday, { petitionAnswerSeconds: 8 }, tet)).toEqual({ dueAt: new Date(thursday.getTime() + 8000), remindAt: new Date(thursday.getTime() + 4000) })
  })

  it('is answered within 10 working days, reminded at the end of the working day before', () => {
    // Fri 13, Mon 23 … Fri 27 (6), Mon 2/3 … Thu 5/3 (10).
    const { dueAt, remindAt } = answerSchedule(thursday, {}, tet)
    expect(dueAt).toEqual(endOfVnDay('2026-03-05'))
    expect(remindAt).toEqual(endOfVnDay('2026-03-04'))
    // One working day to answer: reminded half-way.
    const one = answerSchedule(thursday, { petitionAnswerWorkingDays: 1 }, tet)
    expect(one.dueAt).toEqual(endOfVnDay('2026-02-13'))
    expect(one.remindAt.getTime()).toBeGreaterThan(thursday.getTime())
    expect(one.remindAt.getTime()).toBeLessThan(one.dueAt.getTime())
  })

  it('writes a rank with the unit size', () => {
    expect(rankOf(3, 12)).toBe('3 / 12')
    expect(rankOf(null, 12)).toBeNull()
  })
})
