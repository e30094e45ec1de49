import type { Hono } from 'hono'
import { z } from 'zod'
import { deleteDay, listDays, loadCalendar, putDay } from '../calendar/holidays.repo.js'
import { workingDeadline } from '../calendar/calendar.service.js'
import { formatDeadline, isIsoDay, vnDay, weekdayName, weekdayOf } from '../calendar/working-days.js'
import { ApiError, notFound } from '../errors.js'
import type { AppDeps, AppEnv } from '../http/context.js'
import { route } from '../http/route.js'

const FIRST_YEAR = 2000
const LAST_YEAR = 2100
const inRange = (d: string) => isIsoDay(d) && Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR
const day = z.string().refine(inRange, `ngày yyyy-mm-dd có thật, năm ${FIRST_YEAR}–${LAST_YEAR} / a real yyyy-mm-dd day, years ${FIRST_YEAR}–${LAST_YEAR}`)

const daysQuery = z.object({ year: z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR).optional() })
const dayBody = z.object({ kind: z.enum(['holiday', 'working']), name: z.string().trim().min(1).max(200) })
const workingDaysQuery = z.object({ from: day.optional(), days: z.coerce.number().int().min(0).max(366) })

/** The date in the path, or 400 when it is not a real day in range. */
function dateParam(params: Record<string, string>): string {
  const raw = params['date'] ?? ''
  if (!inRange(raw)) {
    throw new ApiError(400, 'VALIDATION_FAILED', `Ngày "${raw.slice(0, 20)}" không hợp lệ: cần dạng yyyy-mm-dd, năm ${FIRST_YEAR}–${LAST_YEAR}.`, `Invalid date "${raw.slice(0, 20)}": expected yyyy-mm-dd, years ${FIRST_YEAR}–${LAST_YEAR}.`)
  }
  return raw
}

/** Routes of the calendar feature: holidays and compensating working days, and deadlines in working days. */
export function calendarRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps

  route(app, { method: 'get', path: '/api/calendar/days', summary: 'The days of a year that differ from the week (?year=, default this year): holidays and compensating working days', tag: 'calendar', query: daysQuery }, async ({ query }) => {
    const year = query.year ?? Number(vnDay(Date.now()).slice(0, 4))
    return { year, days: await listDays(db, year) }
  })

  route(app, { method: 'put', path: '/api/calendar/days/:date', summary: 'Mark a day a holiday (or day off in lieu) or a compensating working day {kind, name} (admin; audited)', tag: 'calendar', roles: ['admin'], body: dayBody }, async ({ params, body, user }) => {
    const date = dateParam(params)
    const weekday = weekdayOf(date)
    if (body.kind === 'working' && weekday !== 0 && weekday !== 6) {
      throw new ApiError(400, 'NOT_A_WEEKEND', `${weekdayName(date)} là ngày làm việc sẵn; chỉ thứ Bảy hoặc Chủ nhật mới đánh dấu làm bù.`, `${weekdayName(date, 'en')} is a working day already; only a Saturday or Sunday can be a compensating working day.`)
    }
    const { created } = await putDay(db, { date, kind: body.kind, name: body.name }, user.id)
    return { date, kind: body.kind, name: body.name, created }
  })

  route(app, { method: 'delete', path: '/api/calendar/days/:date', summary: 'Unmark a day: it follows the week again (admin; audited)', tag: 'calendar', roles: ['admin'] }, async ({ params, user }) => {
    const date = dateParam(params)
    if (!(await deleteDay(db, date, user.id))) throw notFound('ngày trong lịch / calendar day', date)
    return { date, deleted: true }
  })

  route(app, { method: 'get', path: '/api/calendar/working-days', summary: 'When N working days after a day end (?from=yyyy-mm-dd, default today; &days=N): 23:59:59 Asia/Ho_Chi_Minh of that working day', tag: 'calendar', query: workingDaysQuery }, async ({ query }) => {
    const from = query.from ?? vnDay(Date.now())
    const dueAt = workingDeadline(from, query.days, await loadCalendar(db, from))
    return { from, days: query.days, date: vnDay(dueAt), dueAt: dueAt.toISOString(), label: { vi: formatDeadline(dueAt, 'vi'), en: formatDeadline(dueAt, 'en') } }
  })
}
