import { useCallback, useEffect, useState } from 'react'
import { Message, useAction } from '../action'
import type { InferResponseType } from 'hono/client'
import { allPages, client, ok } from '../client'
import { formatDateTime, type Lang, tr } from '../i18n'
import { petitionStatus, type Petition } from './labels'

type PublishedCycle = InferResponseType<(typeof client.api.cycles)[':id']['$get'], 200>

/**
 * On a classified evaluation, for its owner: until when a petition (kiến nghị) may be filed, the
 * "Kiến nghị" button with a reason dialog, and the petitions filed with their answers.
 */
export function PetitionPanel({ evaluation, lang, onChange }: { evaluation: { id: number; cycleId: number; staffId: number; stage: string }; lang: Lang; onChange?: () => void }) {
  const [cycle, setCycle] = useState<PublishedCycle | null>(null)
  const [mine, setMine] = useState<Petition[]>([])
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const load = useCallback(async () => {
    setCycle(await ok(client.api.cycles[':id'].$get({ param: { id: String(evaluation.cycleId) } })))
    // This evaluation's petitions only (a head's list of the cycle also holds those addressed to them).
    setMine(await allPages(client.api.petitions.$get, { evaluationId: String(evaluation.id) }))
  }, [evaluation.cycleId, evaluation.id])
  useEffect(() => {
    void load()
  }, [load])
  const { message, act } = useAction(load, () => {
    setOpen(false)
    setReason('')
    onChange?.()
  })
  if (!cycle?.publishedAt) return null
  const windowOpen = !cycle.resultsLockedAt && cycle.petitionClosesAt !== null && new Date(cycle.petitionClosesAt).getTime() > Date.now()
  const waiting = mine.some((p) => p.status === 'OPEN')
  return (
    <section className="card" data-testid="petition-panel">
      <h2>{tr(lang, 'petitionPanel.petitionAboutTheResult')}</h2>
      {cycle.resultsLockedAt ? (
        <p className="muted">{tr(lang, 'petitionPanel.resultsLockedOn', { value: formatDateTime(cycle.resultsLockedAt) })}</p>
      ) : (
        <p data-testid="petition-window">
          {windowOpen ? tr(lang, 'petitionPanel.mayPetitionUntil', { value: formatDateTime(cycle.petitionClosesAt) }) : tr(lang, 'petitionPanel.windowClosed')}
        </p>
      )}
      <Message message={message} />
      {windowOpen && evaluation.stage === 'CLASSIFIED' && !waiting && !open && (
        <button type="button" onClick={() => setOpen(true)} data-testid="petition-open">
          {tr(lang, 'petitionPanel.petition')}
        </button>
      )}
      {open && (
        <form
          role="dialog"
          aria-label={tr(lang, 'petitionPanel.petition')}
          onSubmit={(e) => {
            e.preventDefault()
            void act(() => ok(client.api.evaluations[':id'].petitions.$post({ param: { id: String(evaluation.id) }, json: { reason } })), tr(lang, 'petitionPanel.petitionFiled'))
          }}
        >
          <label>
            {tr(lang, 'petitionPanel.reason102000Characters')}
            <textarea required minLength={10} maxLength={2000} rows={4} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="petition-reason" />
          </label>
          <button type="submit">{tr(lang, 'petitionPanel.fileThePetition')}</button>{' '}
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            {tr(lang, 'petitionPanel.cancel')}
          </button>
        </form>
      )}
      {mine.length > 0 && (
        <ul data-testid="petition-list">
          {mine.map((p) => (
            <li key={p.id}>
              {formatDateTime(p.filedAt)} — {p.reason} — <strong>{petitionStatus(lang, p.status)}</strong>
              {p.status === 'OPEN' && ` (${tr(lang, 'petitionPanel.answerDue')} ${formatDateTime(p.answerDueAt)})`}
              {p.answerReason && `: ${p.answerReason}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
