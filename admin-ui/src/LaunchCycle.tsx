import { useEffect, useState, type FormEvent } from 'react'
import { api, ApiFailure } from './api'
import { periodOf, type PeriodKind } from './period'
import { go } from './router'
import type { Lang } from './i18n'
import type { RuleSetMeta, Unit } from './types'


const DAY = 86_400

/** The admin launches a cycle: period, units in scope, published rule set, deadlines in days. */
export function LaunchCycle({ lang }: { lang: Lang }) {
  const vi = lang === 'vi'
  const [units, setUnits] = useState<Unit[]>([])
  const [ruleSets, setRuleSets] = useState<RuleSetMeta[]>([])
  const month = periodOf('month', new Date())
  const [form, setForm] = useState({ name: month.name, periodKind: 'month', periodStart: month.start, periodEnd: month.end, ruleSetId: 0, selfDays: 7, reviewDays: 5, reminderDays: 1 })
  const [scope, setScope] = useState<Set<number>>(new Set())
  const [error, setError] = useState('')
  useEffect(() => {
    void api<Unit[]>('GET', '/api/units').then(setUnits)
    void api<RuleSetMeta[]>('GET', '/api/rulesets').then((all) => {
      const published = all.filter((r) => r.status === 'published')
      setRuleSets(published)
      // Nothing preselected unless only one can apply: the admin chooses the rule set of record.
      if (published.length === 1) setForm((f) => ({ ...f, ruleSetId: published[0]!.id }))
    })
  }, [])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    try {
      const cycle = await api<{ id: number }>('POST', '/api/cycles', {
        name: form.name,
        periodKind: form.periodKind,
        periodStart: form.periodStart,
        periodEnd: form.periodEnd,
        ruleSetId: Number(form.ruleSetId),
        ...(scope.size ? { unitIds: [...scope] } : {}),
        durations: { selfAssessmentSeconds: form.selfDays * DAY, reviewSeconds: form.reviewDays * DAY, reminderBeforeSeconds: form.reminderDays * DAY },
      })
      go(`#/cycles/${cycle.id}`)
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    }
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: typeof form[k] === 'number' ? Number(e.target.value) : e.target.value })
  return (
    <section className="card" data-testid="launch">
      <h2>{vi ? 'Mở kỳ đánh giá' : 'Launch a cycle'}</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {vi ? 'Tên kỳ' : 'Name'}
          <input required value={form.name} onChange={set('name')} />
        </label>
        <label>
          {vi ? 'Loại kỳ' : 'Kind'}
          <select
            value={form.periodKind}
            onChange={(e) => {
              // A new kind brings its own current period and name (a quarter never keeps the month's dates).
              const period = periodOf(e.target.value as PeriodKind, new Date())
              setForm({ ...form, periodKind: e.target.value, name: period.name, periodStart: period.start, periodEnd: period.end })
            }}
          >
            <option value="month">{vi ? 'Tháng' : 'Month'}</option>
            <option value="quarter">{vi ? 'Quý' : 'Quarter'}</option>
            <option value="year">{vi ? 'Năm' : 'Year'}</option>
          </select>
        </label>
        <label>
          {vi ? 'Từ ngày' : 'From'}
          <input type="date" required value={form.periodStart} onChange={set('periodStart')} />
        </label>
        <label>
          {vi ? 'Đến ngày' : 'To'}
          <input type="date" required value={form.periodEnd} onChange={set('periodEnd')} />
        </label>
        <label>
          {vi ? 'Bộ quy tắc' : 'Rule set'}
          <select required value={form.ruleSetId || ''} onChange={set('ruleSetId')}>
            <option value="" disabled>
              {vi ? '— Chọn bộ quy tắc —' : '— Choose a rule set —'}
            </option>
            {ruleSets.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name[lang]} v{r.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          {vi ? 'Hạn tự đánh giá (ngày)' : 'Self-assessment (days)'}
          <input type="number" min={1} max={366} value={form.selfDays} onChange={set('selfDays')} />
        </label>
        <label>
          {vi ? 'Hạn nhận xét (ngày)' : 'Review (days)'}
          <input type="number" min={1} max={366} value={form.reviewDays} onChange={set('reviewDays')} />
        </label>
        <label>
          {vi ? 'Nhắc trước (ngày)' : 'Remind before (days)'}
          <input type="number" min={0} max={366} value={form.reminderDays} onChange={set('reminderDays')} />
        </label>
        <fieldset>
          <legend>{vi ? 'Đơn vị (bỏ trống = toàn cơ quan)' : 'Units (none = the whole organisation)'}</legend>
          {units.map((u) => (
            <label key={u.id} className="check">
              <input type="checkbox" checked={scope.has(u.id)} onChange={(e) => setScope((s) => (e.target.checked ? new Set(s).add(u.id) : new Set([...s].filter((x) => x !== u.id))))} />
              {u.parentId ? '— ' : ''}
              {u.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" data-testid="launch-submit">
          {vi ? 'Mở kỳ' : 'Launch'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
