import { useState, type FormEvent } from 'react'
import { Message, useAction } from '../action'
import { client, ok } from '../client'
import { formatDateTime, type Lang, tr } from '../i18n'
import { TableHead } from '../TableHead'
import type { IssuedKey, KeyView, SystemView } from './views'

/** Connected systems: create one, rotate and revoke its keys; a new key is shown once. */
export function SystemsPanel({ lang, systems, reload }: { lang: Lang; systems: SystemView[]; reload: () => Promise<void> }) {
  const [form, setForm] = useState({ code: '', name: '', requireSignature: false })
  const [issued, setIssued] = useState<(IssuedKey & { system: string }) | null>(null)
  const { message, act } = useAction(reload)

  const create = (e: FormEvent) => {
    e.preventDefault()
    void act(async () => {
      const created = await ok(client.api.integrations.systems.$post({ json: form }))
      setIssued({ ...created.issuedKey, system: created.code })
      setForm({ code: '', name: '', requireSignature: false })
    }, tr(lang, 'systemsPanel.systemConnected'))
  }
  const rotate = (s: SystemView) => {
    if (!window.confirm(tr(lang, 'systemsPanel.issueANewKeyFor', { code: s.code }))) return
    void act(async () => setIssued({ ...(await ok(client.api.integrations.systems[':id'].keys.$post({ param: { id: String(s.id) } }))), system: s.code }), tr(lang, 'systemsPanel.newKeyIssued'))
  }
  const revoke = (s: SystemView, k: KeyView) => {
    if (!window.confirm(tr(lang, 'systemsPanel.revokeKeyOfNowCalls', { prefix: k.prefix, code: s.code }))) return
    void act(() => ok(client.api.integrations.systems[':id'].keys[':keyId'].revoke.$post({ param: { id: String(s.id), keyId: String(k.id) } })), tr(lang, 'systemsPanel.keyRevoked'))
  }
  const toggle = (s: SystemView, change: { requireSignature?: boolean; active?: boolean }) => void act(() => ok(client.api.integrations.systems[':id'].$patch({ param: { id: String(s.id) }, json: change })), tr(lang, 'systemsPanel.saved'))

  return (
    <section className="card" data-testid="systems">
      <h2>
        {tr(lang, 'systemsPanel.connectedSystems')} <span className="count">{systems.length}</span>
      </h2>
      <Message message={message} />
      {issued && (
        <div className="ok" role="alert" data-testid="issued-key">
          <p>{tr(lang, 'systemsPanel.newKeyForShownThis', { system: issued.system })}</p>
          <p>
            X-KPI-Key: <code>{issued.key}</code>
          </p>
          <p>
            {tr(lang, 'systemsPanel.signingSecretHmacSha256')}: <code>{issued.signingSecret}</code>
          </p>
          <button className="secondary" onClick={() => setIssued(null)}>
            {tr(lang, 'systemsPanel.copiedHideIt')}
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
                <input type="checkbox" aria-label={tr(lang, 'systemsPanel.signatureRequired')} checked={s.requireSignature} onChange={(e) => toggle(s, { requireSignature: e.target.checked })} />
              </td>
              <td>
                <input type="checkbox" aria-label={tr(lang, 'systemsPanel.active')} checked={s.active} onChange={(e) => toggle(s, { active: e.target.checked })} />
              </td>
              <td>
                <ul>
                  {s.keys.map((k) => (
                    <li key={k.id}>
                      <code>{k.prefix}…</code> {tr(lang, `systemsPanel.keyState.${k.state}`)}
                      {k.expiresAt && k.state === 'expiring' ? ` (${formatDateTime(k.expiresAt)})` : ''}
                      {k.lastUsedAt ? ` · ${tr(lang, 'systemsPanel.lastUsed')} ${formatDateTime(k.lastUsedAt)}` : ''}{' '}
                      {(k.state === 'active' || k.state === 'expiring') && (
                        <button className="secondary" onClick={() => revoke(s, k)}>
                          {tr(lang, 'systemsPanel.revoke')}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <button className="secondary" onClick={() => rotate(s)}>
                  {tr(lang, 'systemsPanel.rotateKey')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{tr(lang, 'systemsPanel.connectASystem')}</h3>
      <form className="inline-form" onSubmit={create}>
        <label>
          {tr(lang, 'systemsPanel.code')}
          <input required pattern="[A-Za-z0-9_.\-]{2,40}" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </label>
        <label>
          {tr(lang, 'systemsPanel.name')}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.requireSignature} onChange={(e) => setForm({ ...form, requireSignature: e.target.checked })} />
          {tr(lang, 'systemsPanel.requireSignedBodies')}
        </label>
        <button type="submit">{tr(lang, 'systemsPanel.connect')}</button>
      </form>
    </section>
  )
}
