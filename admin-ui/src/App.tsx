import type { InferResponseType } from 'hono/client'
import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, apiAll, ApiFailure } from './api'
// Types only: the typed client stays in its lazy chunk, out of the sign-in page's download.
import type { client } from './client'
import { Bell, NotificationsPage } from './NotificationsPage'
import { formatDate, formatDateTime, LEVEL_LABELS, STAGE_LABELS, type Lang, tr, withMessages } from './i18n'
import { LoadMore, usePagedList } from './paged-list'
import { useRoute } from './router'

// Each screen is loaded when first opened: the sign-in page downloads none of them (issue 16, point 7).
const CyclePage = lazy(() => withMessages(import('./CyclePage')).then((m) => ({ default: m.CyclePage })))
const LaunchCycle = lazy(() => withMessages(import('./LaunchCycle')).then((m) => ({ default: m.LaunchCycle })))
const OrgPage = lazy(() => withMessages(import('./OrgPage')).then((m) => ({ default: m.OrgPage })))
const EvaluationPage = lazy(() => withMessages(import('./EvaluationPage')).then((m) => ({ default: m.EvaluationPage })))
const RuleSetPage = lazy(() => withMessages(import('./RuleSetsPage')).then((m) => ({ default: m.RuleSetPage })))
const RuleSetsPage = lazy(() => withMessages(import('./RuleSetsPage')).then((m) => ({ default: m.RuleSetsPage })))
const UnitBoardPage = lazy(() => withMessages(import('./UnitBoardPage')).then((m) => ({ default: m.UnitBoardPage })))
const WorkLogPage = lazy(() => withMessages(import('./WorkLogPage')).then((m) => ({ default: m.WorkLogPage })))
const HolidaysPage = lazy(() => withMessages(import('./HolidaysPage')).then((m) => ({ default: m.HolidaysPage })))
const IntegrationsPage = lazy(() => withMessages(import('./IntegrationsPage')).then((m) => ({ default: m.IntegrationsPage })))
const PetitionsPage = lazy(() => withMessages(import('./petitions/PetitionsPage')).then((m) => ({ default: m.PetitionsPage })))
const DelegationsPage = lazy(() => withMessages(import('./delegations/DelegationsPage')).then((m) => ({ default: m.DelegationsPage })))
const UnitEvaluationPage = lazy(() => withMessages(import('./units/UnitEvaluationPage')).then((m) => ({ default: m.UnitEvaluationPage })))
const UnitEvaluationsPage = lazy(() => withMessages(import('./units/UnitEvaluationsPage')).then((m) => ({ default: m.UnitEvaluationsPage })))

/** The signed-in person (the server's zod schema, through the typed client's types). */
type Me = InferResponseType<typeof client.api.me.$get, 200>
/** An evaluation as `GET /api/evaluations` lists it: my tasks, and my classified results. */
type Task = InferResponseType<typeof client.api.evaluations.$get, 200>[number]
type Result = Task
/** What waits for me, counted by the server over every page (the home page's figures and units to sign off). */
type TasksSummary = InferResponseType<(typeof client.api.evaluations)['assigned-summary']['$get'], 200>
type Cycle = InferResponseType<typeof client.api.cycles.$get, 200>[number]

