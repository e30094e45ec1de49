import { formatDateTime, type Lang, tr } from '../i18n'
import { LoadMore } from '../paged-list'
import { TableHead } from '../TableHead'
import type { CallView } from './views'

/** The latest calls of connected systems and the rows they had refused, with the reasons; older ones a page at a time. */
export function CallsPanel({ lang, calls, next, onMore }: { lang: Lang; calls: CallView[]; next: string | null; onMore: () => Promise<void> }) {
  const vi = lang === 'vi'
  return (
    <section className="card" data-testid="calls">
      <h2>{tr(lang, 'callsPanel.latestCalls')}</h2>
      {calls.length === 0 && <p className="muted">{tr(lang, 'callsPanel.noCallsYet')}</p>}
      {calls.length > 0 && (
        <table>
          <TableHead lang={lang} vi={['Thời điểm', 'Hệ thống', 'Đường dẫn', 'Kết quả', 'Số dòng', 'Nhận', 'Không đổi', 'Dòng bị từ chối']} en={['At', 'System', 'Endpoint', 'Answer', 'Rows', 'Taken', 'Unchanged', 'Refused rows']} />
          <tbody>
            {calls.map((c) => (
              <tr key={c.id}>
                <td>{formatDateTime(c.at)}</td>
                <td>{c.systemCode ?? '—'}</td>
                <td>
                  <code>{c.endpoint}</code>
                </td>
                <td className={c.status >= 400 ? 'error' : undefined}>
                  {c.status}
                  {c.errorCode ? ` ${c.errorCode}` : ''}
                </td>
                <td>{c.rows}</td>
                <td>{c.accepted}</td>
                <td>{c.unchanged}</td>
                <td>
                  {c.rejected.length === 0 ? (
                    '—'
                  ) : (
                    <details>
                      <summary>{c.rejected.length}</summary>
                      <ul>
                        {c.rejected.map((r) => (
                          <li key={r.row}>
                            {tr(lang, 'callsPanel.row')} {r.row}
                            {r.externalId ? ` (${r.externalId})` : ''}: {vi ? r.message : r.messageEn}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore next={next} onMore={onMore} lang={lang} />
    </section>
  )
}
