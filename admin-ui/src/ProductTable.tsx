import type { Lang } from './i18n'
import type { Line } from './product-lines'
import { TableHead } from './TableHead'

const SOURCES: Record<string, Record<Lang, string>> = {
  worklog: { vi: 'Nhật ký công việc', en: 'Work log' },
  self: { vi: 'Tự khai', en: 'Self-declared' },
}

/** Product lines as the reviewer reads them: name, figures, where each came from and why a line was added by hand. */
export function ProductTable({ lines, lang, caption }: { lines: Line[]; lang: Lang; caption?: string }) {
  if (!lines.length) return null
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  const num = (v: unknown) => (typeof v === 'number' ? v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US') : '')
  return (
    <table data-testid="products">
      {caption && <caption>{caption}</caption>}
      <TableHead lang={lang} vi={['Mã', 'Sản phẩm', 'Hệ số', 'Được giao', 'Hoàn thành', 'Bị trả lại', 'Chậm', 'Nguồn', 'Lý do']} en={['Code', 'Product', 'k', 'Assigned', 'Done', 'Failed reviews', 'Delays', 'Source', 'Reason']} />
      <tbody>
        {lines.map((p, i) => {
          const self = p['source'] !== 'worklog'
          return (
            <tr key={i} className={self ? 'self-line' : undefined} data-testid={self ? 'self-line' : 'worklog-line'}>
              <td>{text(p['code'])}</td>
              <td>{text(p['name'])}</td>
              <td>{num(p['k'])}</td>
              <td>{num(p['assigned'])}</td>
              <td>{num(p['done'])}</td>
              <td>{num(p['qualityFailures'])}</td>
              <td>{num(p['delays'])}</td>
              <td>{SOURCES[self ? 'self' : 'worklog']![lang]}</td>
              <td>{text(p['reason'])}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
