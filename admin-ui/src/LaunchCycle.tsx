import { tr } from './i18n'
import { DateInput } from './DateInput'
import { useEffect, useState, type FormEvent } from 'react'
import { countingStart, DEFAULT_WORKING_DAYS } from '../../server/calendar/cycle-deadlines'
import { isIsoDay } from '../../server/calendar/working-days'
import type { InferResponseType } from 'hono/client'
import { ApiFailure } from './api'
import { allPages, client, ok } from './client'
import { LaunchIndicatorWarning } from './integrations/IndicatorsPanel'
import { periodOf, type PeriodKind } from './period'
import { go } from './router'
import type { Lang } from './i18n'
import type { Unit } from './UnitOptions'

/** A rule set as `GET /api/rulesets` lists it. */
type RuleSetSummary = InferResponseType<typeof client.api.rulesets.$get, 200>[number]
/** What the server says N working days give (GET /api/calendar/working-days). */
type WorkingDeadline = InferResponseType<typeof client.api.calendar['working-days']['$get'], 200>

const within = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max

/**
 * The deadlines the working days give, as the launch will set them: the self-assessment counted
 * from the later of today and the period's end, the review from the self-assessment's due day;
 * null while a figure is out of range.
 */
function useDeadlinePreview(periodEnd: string, selfDays: number, reviewDays: number): { self: WorkingDeadline; review: WorkingDeadline } | null {
  const [preview, setPreview] = useState<{ self: WorkingDeadline; review: WorkingDeadline } | null>(null)
  useEffect(() => {
    setPreview(null)
    if (!isIsoDay(periodEnd) || !within(selfDays, 1, 60) || !within(reviewDays, 1, 60)) return
    let live = true
    const timer = setTimeout(() => {
      void (async () => {
        const workingDays = client.api.calendar['working-days']
        const self = await ok(workingDays.$get({ query: { from: countingStart(new Date(), periodEnd), days: String(selfDays) } }))
        const review = await ok(workingDays.$get({ query: { from: self.date, days: String(reviewDays) } }))
        if (live) setPreview({ self, review })
      })().catch(() => undefined)
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [periodEnd, selfDays, reviewDays])
  return preview
}

/** The admin launches a cycle: period, units in scope, published rule set, deadlines in working days with the dates they give. */
export function LaunchCycle({ lang }: { lang: Lang }) {
  const [units, setUnits] = useState<Unit[]>([])
  const [ruleSets, setRuleSets] = useState<RuleSetSummary[]>([])
  const month = periodOf('month', new Date())
  const [form, setForm] = useState({ name: month.name, periodKind: 'month', periodStart: month.start, periodEnd: month.end, ruleSetId: 0, selfDays: DEFAULT_WORKING_DAYS.selfAssessmentWorkingDays, reviewDays: DEFAULT_WORKING_DAYS.reviewWorkingDays, reminderDays: DEFAULT_WORKING_DAYS.reminderWorkingDays })
  const [scope, setScope] = useState<Set<number>>(new Set())
  const [error, setError] = useState('')
  // An annual cycle is launched before its year ends: its deadlines count from today.
  const preview = useDeadlinePreview(form.periodKind === 'year' ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()) : form.periodEnd, form.selfDays, form.reviewDays)
  // A year is classified with an annual rule set, a month or a quarter with a period one.
  // (A unit rule set evaluates units over any period.)
  const fitting = ruleSets.filter((r) => r.subject === 'unit' || r.annual === (form.periodKind === 'year'))
  useEffect(() => {
    void allPages(client.api.units.$get, {}).then(setUnits)
    void allPages(client.api.rulesets.$get, {}).then((all) => {
      const published = all.filter((r) => r.status === 'published')
      setRuleSets(published)
      // Nothing preselected unless only one can apply: the admin chooses the rule set of record.
      const periodSets = published.filter((r) => !r.annual && r.subject !== 'unit')
      if (periodSets.length === 1) setForm((f) => ({ ...f, ruleSetId: periodSets[0]!.id }))
    })
  }, [])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    try {
      const json = {
        name: form.name,
        periodKind: form.periodKind as PeriodKind,
        periodStart: form.periodStart,
        periodEnd: form.periodEnd,
        ruleSetId: Number(form.ruleSetId),
        ...(scope.size ? { unitIds: [...scope] } : {}),
        durations: { selfAssessmentWorkingDays: form.selfDays, reviewWorkingDays: form.reviewDays, reminderWorkingDays: form.reminderDays },
      }
      const cycle = await ok(client.api.cycles.$post({ json }))
      go(`#/cycles/${cycle.id}`)
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    }
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: typeof form[k] === 'number' ? Number(e.target.value) : e.target.value })
  return (
    <section className="card" data-testid="launch">
      <h2>{tr(lang, 'launchCycle.launchACycle')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {tr(lang, 'launchCycle.name')}
          <input required value={form.name} onChange={set('name')} />
        </label>
        <label>
          {tr(lang, 'launchCycle.kind')}
          <select
            value={form.periodKind}
            onChange={(e) => {
              // A new kind brings its own current period and name (a quarter never keeps the month's dates).
              const period = periodOf(e.target.value as PeriodKind, new Date())
              const kindSets = ruleSets.filter((r) => r.subject === 'unit' || r.annual === (e.target.value === 'year'))
              const keep = kindSets.some((r) => r.id === Number(form.ruleSetId))
              setForm({ ...form, periodKind: e.target.value, name: period.name, periodStart: period.start, periodEnd: period.end, ruleSetId: keep ? form.ruleSetId : kindSets.length === 1 ? kindSets[0]!.id : 0 })
            }}
          >
            <option value="month">{tr(lang, 'launchCycle.month')}</option>
            <option value="quarter">{tr(lang, 'launchCycle.quarter')}</option>
            <option value="year">{tr(lang, 'launchCycle.year')}</option>
          </select>
        </label>
        <label>
          {tr(lang, 'launchCycle.from')}
          <DateInput required value={form.periodStart} onChange={(periodStart) => setForm((f) => ({ ...f, periodStart }))} lang={lang} />
        </label>
        <label>
          {tr(lang, 'launchCycle.to')}
          <DateInput required min={form.periodStart} value={form.periodEnd} onChange={(periodEnd) => setForm((f) => ({ ...f, periodEnd }))} lang={lang} />
        </label>
        <label>
          {tr(lang, 'launchCycle.ruleSet')}
          <select required value={form.ruleSetId || ''} onChange={set('ruleSetId')}>
            <option value="" disabled>
              {tr(lang, 'launchCycle.chooseARuleSet')}
            </option>
            {fitting.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name[lang]} v{r.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr(lang, 'launchCycle.selfAssessmentWorkingDays')}
          <input type="number" inputMode="numeric" min={1} max={60} required value={form.selfDays} onChange={set('selfDays')} data-testid="self-working-days" />
        </label>
        <label>
          {tr(lang, 'launchCycle.reviewWorkingDays')}
          <input type="number" inputMode="numeric" min={1} max={60} required value={form.reviewDays} onChange={set('reviewDays')} data-testid="review-working-days" />
        </label>
        <label>
          {tr(lang, 'launchCycle.remindWithWorkingDaysLeft')}
          <input type="number" inputMode="numeric" min={0} max={10} required value={form.reminderDays} onChange={set('reminderDays')} />
        </label>
        <div className="muted" data-testid="deadline-preview" aria-live="polite">
          {preview ? (
            <>
              <div>
                {tr(lang, 'launchCycle.selfAssessmentDue')}
                <strong data-testid="self-due">{preview.self.label[lang]}</strong>
              </div>
              <div>
                {tr(lang, 'launchCycle.reviewDue')}
                <strong data-testid="review-due">{preview.review.label[lang]}</strong>
              </div>
              <div>{reminderText(form.reminderDays, lang)}</div>
            </>
          ) : within(form.selfDays, 1, 60) && within(form.reviewDays, 1, 60) && within(form.reminderDays, 0, 10) ? (
            <div>{tr(lang, 'launchCycle.workingOutTheDueDates')}</div>
          ) : (
            <div className="error">{tr(lang, 'launchCycle.workingDaysSelfAssessmentAnd')}</div>
          )}
        </div>
        <fieldset>
          <legend>{tr(lang, 'launchCycle.unitsNoneTheWholeOrganisation')}</legend>
          {units.map((u) => (
            <label key={u.id} className="check">
              <input type="checkbox" checked={scope.has(u.id)} onChange={(e) => setScope((s) => (e.target.checked ? new Set(s).add(u.id) : new Set([...s].filter((x) => x !== u.id))))} />
              {u.parentId ? '— ' : ''}
              {u.name}
            </label>
          ))}
        </fieldset>
        <LaunchIndicatorWarning ruleSetId={Number(form.ruleSetId)} periodStart={form.periodStart} periodEnd={form.periodEnd} unitIds={[...scope]} lang={lang} />
        <button type="submit" data-testid="launch-submit">
          {tr(lang, 'launchCycle.launch')}
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

/** When the reminder comes, in words (the launch sets it at 00:00 of the n-th last working day). */
function reminderText(n: number, lang: Lang): string {
  if (n === 0) return tr(lang, 'launchCycle.noReminderBeforeTheDue')
  if (n === 1) return tr(lang, 'launchCycle.reminderAt0000On')
  return tr(lang, 'launchCycle.reminderAt0000With', { n })
}
