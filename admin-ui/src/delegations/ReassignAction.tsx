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
  const vi = lang === 'vi'
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
      setMessage({ ok: true, text: vi ? 'Đã giao lại.' : 'Reassigned.' })
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
          {vi ? 'Giao lại' : 'Reassign'}
        </button>
      )}
      {message && (
        <span className={message.ok ? 'ok' : 'error'} role="status">
          {' '}
          {message.text}
        </span>
      )}
      {open && (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={vi ? 'Giao lại bản đánh giá' : 'Reassign the evaluation'}>
          <label>
            {vi ? 'Vai trò' : 'Role'}
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value, staffId: '' })}>
              <option value="reviewer">{vi ? 'Người nhận xét' : 'Reviewer'}</option>
              <option value="sign-off">{vi ? 'Lãnh đạo ký duyệt' : 'Sign-off leader'}</option>
            </select>
          </label>
          <label>
            {vi ? 'Người được giao' : 'Person'}
            <select required value={form.staffId} onChange={(e) => setForm({ ...form, staffId: e.target.value })}>
              <option value="">{vi ? '— chọn —' : '— choose —'}</option>
              {candidates.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.fullName}
                  {s.unitName ? ` — ${s.unitName}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            {vi ? 'Lý do' : 'Reason'}
            <input required minLength={3} maxLength={2000} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </label>
          <button type="submit">{vi ? 'Giao lại' : 'Reassign'}</button>{' '}
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            {vi ? 'Hủy' : 'Cancel'}
          </button>
        </form>
      )}
    </>
  )
}
