import { tr } from '../i18n'
import { useState, type FormEvent } from 'react'
import { api, ApiFailure } from '../api'
import type { Lang } from '../i18n'
import type { StaffOption } from './types'

/** Staff read once per page, for every evaluation's form. */
let staffList: Promise<StaffOption[]> | undefined

/**
 * "Giao lại" on one evaluation of the admin's cycle view: another reviewer or sign-off leader, with
 * a reason. The evaluation's workflow takes the new person (reminders follow them); the evaluated
 * person may not be named.
 */
export function ReassignAction({ evaluationId, staffId, lang, onDone }: { evaluationId: number; staffId: number; lang: Lang; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [staff, setStaff] = useState<StaffOption[]>([])
  const [form, setForm] = useState({ role: 'reviewer', staffId: '', reason: '' })
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const show = async () => {
    setOpen(true)
    staffList ??= api<StaffOption[]>('GET', '/api/staff')
    setStaff((await staffList).filter((s) => s.id !== staffId))
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setMessage(null)
    try {
      await api('POST', `/api/evaluations/${evaluationId}/reassign`, { role: form.role, staffId: Number(form.staffId), reason: form.reason })
      setMessage({ ok: true, text: tr(lang, 'reassignAction.reassigned') })
      setOpen(false)
      setForm({ role: 'reviewer', staffId: '', reason: '' })
      await onDone()
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiFailure ? err.message : String(err) })
    }
  }
  const candidates = staff.filter((s) => form.role === 'reviewer' || s.roles.includes('leader') || s.roles.includes('admin'))
  return (
    <>
      {' '}
      {!open && (
        <button type="button" className="link" onClick={() => void show()} data-testid={`reassign-${evaluationId}`}>
          {tr(lang, 'reassignAction.reassign')}
        </button>
      )}
      {message && (
        <span className={message.ok ? 'ok' : 'error'} role="status">
          {' '}
          {message.text}
        </span>
      )}
      {open && (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={tr(lang, 'reassignAction.reassignTheEvaluation')}>
          <label>
            {tr(lang, 'reassignAction.role')}
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value, staffId: '' })}>
              <option value="reviewer">{tr(lang, 'reassignAction.reviewer')}</option>
              <option value="sign-off">{tr(lang, 'reassignAction.signOffLeader')}</option>
            </select>
          </label>
          <label>
            {tr(lang, 'reassignAction.person')}
            <select required value={form.staffId} onChange={(e) => setForm({ ...form, staffId: e.target.value })}>
              <option value="">{tr(lang, 'reassignAction.choose')}</option>
              {candidates.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.fullName}
                  {s.unitName ? ` — ${s.unitName}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            {tr(lang, 'reassignAction.reason')}
            <input required minLength={3} maxLength={2000} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </label>
          <button type="submit">{tr(lang, 'reassignAction.reassign')}</button>{' '}
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            {tr(lang, 'reassignAction.cancel')}
          </button>
        </form>
      )}
    </>
  )
}
