import type { CycleDurations } from '../db/schema.js'
import { addWorkingDays, type WorkingCalendar } from '../calendar/working-days.js'

/** Luật Viên chức 2025 Điều 26–27, applied to công chức too: petitions within 5 days of publication, answered within 10 working days. */
export const DEFAULT_PETITION_WORKING_DAYS = 5
export const DEFAULT_ANSWER_WORKING_DAYS = 10

type PetitionDurations = Pick<CycleDurations, 'petitionWorkingDays' | 'petitionSeconds' | 'petitionAnswerWorkingDays' | 'petitionAnswerSeconds'>

/**
 * When the petition window of results published at `publishedAt` closes: `petitionSeconds` later
 * when set (tests), else at the end (23:59:59 Asia/Ho_Chi_Minh) of the n-th working day after the
 * day of publication.
 */
export function petitionWindowCloses(publishedAt: Date, durations: PetitionDurations, calendar: WorkingCalendar): Date {
  if (durations.petitionSeconds !== undefined) return new Date(publishedAt.getTime() + durations.petitionSeconds * 1000)
  return addWorkingDays(publishedAt, durations.petitionWorkingDays ?? DEFAULT_PETITION_WORKING_DAYS, calendar)
}

/**
 * When a petition filed at `filedAt` must be answered, and when its authority is reminded: the
 * answer by the end of the n-th working day (or `petitionAnswerSeconds` later), the reminder at
 * the end of the working day before (half-way in seconds, or when the answer time is one day).
 */
export function answerSchedule(filedAt: Date, durations: PetitionDurations, calendar: WorkingCalendar): { dueAt: Date; remindAt: Date } {
  const halfWay = (dueAt: Date) => new Date(filedAt.getTime() + Math.floor((dueAt.getTime() - filedAt.getTime()) / 2))
  if (durations.petitionAnswerSeconds !== undefined) {
    const dueAt = new Date(filedAt.getTime() + durations.petitionAnswerSeconds * 1000)
    return { dueAt, remindAt: halfWay(dueAt) }
  }
  const days = durations.petitionAnswerWorkingDays ?? DEFAULT_ANSWER_WORKING_DAYS
  const dueAt = addWorkingDays(filedAt, days, calendar)
  const dayBefore = days > 1 ? addWorkingDays(filedAt, days - 1, calendar) : null
  return { dueAt, remindAt: dayBefore && dayBefore > filedAt ? dayBefore : halfWay(dueAt) }
}

/** "3 / 12": a rank in the unit and the unit's size, as the published list shows it. */
export const rankOf = (rank: number | null, size: number): string | null => (rank === null ? null : `${rank} / ${size}`)
