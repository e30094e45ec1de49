import { tr } from './i18n'
import { useEffect, useRef, useState } from 'react'
import { isoToText, textToIso } from './date-text'
import type { Lang } from './i18n'

/**
 * A day typed as dd/mm/yyyy whatever the browser's language (a native date input shows
 * mm/dd/yyyy in an English browser). Holds an ISO day for the API; a day that does not exist or
 * lies outside min–max is refused by the browser's own validation, with the reason in Vietnamese.
 */
export function DateInput({ value, onChange, lang, required, min, max, disabled }: { value: string; onChange: (iso: string) => void; lang: Lang; required?: boolean; min?: string; max?: string; disabled?: boolean }) {
  const [text, setText] = useState(isoToText(value))
  const shown = useRef(value)
  const input = useRef<HTMLInputElement>(null)
  // A value set from outside (another period kind, a reset) replaces what is shown.
  useEffect(() => {
    if (value !== shown.current) {
      shown.current = value
      setText(isoToText(value))
      input.current?.setCustomValidity('')
    }
  }, [value])
  const change = (raw: string) => {
    setText(raw)
    const iso = textToIso(raw)
    const problem =
      raw.trim() === ''
        ? ''
        : !iso
          ? tr(lang, 'dateInput.notAValidDayType')
          : min && iso < min
            ? tr(lang, 'dateInput.theDayMustBeOr', { value: isoToText(min) })
            : max && iso > max
              ? tr(lang, 'dateInput.theDayMustBeOr2', { value: isoToText(max) })
              : ''
    input.current?.setCustomValidity(problem)
    const next = raw.trim() === '' ? '' : problem ? null : iso
    if (next !== null && next !== shown.current) {
      shown.current = next
      onChange(next)
    }
  }
  return (
    <input
      ref={input}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={tr(lang, 'dateInput.ddMmYyyy')}
      data-date-input=""
      value={text}
      required={required}
      disabled={disabled}
      onChange={(e) => change(e.target.value)}
      onBlur={() => {
        const iso = textToIso(text)
        if (iso) setText(isoToText(iso))
      }}
    />
  )
}
