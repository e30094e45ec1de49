import { z } from '@hono/zod-openapi'
import { ApiError, notFound } from '../errors.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, jsonAnswer, jsonBody } from '../http/openapi.js'
import { workingDeadline } from './calendar.service.js'
import { deleteDay, listDays, loadCalendar, putDay } from './holidays.repo.js'
import { formatDeadline, isIsoDay, vnDay, weekdayName, weekdayOf } from './working-days.js'

const FIRST_YEAR = 2000
const LAST_YEAR = 2100
const inRange = (d: string) => isIsoDay(d) && Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR
const dayField = z.string().openapi({ format: 'date', example: '2026-09-02' })
const day = z.string().refine(inRange, `ngày yyyy-mm-dd có thật, năm ${FIRST_YEAR}–${LAST_YEAR} / a real yyyy-mm-dd day, years ${FIRST_YEAR}–${LAST_YEAR}`).openapi({ format: 'date', example: '2026-09-02' })
const kind = z.enum(['holiday', 'working']).openapi({ description: 'holiday: a public holiday or day off in lieu; working: a compensating working day (a Saturday or Sunday)' })
/** The date in the path, checked by the handler (400 unless a real day in range). */
const datePath = z.object({ date: z.string().openapi({ description: `a real yyyy-mm-dd day, years ${FIRST_YEAR}–${LAST_YEAR}`, example: '2026-09-02' }) })

/** A day that differs from the week, as `GET /api/calendar/days` lists it. */
export const CalendarDay = z
  .object({ date: dayField, kind, name: z.string(), updatedAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('CalendarDay')

const listDaysRoute = defineRoute({
  method: 'get',
  path: '/api/calendar/days',
  tags: ['calendar'],
  summary: 'The days of a year that differ from the week (?year=, default this year): holidays and compensating working days',
  request: { query: z.object({ year: z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR).optional() }) },
  responses: { 200: jsonAnswer(z.object({ year: z.number().int(), days: z.array(CalendarDay) }), "The year's days, by date") },
})

const putDayRoute = defineRoute({
  method: 'put',
  path: '/api/calendar/days/{date}',
  tags: ['calendar'],
  summary: 'Mark a day a holiday (or day off in lieu) or a compensating working day {kind, name} (admin; audited)',
  roles: ['admin'],
  request: { params: datePath, body: jsonBody(z.object({ kind, name: z.string().trim().min(1).max(200) })) },
  responses: { 200: jsonAnswer(z.object({ date: dayField, kind, name: z.string(), created: z.boolean().openapi({ description: 'false: the day was marked already and is changed' }) }), 'Marked') },
})

const deleteDayRoute = defineRoute({
  method: 'delete',
  path: '/api/calendar/days/{date}',
  tags: ['calendar'],
  summary: 'Unmark a day: it follows the week again (admin; audited)',
  roles: ['admin'],
  request: { params: datePath },
  responses: { 200: jsonAnswer(z.object({ date: dayField, deleted: z.literal(true) }), 'Unmarked') },
})

const workingDaysRoute = defineRoute({
  method: 'get',
  path: '/api/calendar/working-days',
  tags: ['calendar'],
  summary: 'When N working days after a day end (?from=yyyy-mm-dd, default today; &days=N): 23:59:59 Asia/Ho_Chi_Minh of that working day',
  request: { query: z.object({ from: day.optional(), days: z.coerce.number().int().min(0).max(366) }) },
  responses: {
    200: jsonAnswer(
      z.object({
        from: dayField,
        days: z.number().int(),
        date: dayField.openapi({ description: 'the last working day' }),
        dueAt: z.string().openapi({ format: 'date-time' }),
        label: z.object({ vi: z.string(), en: z.string() }),
      }),
      'The deadline',
    ),
  },
})

/** The date in the path, or 400 when it is not a real day in range. */
function dateParam(raw: string): string {
  if (!inRange(raw)) {
    throw new ApiError(400, 'VALIDATION_FAILED', `Ngày "${raw.slice(0, 20)}" không hợp lệ: cần dạng yyyy-mm-dd, năm ${FIRST_YEAR}–${LAST_YEAR}.`, `Invalid date "${raw.slice(0, 20)}": expected yyyy-mm-dd, years ${FIRST_YEAR}–${LAST_YEAR}.`)
  }
  return raw
}

/** Routes of the calendar feature: holidays and compensating working days, and deadlines in working days. */
export function calendarRoutes({ db }: AppDeps) {
  return featureApp()
    .openapi(listDaysRoute, async (c) => {
      const query = c.req.valid('query')
      const year = query.year ?? Number(vnDay(Date.now()).slice(0, 4))
      const days = await listDays(db, year)
      return c.json({ year, days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, updatedAt: d.updatedAt.toISOString() })) }, 200)
    })
    .openapi(putDayRoute, async (c) => {
      const user = c.get('user')
      const body = c.req.valid('json')
      const date = dateParam(c.req.valid('param').date)
      const weekday = weekdayOf(date)
      if (body.kind === 'working' && weekday !== 0 && weekday !== 6) {
        throw new ApiError(400, 'NOT_A_WEEKEND', `${weekdayName(date)} là ngày làm việc sẵn; chỉ thứ Bảy hoặc Chủ nhật mới đánh dấu làm bù.`, `${weekdayName(date, 'en')} is a working day already; only a Saturday or Sunday can be a compensating working day.`)
      }
      const { created } = await putDay(db, { date, kind: body.kind, name: body.name }, user.id)
      return c.json({ date, kind: body.kind, name: body.name, created }, 200)
    })
    .openapi(deleteDayRoute, async (c) => {
      const user = c.get('user')
      const date = dateParam(c.req.valid('param').date)
      if (!(await deleteDay(db, date, user.id))) throw notFound('ngày trong lịch / calendar day', date)
      return c.json({ date, deleted: true as const }, 200)
    })
    .openapi(workingDaysRoute, async (c) => {
      const query = c.req.valid('query')
      const from = query.from ?? vnDay(Date.now())
      const dueAt = workingDeadline(from, query.days, await loadCalendar(db, from))
      return c.json({ from, days: query.days, date: vnDay(dueAt), dueAt: dueAt.toISOString(), label: { vi: formatDeadline(dueAt, 'vi'), en: formatDeadline(dueAt, 'en') } }, 200)
    })
}

/** The calendar's routes, as the typed client sees them. */
export type CalendarApi = ReturnType<typeof calendarRoutes>
