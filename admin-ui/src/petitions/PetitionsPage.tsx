import { useCallback, useEffect, useState } from 'react'
import { Message, useAction } from '../action'
import { apiAll, api } from '../api'
import { formatDateTime, LEVEL_LABELS, type Lang } from '../i18n'
import { TableHead } from '../TableHead'
import { PETITION_STATUS, type Petition } from './types'

/**
 * The petitions the user may see: for the competent authority (the sign-off leader; the admin for
 * leaders) those addressed to them, each answered with a required reason — accept (the evaluation
 * reopens for review) or reject; for staff their own.
 */
export function PetitionsPage({ lang }: { lang: Lang }) {
  const vi = lang === 'vi'
  const [rows, setRows] = useState<Petition[]>([])
  const [answering, setAnswering] = useState<{ id: number; decision: 'accept' | 'reject' } | null>(null)
  const [reason, setReason] = useState('')
  const load = useCallback(async () => setRows(await apiAll<Petition>('/api/petitions')), [])
  useEffect(() => {
    void load()
  }, [load])
  const { message, act } = useAction(load, () => {
    setAnswering(null)
    setReason('')
  })
  return (
    <section className="card" data-testid="petitions">
      <h2>{vi ? 'Kiến nghị về kết quả đánh giá' : 'Petitions about results'}</h2>
      <Message message={message} />
      {rows.length === 0 ? (
        <p className="muted">{vi ? 'Không có kiến nghị nào.' : 'No petitions.'}</p>
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
                  {vi ? PETITION_STATUS[p.status][0] : PETITION_STATUS[p.status][1]}
                  {p.answerReason && `: ${p.answerReason}`}
                </td>
                <td>
                  {p.mayAnswer && (
                    <>
                      <button type="button" onClick={() => setAnswering({ id: p.id, decision: 'accept' })}>
                        {vi ? 'Chấp nhận' : 'Accept'}
                      </button>{' '}
                      <button type="button" className="secondary" onClick={() => setAnswering({ id: p.id, decision: 'reject' })}>
                        {vi ? 'Không chấp nhận' : 'Reject'}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answering && (
        <form
          role="dialog"
          aria-label={vi ? 'Trả lời kiến nghị' : 'Answer the petition'}
          onSubmit={(e) => {
            e.preventDefault()
            void act(
              () => api('POST', `/api/petitions/${answering.id}/${answering.decision}`, { reason }),
              answering.decision === 'accept' ? (vi ? 'Đã chấp nhận; bản đánh giá được mở lại để xem xét.' : 'Accepted; the evaluation is reopened for review.') : vi ? 'Đã trả lời: không chấp nhận.' : 'Answered: rejected.',
            )
          }}
        >
          <p>{answering.decision === 'accept' ? (vi ? 'Chấp nhận kiến nghị: bản đánh giá trở lại bước trưởng đơn vị nhận xét, đơn vị được ký duyệt và xếp loại lại.' : 'Accept: the evaluation goes back to unit review; the unit is signed off and classified again.') : vi ? 'Không chấp nhận kiến nghị.' : 'Reject the petition.'}</p>
          <label>
            {vi ? 'Lý do (bắt buộc)' : 'Reason (required)'}
            <textarea required minLength={3} maxLength={2000} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="answer-reason" />
          </label>
          <button type="submit">{vi ? 'Gửi trả lời' : 'Send the answer'}</button>{' '}
          <button type="button" className="secondary" onClick={() => setAnswering(null)}>
            {vi ? 'Hủy' : 'Cancel'}
          </button>
        </form>
      )}
    </section>
  )
}
