import { useState } from 'react'
import { Message, useAction } from '../action'
import { client, ok } from '../client'
import { LoadMore, usePagedList } from '../paged-list'
import { formatDateTime, LEVEL_LABELS, type Lang, tr } from '../i18n'
import { TableHead } from '../TableHead'
import { petitionStatus, type Petition } from './labels'

/**
 * The petitions the user may see: for the competent authority (the sign-off leader; the admin for
 * leaders) those addressed to them, each answered with a required reason — accept (the evaluation
 * reopens for review) or reject; for staff their own.
 */
export function PetitionsPage({ lang }: { lang: Lang }) {
  // Those awaiting an answer first (the authority's work), any state on request; a page at a time, the next on demand.
  const [state, setState] = useState<'' | Petition['status']>('OPEN')
  const { items: rows, next, more, reload } = usePagedList<Petition>(`/api/petitions?limit=50${state ? `&status=${state}` : ''}`)
  const [answering, setAnswering] = useState<{ id: number; decision: 'accept' | 'reject' } | null>(null)
  const [reason, setReason] = useState('')
  const { message, act } = useAction(reload, () => {
    setAnswering(null)
    setReason('')
  })
  return (
    <section className="card" data-testid="petitions">
      <h2>{tr(lang, 'petitionsPage.petitionsAboutResults')}</h2>
      <Message message={message} />
      <label>
        {tr(lang, 'petitionsPage.stateFilter')}{' '}
        <select data-testid="petition-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
          {(['OPEN', 'ACCEPTED', 'REJECTED'] as const).map((st) => (
            <option key={st} value={st}>
              {petitionStatus(lang, st)}
            </option>
          ))}
          <option value="">{tr(lang, 'petitionsPage.allStates')}</option>
        </select>
      </label>
      {rows.length === 0 ? (
        <p className="muted">{tr(lang, 'petitionsPage.noPetitions')}</p>
      ) : (
        <table>
          <TableHead lang={lang} vi={['Người kiến nghị', 'Đơn vị', 'Xếp loại', 'Lý do', 'Gửi lúc', 'Hạn trả lời', 'Trạng thái', '']} en={['Filed by', 'Unit', 'Level', 'Reason', 'Filed', 'Answer due', 'State', '']} />
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid={`petition-${p.id}`}>
                <td>
                  <a href={`#/evaluations/${p.evaluationId}`}>{p.fullName}</a>
                </td>
                <td>{p.unitName}</td>
                <td>{p.finalLevel ? (LEVEL_LABELS[p.finalLevel]?.[lang] ?? p.finalLevel) : '—'}</td>
                <td>{p.reason}</td>
                <td>{formatDateTime(p.filedAt)}</td>
                <td className={p.status === 'OPEN' && new Date(p.answerDueAt).getTime() < Date.now() ? 'error' : undefined}>{formatDateTime(p.answerDueAt)}</td>
                <td>
                  {petitionStatus(lang, p.status)}
                  {p.answerReason && `: ${p.answerReason}`}
                </td>
                <td>
                  {p.mayAnswer && (
                    <>
                      <button type="button" onClick={() => setAnswering({ id: p.id, decision: 'accept' })}>
                        {tr(lang, 'petitionsPage.accept')}
                      </button>{' '}
                      <button type="button" className="secondary" onClick={() => setAnswering({ id: p.id, decision: 'reject' })}>
                        {tr(lang, 'petitionsPage.reject')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore next={next} onMore={more} lang={lang} testId="more-petitions" />
      {answering && (
        <form
          role="dialog"
          aria-label={tr(lang, 'petitionsPage.answerThePetition')}
          onSubmit={(e) => {
            e.preventDefault()
            void act(
              () => ok(client.api.petitions[':id'][answering.decision].$post({ param: { id: String(answering.id) }, json: { reason } })),
              answering.decision === 'accept' ? (tr(lang, 'petitionsPage.acceptedTheEvaluationIsReopened')) : tr(lang, 'petitionsPage.answeredRejected'),
            )
          }}
        >
          <p>{answering.decision === 'accept' ? (tr(lang, 'petitionsPage.acceptTheEvaluationGoesBack')) : tr(lang, 'petitionsPage.rejectThePetition')}</p>
          <label>
            {tr(lang, 'petitionsPage.reasonRequired')}
            <textarea required minLength={3} maxLength={2000} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="answer-reason" />
          </label>
          <button type="submit">{tr(lang, 'petitionsPage.sendTheAnswer')}</button>{' '}
          <button type="button" className="secondary" onClick={() => setAnswering(null)}>
            {tr(lang, 'petitionsPage.cancel')}
          </button>
        </form>
      )}
    </section>
  )
}
