import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, ApiFailure } from './api'
import { CyclePage } from './CyclePage'
import { EvaluationPage } from './EvaluationPage'
import { formatDate, formatDateTime, STAGE_LABELS, t, type Lang } from './i18n'
import { useRoute } from './router'
import { RuleSetPage, RuleSetsPage } from './RuleSetsPage'
import { UnitBoardPage } from './UnitBoardPage'
import { WorkLogPage } from './WorkLogPage'

interface Me {
  id: number
  fullName: string
  roles: string[]
  unitId: number | null
  unitName: string | null
}
interface Task {
  id: number
  fullName: string
  unitName: string
  stage: string
  overdue: boolean
  deadlineAt: string | null
}
interface Cycle {
  id: number
  name: string
  periodStart: string
  periodEnd: string
  status: string
}

/** The shell of the web app: sign-in, my tasks, cycles. Role screens grow from here. */
export function App() {
  const [lang, setLang] = useState<Lang>('vi')
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  useEffect(() => {
    api<Me>('GET', '/api/me').then(setMe, () => setMe(null))
  }, [])
  const logout = async () => {
    await api('POST', '/api/auth/logout')
    setMe(null)
    window.location.hash = '#/'
  }
  return (
    <div className="app">
      <header>
        <h1>{t('title', lang)}</h1>
        <span className="subtitle">{t('subtitle', lang)}</span>
        <span className="spacer" />
        <button className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t('switchLang', lang)}
        </button>
        {me && (
          <>
            <nav>
              <a href="#/">{t('myTasks', lang)}</a>
              {me.unitId !== null && <a href="#/work-log">{lang === 'vi' ? 'Nhật ký công việc' : 'Work log'}</a>}
              {me.roles.some((r) => r !== 'staff') && <a href="#/unit-board">{lang === 'vi' ? 'Bảng đơn vị' : 'Unit board'}</a>}
              {me.roles.includes('admin') && <a href="#/rulesets">{lang === 'vi' ? 'Bộ quy tắc' : 'Rule sets'}</a>}
            </nav>
            <span className="who">
              {me.fullName}
              {me.unitName ? ` — ${me.unitName}` : ''}
            </span>
            <button onClick={logout}>{t('logout', lang)}</button>
          </>
        )}
      </header>
      <main>{me === undefined ? null : me ? <Page me={me} lang={lang} /> : <Login lang={lang} onLogin={setMe} />}</main>
    </div>
  )
}

function Page({ me, lang }: { me: Me; lang: Lang }) {
  const [section, id] = useRoute()
  if (section === 'evaluations' && id) return <EvaluationPage key={id} id={Number(id)} lang={lang} />
  if (section === 'rulesets' && id) return <RuleSetPage key={id} id={Number(id)} lang={lang} />
  if (section === 'rulesets') return <RuleSetsPage lang={lang} />
  if (section === 'work-log') return <WorkLogPage lang={lang} />
  if (section === 'unit-board') return <UnitBoardPage lang={lang} me={me} />
  if (section === 'cycles' && id) return <CyclePage key={id} id={Number(id)} lang={lang} canLead={me.roles.includes('leader') || me.roles.includes('admin')} />
  return <Home lang={lang} />
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
        {t('username', lang)}
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required autoFocus />
      </label>
      <label>
        {t('password', lang)}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit">{t('login', lang)}</button>
    </form>
  )
}

function Home({ lang }: { lang: Lang }) {
  const [tasks, setTasks] = useState<Task[]>([])
  const [cycles, setCycles] = useState<Cycle[]>([])
  const load = useCallback(async () => {
    setTasks(await api<Task[]>('GET', '/api/evaluations?assignedToMe=true'))
    setCycles(await api<Cycle[]>('GET', '/api/cycles'))
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  return (
    <>
      <section className="card">
        <h2>
          {t('myTasks', lang)} <span className="count">{tasks.length}</span>
        </h2>
        {tasks.length === 0 ? (
          <p>{t('noTasks', lang)}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('person', lang)}</th>
                <th>{t('unit', lang)}</th>
                <th>{t('stage', lang)}</th>
                <th>{t('deadline', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.id}>
                  <td>
                    <a href={`#/evaluations/${task.id}`}>{task.fullName}</a>
                  </td>
                  <td>{task.unitName}</td>
                  <td>{STAGE_LABELS[task.stage]?.[lang] ?? task.stage}</td>
                  <td className={task.overdue ? 'overdue' : ''}>
                    {formatDateTime(task.deadlineAt)} {task.overdue ? `(${t('overdue', lang)})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('cycles', lang)}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('cycles', lang)}</th>
              <th>{t('period', lang)}</th>
              <th>{t('status', lang)}</th>
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
