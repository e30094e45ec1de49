import type { InferResponseType } from 'hono/client'
import { useEffect, useState } from 'react'
import type { client } from './client'
import { tr, type Lang } from './i18n'
import { usePagedList } from './paged-list'

/** A person a delegation or a reassignment may name (`GET /api/staff`). */
export type StaffOption = InferResponseType<typeof client.api.staff.$get, 200>[number]

/** What is typed, once the typing pauses. */
function useSettled(value: string, ms = 250): string {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/**
 * One person, found by typing part of their name or username (`GET /api/staff?q=`): a province has
 * tens of thousands, so only the first 50 matches are offered; typing more narrows them. `accept` leaves some out (oneself, the evaluated person).
 */
export function StaffPicker({ value, onChange, lang, accept = () => true, testId }: { value: string; onChange: (id: string) => void; lang: Lang; accept?: (s: StaffOption) => boolean; testId?: string }) {
  const [typed, setTyped] = useState('')
  const q = useSettled(typed.trim())
  const { items, next } = usePagedList<StaffOption>(`/api/staff?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`)
  const found = items.filter(accept)
  return (
    <>
      <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={tr(lang, 'staffPicker.search')} aria-label={tr(lang, 'staffPicker.search')} maxLength={100} />
      <select required value={value} onChange={(e) => onChange(e.target.value)} {...(testId ? { 'data-testid': testId } : {})}>
        <option value="">{found.length ? tr(lang, 'staffPicker.choose') : tr(lang, 'staffPicker.nobodyFound')}</option>
        {found.map((s) => (
          <option key={s.id} value={s.id}>
            {s.fullName}
            {s.unitName ? ` — ${s.unitName}` : ''}
          </option>
        ))}
        {next && (
          <option value="" disabled>
            {tr(lang, 'staffPicker.typeToNarrow')}
          </option>
        )}
      </select>
    </>
  )
}
