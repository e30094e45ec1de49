import { DateInput } from './DateInput'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { isIsoDay, weekdayName, weekdayOf } from '../../server/calendar/working-days'
import type { InferResponseType } from 'hono/client'
import { ApiFailure } from './api'
import { client, ok } from './client'
import { formatDate, type Lang, tr } from './i18n'

/** A marked day as `GET /api/calendar/days` lists it (the server's zod schema, through the typed client), as the form edits it. */
type CalendarDay = Pick<InferResponseType<typeof client.api.calendar.days.$get, 200>['days'][number], 'date' | 'kind' | 'name'>

const KIND_LABELS: Record<CalendarDay['kind'], Record<Lang, string>> = {
  holiday: { vi: 'Nghỉ lễ, nghỉ bù', en: 'Holiday / day off in lieu' },
  working: { vi: 'Làm bù (thứ Bảy, Chủ nhật đi làm)', en: 'Compensating working day' },
}

const thisYear = () => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()))
const empty = (year: number): CalendarDay => ({ date: `${year}-01-01`, kind: 'holiday', name: '' })

/**
 * The admin's working-day calendar: a year's public holidays (and days off in lieu) and compensating
 * working days, to add, rename or remove. Other days follow the week (Monday–Friday working).
 */
export function HolidaysPage({ lang }: { lang: Lang }) {
  const [year, setYear] = useState(thisYear)
  const [days, setDays] = useState<CalendarDay[]>([])
  const [form, setForm] = useState<CalendarDay>(() => empty(thisYear()))
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  const load = useCallback(async (y: number) => {
    const res = await ok(client.api.calendar.days.$get({ query: { year: String(y) } }))
    setDays(res.days)
  }, [])
  useEffect(() => {
    void load(year)
  }, [load, year])

  const changeYear = (y: number) => {
    setYear(y)
    setEditing(null)
    setForm(empty(y))
  }
  const fail = (err: unknown) => setError(err instanceof ApiFailure ? err.message : String(err))
  const save = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    setNotice('')
    try {
      await ok(client.api.calendar.days[':date'].$put({ param: { date: form.date }, json: { kind: form.kind, name: form.name } }))
      setNotice(tr(lang, 'holidaysPage.saved', { value: formatDate(form.date) }))
      setEditing(null)
      if (form.date.startsWith(`${year}-`)) await load(year)
      else changeYear(Number(form.date.slice(0, 4)))
      setForm(empty(Number(form.date.slice(0, 4))))
    } catch (err) {
      fail(err)
    }
  }
  const remove = async (day: CalendarDay) => {
    const question = tr(lang, 'holidaysPage.removeThatDayThenFollows', { value: formatDate(day.date), name: day.name })
    if (!window.confirm(question)) return
    setError('')
    setNotice('')
    try {
      await ok(client.api.calendar.days[':date'].$delete({ param: { date: day.date } }))
      setNotice(tr(lang, 'holidaysPage.removed', { value: formatDate(day.date) }))
      await load(year)
    } catch (err) {
      fail(err)
    }
  }
  const weekend = isIsoDay(form.date) && [0, 6].includes(weekdayOf(form.date))

  return (
    <section className="card" data-testid="holidays">
      <h2>{tr(lang, 'holidaysPage.workingCalendar')}</h2>
      <p className="muted">
        {tr(lang, 'holidaysPage.explanation')}
      </p>
      <div className="inline-form">
        <button type="button" className="secondary" onClick={() => changeYear(year - 1)} aria-label={tr(lang, 'holidaysPage.previousYear')}>
          ‹ {year - 1}
        </button>
        <strong data-testid="calendar-year">{tr(lang, 'holidaysPage.year', { year })}</strong>
        <button type="button" className="secondary" onClick={() => changeYear(year + 1)} aria-label={tr(lang, 'holidaysPage.nextYear')}>
          {year + 1} ›
        </button>
      </div>
      {days.length === 0 ? (
        <p>{tr(lang, 'holidaysPage.noHolidaysEnteredForThis')}</p>
      ) : (
        <table data-testid="calendar-days">
          <thead>
            <tr>
              <th>{tr(lang, 'holidaysPage.date')}</th>
              <th>{tr(lang, 'holidaysPage.weekday')}</th>
              <th>{tr(lang, 'holidaysPage.kind')}</th>
              <th>{tr(lang, 'holidaysPage.name')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date} data-kind={d.kind}>
                <td style={{ whiteSpace: 'nowrap' }}>{formatDate(d.date)}</td>
                <td style={{ whiteSpace: 'nowrap' }}>{weekdayName(d.date, lang)}</td>
                <td>{KIND_LABELS[d.kind][lang]}</td>
                <td>{d.name}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      setEditing(d.date)
                      setForm(d)
                    }}
                  >
                    {tr(lang, 'holidaysPage.edit')}
                  </button>{' '}
                  <button type="button" className="danger" onClick={() => void remove(d)}>
                    {tr(lang, 'holidaysPage.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{editing ? (tr(lang, 'holidaysPage.edit2', { value: formatDate(editing) })) : tr(lang, 'holidaysPage.addADay')}</h3>
      <form className="inline-form" onSubmit={save} data-testid="calendar-form">
        <label>
          {tr(lang, 'holidaysPage.date')}
          <DateInput required value={form.date} disabled={editing !== null} onChange={(date) => setForm((f) => ({ ...f, date }))} lang={lang} />
          {isIsoDay(form.date) && <small>{weekdayName(form.date, lang)}</small>}
        </label>
        <label>
          {tr(lang, 'holidaysPage.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as CalendarDay['kind'] })}>
            <option value="holiday">{KIND_LABELS.holiday[lang]}</option>
            <option value="working" disabled={!weekend}>
              {KIND_LABELS.working[lang]}
            </option>
          </select>
        </label>
        <label>
          {tr(lang, 'holidaysPage.name')}
          <input required maxLength={200} value={form.name} placeholder={tr(lang, 'holidaysPage.eGDayOffIn')} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <button type="submit" data-testid="calendar-save">
          {tr(lang, 'holidaysPage.save')}
        </button>
        {editing && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setEditing(null)
              setForm(empty(year))
            }}
          >
            {tr(lang, 'holidaysPage.cancel')}
          </button>
        )}
      </form>
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
