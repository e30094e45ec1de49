import type { Lang } from './i18n'

/** A table's header row, labelled in the user's language. */
export function TableHead({ lang, vi, en }: { lang: Lang; vi: string[]; en: string[] }) {
  return (
    <thead>
      <tr>
        {(lang === 'vi' ? vi : en).map((label, i) => (
          <th key={i}>{label}</th>
        ))}
      </tr>
    </thead>
  )
}
