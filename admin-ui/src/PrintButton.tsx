import type { Lang } from './i18n'

const LABELS = {
  form: { vi: 'In phiếu (PDF)', en: 'Print (PDF)' },
  list: { vi: 'In danh sách (PDF)', en: 'Print list (PDF)' },
} satisfies Record<string, Record<Lang, string>>

const HINT: Record<Lang, string> = { vi: 'Mở bản PDF khổ A4 trong thẻ mới để in hoặc lưu', en: 'Opens the A4 PDF in a new tab, to print or save' }

/**
 * Opens a printable PDF of the API (Mẫu 01 of an evaluation, a unit's list of results) in a new
 * tab; the session cookie goes with it, so no token is put in the address.
 */
export function PrintButton({ href, lang, kind = 'form' }: { href: string; lang: Lang; kind?: keyof typeof LABELS }) {
  return (
    <a className="button print-button" href={href} target="_blank" rel="noopener" title={HINT[lang]} data-testid="print-button">
      {LABELS[kind][lang]}
    </a>
  )
}
