import { tr } from '../i18n'
import { useState, type FormEvent } from 'react'
import { api, ApiFailure } from '../api'
import type { Lang } from '../i18n'
import { StaffPicker } from '../StaffPicker'

/**
 * "Giao lại" on one evaluation of the admin's cycle view: another reviewer or sign-off leader, with
 * a reason. The evaluation's workflow takes the new person (reminders follow them); the evaluated
 * person may not be named.
 */
export function ReassignAction({ evaluationId, staffId, lang, onDone }: { evaluationId: number; staffId: number; lang: Lang; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [form, setForm] = useState({ role: 'reviewer', staffId: '', reason: '' })
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
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
  return (
    <>
      {' '}
      {!open && (
        <button type="button" className="link" onClick={() => setOpen(true)} data-testid={`reassign-${evaluationId}`}>
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
            <StaffPicker
              key={form.role}
              value={form.staffId}
              onChange={(id) => setForm((f) => ({ ...f, staffId: id }))}
              accept={(s) => s.id !== staffId && (form.role === 'reviewer' || s.roles.includes('leader') || s.roles.includes('admin'))}
              lang={lang}
            />
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
