import { useCallback, useEffect, useState } from 'react'
import type { InferResponseType } from 'hono/client'
import { client, ok } from '../client'
import { Message, useAction } from '../action'
import { EvaluationPage } from '../EvaluationPage'
import { formatDate, LEVEL_LABELS, STAGE_LABELS, type Lang, tr } from '../i18n'

/** A unit evaluation as `GET /api/unit-evaluations/{id}` answers it: the evaluation with the unit, its head and the cycle. */
type UnitContext = InferResponseType<(typeof client.api)['unit-evaluations'][':id']['$get'], 200>

/**
 * A unit evaluation: the unit, its head and the period above the evaluation's own page (the rule
 * set's generic form for the head, review for the leader, the score explained), and the sign-off
 * for leadership once the leader has approved it.
 */
export function UnitEvaluationPage({ id, lang }: { id: number; lang: Lang }) {
  const [ctx, setCtx] = useState<UnitContext | null | undefined>(undefined)
  const [version, setVersion] = useState(0)
  const load = useCallback(async () => {
    setCtx(await ok(client.api['unit-evaluations'][':id'].$get({ param: { id: String(id) } })).catch(() => null))
  }, [id])
  const { message, act } = useAction(async () => {
    await load()
    setVersion((v) => v + 1)
  })
  useEffect(() => {
    void load()
  }, [load])
  if (ctx === undefined) return null
  if (ctx === null) return <p className="error">{tr(lang, 'unitEvaluationPage.thisUnitEvaluationCannotBe')}</p>
  // Whoever may return it at sign-off (leadership) may sign it off.
  const canSignOff = ctx.stage === 'AWAITING_SIGN_OFF' && ctx.allowedActions.includes('leaderReturn')
  return (
    <>
      <section className="card" data-testid="unit-context">
        <h2>
          {tr(lang, 'unitEvaluationPage.unitEvaluation')}: {ctx.unit.name}
        </h2>
        <p>
          {tr(lang, 'unitEvaluationPage.head')}: <strong>{ctx.head.name}</strong> · {ctx.cycle.name} ({formatDate(ctx.cycle.periodStart)} – {formatDate(ctx.cycle.periodEnd)}) · {STAGE_LABELS[ctx.stage]?.[lang] ?? ctx.stage}
          {ctx.finalLevel && (
            <>
              {' '}
              · {tr(lang, 'unitEvaluationPage.level')}: <strong>{ctx.finalLevel}</strong> — {LEVEL_LABELS[ctx.finalLevel]?.[lang]}
            </>
          )}
        </p>
        {canSignOff && (
          <div className="actions">
            <button data-testid="unit-sign-off" onClick={() => void act(() => ok(client.api['unit-evaluations'][':id']['sign-off'].$post({ param: { id: String(id) } })), tr(lang, 'unitEvaluationPage.unitEvaluationSignedOff'))}>
              {tr(lang, 'unitEvaluationPage.signOff')}
            </button>
          </div>
        )}
        <Message message={message} />
      </section>
      <EvaluationPage key={`${id}:${version}`} id={id} lang={lang} />
    </>
  )
}