/** The shell of the web app: sign-in, my tasks, cycles. Role screens grow from here. */
export function App() {
  const [lang, setLang] = useState<Lang>('vi')
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  useEffect(() => {
    // Who is signed in, without a 401 in the console on a first visit.
    api<{ user: Me | null }>('GET', '/api/session').then((s) => setMe(s.user), () => setMe(null))
  }, [])
  const logout = async () => {
    await api('POST', '/api/auth/logout')
    setMe(null)
    window.location.hash = '#/'
  }
  return (
    <div className="app">
      <header>
        <h1>{tr(lang, 'common.title')}</h1>
        <span className="subtitle">{tr(lang, 'common.subtitle')}</span>
        <span className="spacer" />
        <button className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {tr(lang, 'common.switchLang')}
        </button>
        {me && (
          <>
            <nav>
              <a href="#/">{tr(lang, 'common.myTasks')}</a>
              {me.unitId !== null && <a href="#/work-log">{tr(lang, 'app.workLog')}</a>}
              {me.roles.some((r) => r !== 'staff') && <a href="#/unit-board">{tr(lang, 'app.unitBoard')}</a>}
              {me.roles.some((r) => r !== 'staff') && <a href="#/unit-evaluations">{tr(lang, 'app.unitEvaluations')}</a>}
              {me.roles.includes('admin') && <a href="#/org">{tr(lang, 'app.organisation')}</a>}
              {me.roles.includes('admin') && <a href="#/rulesets">{tr(lang, 'app.ruleSets')}</a>}
              <a href="#/petitions">{tr(lang, 'app.petitions')}</a>
              <a href="#/delegations">{tr(lang, 'app.delegation')}</a>
              {me.roles.includes('admin') && <a href="#/calendar">{tr(lang, 'app.calendar')}</a>}
              {me.roles.includes('admin') && <a href="#/integrations">{tr(lang, 'app.connections')}</a>}
            </nav>
            <Bell lang={lang} />
            <span className="who">
              {me.fullName}
              {me.unitName ? ` — ${me.unitName}` : ''}
            </span>
            <button onClick={logout}>{tr(lang, 'common.logout')}</button>
          </>
        )}
      </header>
      <main>
        <Suspense fallback={<p className="loading">{tr(lang, 'app.loading')}</p>}>{me === undefined ? null : me ? <Page me={me} lang={lang} /> : <Login lang={lang} onLogin={setMe} />}</Suspense>
      </main>
    </div>
  )
}

function Page({ me, lang }: { me: Me; lang: Lang }) {
  const [section, id] = useRoute()
  if (section === 'unit-evaluations' && id) return <UnitEvaluationPage key={id} id={Number(id)} lang={lang} />
  if (section === 'unit-evaluations') return <UnitEvaluationsPage lang={lang} />
  if (section === 'evaluations' && id) return <EvaluationPage key={id} id={Number(id)} lang={lang} />
  if (section === 'org') return <OrgPage lang={lang} />
  if (section === 'notifications') return <NotificationsPage lang={lang} />
  if (section === 'rulesets' && id) return <RuleSetPage key={id} id={Number(id)} lang={lang} />
  if (section === 'rulesets') return <RuleSetsPage lang={lang} />
  if (section === 'work-log') return <WorkLogPage lang={lang} />
  if (section === 'calendar' && me.roles.includes('admin')) return <HolidaysPage lang={lang} />
  if (section === 'integrations' && me.roles.includes('admin')) return <IntegrationsPage lang={lang} />
  if (section === 'petitions') return <PetitionsPage lang={lang} />
  if (section === 'delegations') return <DelegationsPage lang={lang} me={me} />
  if (section === 'unit-board') return <UnitBoardPage lang={lang} me={me} />
  if (section === 'cycles' && id) return <CyclePage key={id} id={Number(id)} lang={lang} canLead={me.roles.includes('leader') || me.roles.includes('admin')} isAdmin={me.roles.includes('admin')} />
  return <Home lang={lang} me={me} />
}

function Login({ lang, onLogin }: { lang: Lang; onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError('')
    try {
      const { user } = await api<{ user: Me }>('POST', '/api/auth/login', { username, password })
      onLogin(user)
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    }
  }
  return (
    <form className="card login" onSubmit={submit}>
      <label>
        {tr(lang, 'common.username')}
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required autoFocus />
      </label>
      <label>
        {tr(lang, 'common.password')}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit">{tr(lang, 'common.login')}</button>
    </form>
  )
}

