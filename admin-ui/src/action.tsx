import { useState } from 'react'
import { ApiFailure } from './api'

export interface Outcome {
  kind: 'ok' | 'error'
  text: string
  details?: string[]
}

/**
 * One way to run a user action: clear the last message, run it, reload the page's data, then show the
 * success text — or the API's message (with its details: issue paths, failing test cases).
 */
export function useAction(reload: () => Promise<void>, onSuccess?: () => void) {
  const [message, setMessage] = useState<Outcome | null>(null)
  const act = async <T,>(fn: () => Promise<T>, ok: string | ((result: T) => string)) => {
    setMessage(null)
    try {
      const result = await fn()
      onSuccess?.()
      // The message appears with the page already showing the action's outcome (never "done" beside the old stage);
      // the action itself succeeded, so a failed refresh only leaves the page as it was.
      await reload().catch(() => undefined)
      setMessage({ kind: 'ok', text: typeof ok === 'function' ? ok(result) : ok })
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiFailure ? err.message : String(err), details: err instanceof ApiFailure ? detailLines(err.details) : [] })
    }
  }
  return { message, act }
}

/** The outcome of the last action, announced to screen readers. */
export function Message({ message }: { message: Outcome | null }) {
  if (!message) return null
  return (
    <div className={message.kind === 'ok' ? 'ok' : 'error'} role="status" data-testid="message">
      <p>{message.text}</p>
      {message.details && message.details.length > 0 && (
        <ul data-testid="message-details">
          {message.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The error details the API gives (issue paths, failing cases, rows) as readable lines. */
function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) return []
  return details.map((d: { path?: string; message?: string; name?: string; row?: number; mismatches?: { field: string; expected: unknown; actual: unknown }[] }) =>
    d.path !== undefined
      ? `${d.row !== undefined ? `#${d.row} ` : ''}${d.path}: ${d.message}`
      : d.name
        ? `${d.name}: ${(d.mismatches ?? []).map((m) => `${m.field} ${JSON.stringify(m.expected)} ≠ ${JSON.stringify(m.actual)}`).join(', ')}`
        : JSON.stringify(d),
  )
}
