import { addWorkingDays, shiftWorkingDays, startOfDay, vnDay, type WorkingCalendar } from './working-days.js'

/**
 * A cycle's deadlines in working days, turned at launch into the seconds the workflows count from
 * the moment the cycle opens (`cycleCalendar(opensAt, durations)` in workflows/stages.ts: the
 * self-assessment due `selfAssessmentSeconds` after opening, the review `reviewSeconds` after that,
 * each reminded `reminderBeforeSeconds` ahead). The workflows are unchanged: only the numbers are.
 */
export interface WorkingDaySettings {
  /** Self-assessment due at the end of this many working days after counting starts. */
  selfAssessmentWorkingDays: number
  /** Unit review due this many working days after the self-assessment's due day. */
  reviewWorkingDays: number
  /** The reminder comes at the start (00:00) of the n-th last working day before a due date, the due day being the 1st; 0 = at the due time (no advance reminder). */
  reminderWorkingDays: number
}

/**
 * Defaults, as an agency's evaluation plan would set them ("trong 05 ngày làm việc"): a working week
 * for the self-assessment (the former default of 7 calendar days), a working week for the unit
 * head's review, and a reminder on the morning of the last day (00:00, so it is waiting when the
 * office opens) — with 1 it falls 23 h 59 min 59 s before any due date, exact for both phases.
 */
export const DEFAULT_WORKING_DAYS: WorkingDaySettings = { selfAssessmentWorkingDays: 5, reviewWorkingDays: 5, reminderWorkingDays: 1 }

export interface RequestedDurations extends Partial<WorkingDaySettings> {
  selfAssessmentSeconds?: number
  reviewSeconds?: number
  reminderBeforeSeconds?: number
}

/** What the cycle stores in `durations` (and the workflows receive): the seconds, and the working-day settings that gave them. */
export interface LaunchDurations extends Partial<WorkingDaySettings> {
  selfAssessmentSeconds: number
  reviewSeconds: number
  reminderBeforeSeconds: number
  /** The Vietnam day the working days are counted from (the later of the launch day and the period's end). */
  workingDaysFrom?: string
  /** The resulting due instants (ISO), as a reader of the cycle sees them. */
  selfAssessmentDueAt: string
  reviewDueAt: string
}

/**
 * The day working days count from: the later of the launch day and the period's last day, so a
 * month launched before it ends is not assessed before it is over.
 */
export function countingStart(opensAt: Date, periodEnd: string): string {
  const launchDay = vnDay(opensAt)
  return periodEnd > launchDay ? periodEnd : launchDay
}

/**
 * The cycle's durations for a launch at `opensAt` (a whole second: the due instants are then whole
 * seconds after it). Explicit `*Seconds` win (tests use seconds); what is not given in seconds
 * comes from working days (given, or the defaults). The review is counted from the
 * self-assessment's due day, whichever way that was set.
 */
export function launchDurations(opensAt: Date, periodEnd: string, requested: RequestedDurations, calendar: WorkingCalendar): LaunchDurations {
  const opens = opensAt.getTime()
  if (opens % 1000 !== 0) throw new RangeError('opensAt must be a whole second')
  const from = countingStart(opensAt, periodEnd)
  const used: Partial<WorkingDaySettings> = {}
  const workingDays = (key: keyof WorkingDaySettings) => (used[key] = requested[key] ?? DEFAULT_WORKING_DAYS[key])

  const selfDueAt = requested.selfAssessmentSeconds !== undefined ? opens + requested.selfAssessmentSeconds * 1000 : addWorkingDays(from, workingDays('selfAssessmentWorkingDays'), calendar).getTime()
  const reviewDueAt = requested.reviewSeconds !== undefined ? selfDueAt + requested.reviewSeconds * 1000 : addWorkingDays(selfDueAt, workingDays('reviewWorkingDays'), calendar).getTime()
  let reminderBeforeSeconds = requested.reminderBeforeSeconds
  if (reminderBeforeSeconds === undefined) {
    const n = workingDays('reminderWorkingDays')
    const dueDay = vnDay(selfDueAt)
    reminderBeforeSeconds = n === 0 ? 0 : Math.round((selfDueAt - startOfDay(n === 1 ? dueDay : shiftWorkingDays(dueDay, 1 - n, calendar)).getTime()) / 1000)
  }
  return {
    selfAssessmentSeconds: Math.round((selfDueAt - opens) / 1000),
    reviewSeconds: Math.round((reviewDueAt - selfDueAt) / 1000),
    reminderBeforeSeconds,
    ...used,
    ...(used.selfAssessmentWorkingDays !== undefined ? { workingDaysFrom: from } : {}),
    selfAssessmentDueAt: new Date(selfDueAt).toISOString(),
    reviewDueAt: new Date(reviewDueAt).toISOString(),
  }
}