function Home({ lang, me }: { lang: Lang; me: Me }) {
  const [summary, setSummary] = useState<TasksSummary | null>(null)
  const [latest, setLatest] = useState<Result | null>(null)
  const [cycles, setCycles] = useState<Cycle[]>([])
  const [picked, setPicked] = useState<Set<number>>(new Set())
  const [stageFilter, setStageFilter] = useState('')
  const [overdueOnly, setOverdueOnly] = useState(false)
  const [bulkMessage, setBulkMessage] = useState('')
  // What waits for me, a page at a time (a head's 2,000 reviews), filtered by the server; the figures over all of it come with the summary.
  const taskList = usePagedList<Task>(`/api/evaluations?assignedToMe=true&limit=50${stageFilter ? `&stage=${stageFilter}` : ''}${overdueOnly ? '&overdue=true' : ''}`)
  const tasks = taskList.items
  const reloadTasks = taskList.reload
  const load = useCallback(async () => {
    setSummary(await api<TasksSummary>('GET', '/api/evaluations/assigned-summary'))
    const all = await apiAll<Cycle>('/api/cycles')
    // The person's latest classified result, shown once a cycle has ended: their own only (a unit's result, which its head owns, is not theirs).
    const classified = await apiAll<Result>('/api/evaluations?mine=true&stage=CLASSIFIED')
    setLatest(classified.at(-1) ?? null)
    setCycles(all)
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  const reviewable = tasks.filter((task) => task.stage === 'UNIT_REVIEW')
  const approvePicked = async () => {
    const chosen = reviewable.filter((task) => picked.has(task.id))
    const names = chosen.map((task) => `• ${task.fullName}`).join('\n')
    if (!chosen.length || !window.confirm(`${tr(lang, 'app.approveTheEvaluationsOf')}:\n${names}`)) return
    const failed: string[] = []
    for (const task of chosen) {
      try {
        await api('POST', `/api/evaluations/${task.id}/approve`, {})
      } catch (err) {
        failed.push(`${task.fullName}: ${err instanceof ApiFailure ? err.message : String(err)}`)
      }
    }
    setBulkMessage(failed.length ? failed.join('; ') : tr(lang, 'app.evaluationsApproved', { length: chosen.length }))
    setPicked(new Set())
    await Promise.all([load(), reloadTasks()])
  }
  return (
    <>
      {me.roles.includes('admin') && <LaunchCycle lang={lang} />}
      {latest?.finalLevel && (
        <section className="card result" data-testid="latest-result">
          <h2>{tr(lang, 'app.yourLatestResult')}</h2>
          <p>
            <a href={`#/evaluations/${latest.id}`}>{cycles.find((c) => c.id === latest.cycleId)?.name ?? `#${latest.cycleId}`}</a>: <strong>{latest.finalLevel}</strong> — {LEVEL_LABELS[latest.finalLevel]?.[lang]}
            {latest.total !== null && `, ${latest.total.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')} ${tr(lang, 'app.points')}`}
            {latest.rankInUnit !== null && (tr(lang, 'app.rankInTheUnit', { rankInUnit: latest.rankInUnit }))}
          </p>
        </section>
      )}
      <section className="card">
        <h2>
          {tr(lang, 'common.myTasks')} <span className="count">{summary?.total ?? tasks.length}</span>
        </h2>
        <p className="counters" data-testid="counters">
          <span>
            {tr(lang, 'app.toSubmit')}: <strong>{summary?.byStage.SELF_ASSESSMENT ?? 0}</strong>
          </span>
          <span>
            {tr(lang, 'app.toReview')}: <strong>{summary?.byStage.UNIT_REVIEW ?? 0}</strong>
          </span>
          <span>
            {tr(lang, 'app.toSignOff')}: <strong>{summary?.byStage.AWAITING_SIGN_OFF ?? 0}</strong>
          </span>
          <span className={summary?.overdue ? 'overdue' : ''}>
            {tr(lang, 'common.overdue')}: <strong>{summary?.overdue ?? 0}</strong>
          </span>
        </p>
        <div className="inline-form">
          <label>
            {tr(lang, 'common.stage')}
            <select value={stageFilter} onChange={(e) => setStageFilter(e.target.value)} data-testid="stage-filter">
              <option value="">{tr(lang, 'app.all')}</option>
              {['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF'].map((st) => (
                <option key={st} value={st}>
                  {STAGE_LABELS[st]![lang]}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
            {tr(lang, 'app.overdueOnly')}
          </label>
        </div>
        <UnitsToSignOff units={summary?.unitsAwaitingSignOff ?? []} lang={lang} />
        {tasks.length === 0 ? (
          <p>{tr(lang, 'common.noTasks')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th aria-label={tr(lang, 'app.select')} />
                <th>{tr(lang, 'common.person')}</th>
                <th>{tr(lang, 'common.unit')}</th>
                <th>{tr(lang, 'common.stage')}</th>
                <th>{tr(lang, 'common.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.id}>
                  <td>
                    {task.stage === 'UNIT_REVIEW' && (
                      <input type="checkbox" aria-label={task.fullName} checked={picked.has(task.id)} onChange={(e) => setPicked((p) => (e.target.checked ? new Set(p).add(task.id) : new Set([...p].filter((x) => x !== task.id))))} />
                    )}
                  </td>
                  <td>
                    {cycles.find((c) => c.id === task.cycleId)?.subject === 'unit' ? (
                      <a href={`#/unit-evaluations/${task.id}`}>{tr(lang, 'app.unit', { unitName: task.unitName })}</a>
                    ) : (
                      <a href={`#/evaluations/${task.id}`}>{task.fullName}</a>
                    )}
                    {task.delegatedBy && (
                      <span className="muted" data-testid="delegated-by">
                        {' '}
                        ({tr(lang, 'app.delegatedBy', { name: task.delegatedBy.name })})
                      </span>
                    )}
                  </td>
                  <td>{task.unitName}</td>
                  <td>{STAGE_LABELS[task.stage]?.[lang] ?? task.stage}</td>
                  <td className={task.overdue ? 'overdue' : ''}>
                    {formatDateTime(task.deadlineAt)} {task.overdue ? `(${tr(lang, 'common.overdue')})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore next={taskList.next} onMore={taskList.more} lang={lang} testId="more-tasks" />
        {reviewable.length > 1 && (
          <div className="actions">
            <button className="secondary" onClick={() => setPicked(new Set(reviewable.map((task) => task.id)))}>
              {tr(lang, 'app.selectAllAwaitingReview')}
            </button>
            <button data-testid="bulk-approve" disabled={!picked.size} onClick={() => void approvePicked()}>
              {tr(lang, 'app.approveSelected', { size: picked.size })}
            </button>
          </div>
        )}
        {bulkMessage && <p role="status">{bulkMessage}</p>}
      </section>
      <section className="card">
        <h2>{tr(lang, 'common.cycles')}</h2>
        <table>
          <thead>
            <tr>
              <th>{tr(lang, 'common.cycles')}</th>
              <th>{tr(lang, 'common.period')}</th>
              <th>{tr(lang, 'common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {cycles.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`#/cycles/${c.id}`}>{c.name}</a>
                </td>
                <td>
                  {formatDate(c.periodStart)} – {formatDate(c.periodEnd)}
                </td>
                <td>{STAGE_LABELS[c.status]?.[lang] ?? c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}

/** Leadership signs off per unit: the units waiting, with how many evaluations, the earliest due date and the way to the sign-off. */
function UnitsToSignOff({ units, lang }: { units: TasksSummary['unitsAwaitingSignOff']; lang: Lang }) {
  if (!units.length) return null
  return (
    <div data-testid="units-to-sign-off">
      <h3>{tr(lang, 'app.unitsAwaitingSignOff')}</h3>
      <ul>
        {units.map((u) => (
          <li key={`${u.cycleId}:${u.unitId}`} className={u.overdue ? 'overdue' : ''}>
            <a href={`#/cycles/${u.cycleId}`}>{u.unitName}</a>: {tr(lang, 'app.evaluationSDue', { count: u.count, value: formatDateTime(u.dueAt) })} —{' '}
            <a href={`#/cycles/${u.cycleId}`}>{tr(lang, 'app.openToSignOffOr')}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}
