import { DateInput } from './DateInput'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { isIsoDay, weekdayName, weekdayOf } from '../../server/calendar/working-days'
import { api, ApiFailure } from './api'
import { formatDate, type Lang } from './i18n'

interface CalendarDay {
  date: string
  kind: 'holiday' | 'working'
  name: string
}

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
  const vi = lang === 'vi'
  const [year, setYear] = useState(thisYear)
  const [days, setDays] = useState<CalendarDay[]>([])
  const [form, setForm] = useState<CalendarDay>(() => empty(thisYear()))
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  const load = useCallback(async (y: number) => {
    const res = await api<{ days: CalendarDay[] }>('GET', `/api/calendar/days?year=${y}`)
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
      await api('PUT', `/api/calendar/days/${form.date}`, { kind: form.kind, name: form.name })
      setNotice(vi ? `Đã lưu ngày ${formatDate(form.date)}.` : `Saved ${formatDate(form.date)}.`)
      setEditing(null)
      if (form.date.startsWith(`${year}-`)) await load(year)
      else changeYear(Number(form.date.slice(0, 4)))
      setForm(empty(Number(form.date.slice(0, 4))))
    } catch (err) {
      fail(err)
    }
  }
  const remove = async (day: CalendarDay) => {
    const question = vi ? `Bỏ ngày ${formatDate(day.date)} (${day.name}) khỏi lịch? Ngày đó sẽ theo lịch tuần (thứ Hai–thứ Sáu làm việc).` : `Remove ${formatDate(day.date)} (${day.name})? That day then follows the week (Monday–Friday working).`
    if (!window.confirm(question)) return
    setError('')
    setNotice('')
    try {
      await api('DELETE', `/api/calendar/days/${day.date}`)
      setNotice(vi ? `Đã bỏ ngày ${formatDate(day.date)}.` : `Removed ${formatDate(day.date)}.`)
      await load(year)
    } catch (err) {
      fail(err)
    }
  }
  const weekend = isIsoDay(form.date) && [0, 6].includes(weekdayOf(form.date))

  return (
    <section className="card" data-testid="holidays">
      <h2>{vi ? 'Lịch làm việc' : 'Working calendar'}</h2>
      <p className="muted">
        {vi
          ? 'Thứ Hai đến thứ Sáu là ngày làm việc, trừ các ngày nghỉ dưới đây; thứ Bảy, Chủ nhật được đánh dấu "làm bù" là ngày làm việc. Hạn nộp tính theo ngày làm việc, kết thúc lúc 23:59:59 giờ Việt Nam. Năm 2027 là dự kiến: hãy đối chiếu với thông báo nghỉ lễ, Tết hằng năm của Chính phủ.'
          : 'Monday to Friday are working days except the days off below; a Saturday or Sunday marked as a compensating working day is one. Deadlines count working days and end at 23:59:59 Vietnam time. The 2027 days are provisional: check them against the Government’s annual notice.'}
      </p>
      <div className="inline-form">
        <button type="button" className="secondary" onClick={() => changeYear(year - 1)} aria-label={vi ? 'Năm trước' : 'Previous year'}>
          ‹ {year - 1}
        </button>
        <strong data-testid="calendar-year">{vi ? `Năm ${year}` : `Year ${year}`}</strong>
        <button type="button" className="secondary" onClick={() => changeYear(year + 1)} aria-label={vi ? 'Năm sau' : 'Next year'}>
          {year + 1} ›
        </button>
      </div>
      {days.length === 0 ? (
        <p>{vi ? 'Chưa có ngày nghỉ lễ nào cho năm này: chỉ thứ Bảy, Chủ nhật được nghỉ.' : 'No holidays entered for this year: only weekends are off.'}</p>
      ) : (
        <table data-testid="calendar-days">
          <thead>
            <tr>
              <th>{vi ? 'Ngày' : 'Date'}</th>
              <th>{vi ? 'Thứ' : 'Weekday'}</th>
              <th>{vi ? 'Loại' : 'Kind'}</th>
              <th>{vi ? 'Tên' : 'Name'}</th>
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
                    {vi ? 'Sửa' : 'Edit'}
                  </button>{' '}
                  <button type="button" className="danger" onClick={() => void remove(d)}>
                    {vi ? 'Bỏ' : 'Remove'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{editing ? (vi ? `Sửa ngày ${formatDate(editing)}` : `Edit ${formatDate(editing)}`) : vi ? 'Thêm ngày' : 'Add a day'}</h3>
      <form className="inline-form" onSubmit={save} data-testid="calendar-form">
        <label>
          {vi ? 'Ngày' : 'Date'}
          <DateInput required value={form.date} disabled={editing !== null} onChange={(date) => setForm((f) => ({ ...f, date }))} lang={lang} />
          {isIsoDay(form.date) && <small>{weekdayName(form.date, lang)}</small>}
        </label>
        <label>
          {vi ? 'Loại' : 'Kind'}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as CalendarDay['kind'] })}>
            <option value="holiday">{KIND_LABELS.holiday[lang]}</option>
            <option value="working" disabled={!weekend}>
              {KIND_LABELS.working[lang]}
            </option>
          </select>
        </label>
        <label>
          {vi ? 'Tên' : 'Name'}
          <input required maxLength={200} value={form.name} placeholder={vi ? 'VD: Nghỉ bù Quốc khánh' : 'e.g. Day off in lieu, National Day'} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <button type="submit" data-testid="calendar-save">
          {vi ? 'Lưu' : 'Save'}
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
            {vi ? 'Thôi' : 'Cancel'}
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
