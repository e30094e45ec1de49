import { useState, type FormEvent } from 'react'
import { Message, useAction } from '../action'
import { api } from '../api'
import { formatDateTime, type Lang } from '../i18n'
import { TableHead } from '../TableHead'
import type { IssuedKey, KeyView, SystemView } from './types'

const KEY_STATES: Record<KeyView['state'], [string, string]> = {
  active: ['đang dùng', 'active'],
  expiring: ['hết hạn sau thời gian chuyển đổi', 'valid until the grace period ends'],
  expired: ['đã hết hạn', 'expired'],
  revoked: ['đã thu hồi', 'revoked'],
}

/** Connected systems: create one, rotate and revoke its keys; a new key is shown once. */
export function SystemsPanel({ lang, systems, reload }: { lang: Lang; systems: SystemView[]; reload: () => Promise<void> }) {
  const vi = lang === 'vi'
  const [form, setForm] = useState({ code: '', name: '', requireSignature: false })
  const [issued, setIssued] = useState<(IssuedKey & { system: string }) | null>(null)
  const { message, act } = useAction(reload)

  const create = (e: FormEvent) => {
    e.preventDefault()
    void act(async () => {
      const created = await api<SystemView & { issuedKey: IssuedKey }>('POST', '/api/integrations/systems', form)
      setIssued({ ...created.issuedKey, system: created.code })
      setForm({ code: '', name: '', requireSignature: false })
    }, vi ? 'Đã kết nối hệ thống.' : 'System connected.')
  }
  const rotate = (s: SystemView) => {
    if (!window.confirm(vi ? `Cấp khóa mới cho ${s.code}? Khóa hiện tại còn dùng được 24 giờ.` : `Issue a new key for ${s.code}? The current key keeps working for 24 hours.`)) return
    void act(async () => setIssued({ ...(await api<IssuedKey>('POST', `/api/integrations/systems/${s.id}/keys`)), system: s.code }), vi ? 'Đã cấp khóa mới.' : 'New key issued.')
  }
  const revoke = (s: SystemView, k: KeyView) => {
    if (!window.confirm(vi ? `Thu hồi ngay khóa ${k.prefix}… của ${s.code}? Mọi lời gọi dùng khóa này sẽ bị từ chối.` : `Revoke key ${k.prefix}… of ${s.code} now? Calls with it will be refused.`)) return
    void act(() => api('POST', `/api/integrations/systems/${s.id}/keys/${k.id}/revoke`), vi ? 'Đã thu hồi khóa.' : 'Key revoked.')
  }
  const toggle = (s: SystemView, change: { requireSignature?: boolean; active?: boolean }) => void act(() => api('PATCH', `/api/integrations/systems/${s.id}`, change), vi ? 'Đã lưu.' : 'Saved.')

  return (
    <section className="card" data-testid="systems">
      <h2>
        {vi ? 'Hệ thống kết nối' : 'Connected systems'} <span className="count">{systems.length}</span>
      </h2>
      <Message message={message} />
      {issued && (
        <div className="ok" role="alert" data-testid="issued-key">
          <p>{vi ? `Khóa mới của ${issued.system} — chỉ hiển thị lần này, hãy sao chép và chuyển cho đơn vị quản trị hệ thống đó:` : `New key for ${issued.system} — shown this once; copy it to the system's operators now:`}</p>
          <p>
            X-KPI-Key: <code>{issued.key}</code>
          </p>
          <p>
            {vi ? 'Khóa ký (HMAC-SHA256)' : 'Signing secret (HMAC-SHA256)'}: <code>{issued.signingSecret}</code>
          </p>
          <button className="secondary" onClick={() => setIssued(null)}>
            {vi ? 'Đã sao chép, ẩn đi' : 'Copied, hide it'}
          </button>
        </div>
      )}
      <table>
        <TableHead lang={lang} vi={['Mã', 'Tên', 'Bắt buộc ký', 'Hoạt động', 'Khóa', '']} en={['Code', 'Name', 'Signature required', 'Active', 'Keys', '']} />
        <tbody>
          {systems.map((s) => (
            <tr key={s.id}>
              <td>{s.code}</td>
              <td>{s.name}</td>
              <td>
                <input type="checkbox" aria-label={vi ? 'Bắt buộc ký' : 'Signature required'} checked={s.requireSignature} onChange={(e) => toggle(s, { requireSignature: e.target.checked })} />
              </td>
              <td>
                <input type="checkbox" aria-label={vi ? 'Hoạt động' : 'Active'} checked={s.active} onChange={(e) => toggle(s, { active: e.target.checked })} />
              </td>
              <td>
                <ul>
                  {s.keys.map((k) => (
                    <li key={k.id}>
                      <code>{k.prefix}…</code> {vi ? KEY_STATES[k.state][0] : KEY_STATES[k.state][1]}
                      {k.expiresAt && k.state === 'expiring' ? ` (${formatDateTime(k.expiresAt)})` : ''}
                      {k.lastUsedAt ? ` · ${vi ? 'dùng lần cuối' : 'last used'} ${formatDateTime(k.lastUsedAt)}` : ''}{' '}
                      {(k.state === 'active' || k.state === 'expiring') && (
                        <button className="secondary" onClick={() => revoke(s, k)}>
                          {vi ? 'Thu hồi' : 'Revoke'}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <button className="secondary" onClick={() => rotate(s)}>
                  {vi ? 'Cấp khóa mới' : 'Rotate key'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{vi ? 'Kết nối hệ thống mới' : 'Connect a system'}</h3>
      <form className="inline-form" onSubmit={create}>
        <label>
          {vi ? 'Mã' : 'Code'}
          <input required pattern="[A-Za-z0-9_.\-]{2,40}" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </label>
        <label>
          {vi ? 'Tên' : 'Name'}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.requireSignature} onChange={(e) => setForm({ ...form, requireSignature: e.target.checked })} />
          {vi ? 'Bắt buộc ký nội dung' : 'Require signed bodies'}
        </label>
        <button type="submit">{vi ? 'Kết nối' : 'Connect'}</button>
      </form>
    </section>
  )
}
