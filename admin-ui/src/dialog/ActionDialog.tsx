import { tr } from '../i18n'
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { Lang } from '../i18n'

/** One input of an action dialog: a reason, a number of hours, a quantity… */
export interface DialogField {
  name: string
  label: string
  kind: 'text' | 'textarea' | 'number'
  initial?: string
  required?: boolean
  /** Text: at least this many characters (reasons: 3); numbers: the smallest value. */
  min?: number
  max?: number
  hint?: string
}

/**
 * An action's own dialog (a native modal <dialog>: focus kept inside, Escape closes): the inputs
 * the action needs, each labelled, a confirm and a cancel button. Replaces window.prompt and the
 * shared "reason" boxes that several buttons used to depend on.
 */
export function ActionDialog({
  title,
  fields,
  confirm,
  danger = false,
  lang,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  fields: DialogField[]
  confirm: string
  danger?: boolean
  lang: Lang
  onConfirm: (values: Record<string, string>) => void | Promise<void>
  onClose: () => void
  children?: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])))
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    try {
      await onConfirm(values)
    } finally {
      setBusy(false)
    }
  }
  return (
    <dialog ref={ref} className="action-dialog" aria-labelledby="action-dialog-title" onCancel={onClose} data-testid="action-dialog">
      <form method="dialog" onSubmit={(e) => void submit(e)}>
        <h3 id="action-dialog-title">{title}</h3>
        {children}
        {fields.map((f) => {
          const common = { name: f.name, value: values[f.name] ?? '', required: f.required ?? false, onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f.name]: e.target.value })) }
          return (
            <label key={f.name}>
              {f.label}
              {f.kind === 'textarea' ? (
                <textarea {...common} rows={3} minLength={f.min} maxLength={f.max ?? 2000} />
              ) : f.kind === 'number' ? (
                <input {...common} type="number" inputMode="decimal" step="any" min={f.min} max={f.max} />
              ) : (
                <input {...common} minLength={f.min} maxLength={f.max ?? 1000} />
              )}
              {f.hint && <small className="muted">{f.hint}</small>}
            </label>
          )
        })}
        <div className="actions">
          <button type="submit" className={danger ? 'danger' : ''} disabled={busy} data-testid="dialog-confirm">
            {confirm}
          </button>
          <button type="button" className="secondary" onClick={onClose} data-testid="dialog-cancel">
            {tr(lang, 'actionDialog.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
