import type { Db } from '../db/database.js'
import { ApiError } from '../errors.js'
import { launchDurations, type LaunchDurations, type RequestedDurations } from './cycle-deadlines.js'
import { loadCalendar } from './holidays.repo.js'
import { addWorkingDays, vnDay, type WorkingCalendar } from './working-days.js'

const noWorkingDay = () =>
  new ApiError(409, 'NO_WORKING_DAY', 'Lịch làm việc không còn đủ ngày làm việc để tính hạn; hãy kiểm tra các ngày nghỉ đã nhập.', 'The working calendar leaves too few working days to set the due date; check the days off entered.')

/** `addWorkingDays`, answering 409 NO_WORKING_DAY (not a 500) when the calendar leaves no working day for ten years. */
export function workingDeadline(from: string | Date | number, days: number, calendar: WorkingCalendar): Date {
  try {
    return addWorkingDays(from, days, calendar)
  } catch (err) {
    if (err instanceof RangeError) throw noWorkingDay()
    throw err
  }
}

/** A launch's durations from the calendar in the database (see cycle-deadlines.ts). */
export async function cycleLaunchDurations(db: Db, opensAt: Date, periodEnd: string, requested: RequestedDurations): Promise<LaunchDurations> {
  // Every count runs forward from the launch day or later (a reminder counts back a little: the repo keeps a margin).
  const calendar = await loadCalendar(db, vnDay(opensAt))
  try {
    return launchDurations(opensAt, periodEnd, requested, calendar)
  } catch (err) {
    if (err instanceof RangeError) throw noWorkingDay()
    throw err
  }
}
