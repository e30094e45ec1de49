import { z } from '@hono/zod-openapi'
import { inForceFor } from '../delegations/delegation.repo.js'
import { ApiError, forbidden, notFound } from '../errors.js'
import { canView } from '../evaluations/evaluations.routes.js'
import type { AppDeps } from '../http/context.js'
import { defineRoute, featureApp, idPath } from '../http/openapi.js'
import { idParam } from '../http/route.js'
import { canSeeUnit, visibleUnitsOf } from '../org/visibility.js'
import { buildFormModel } from './form-model.js'
import { findEvaluation, formSource, summarySource, unitInCycle } from './forms.repo.js'
import { renderMau01 } from './mau01.pdf.js'
import { buildSummaryModel } from './unit-summary.model.js'
import { renderUnitSummary } from './unit-summary.pdf.js'

/** The PDF as the answer: shown in the browser (inline) under a plain ASCII file name. */
const pdf = (body: Buffer, file: string) =>
  new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${file}"`, 'cache-control': 'private, no-store' } })

const pdfAnswer = (description: string) => ({ description, content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } })

const evaluationFormRoute = defineRoute({
  method: 'get',
  path: '/api/evaluations/{id}/form.pdf',
  tags: ['forms'],
  summary: 'Mẫu số 01A (staff) or 01B (leaders) of one evaluation as an A4 PDF: criteria with self and authority scores, summary, levels, signatures, products annex; for whoever may see the evaluation',
  request: { params: z.object({ id: idPath }) },
  responses: { 200: pdfAnswer('The form, inline (Content-Disposition names the file)') },
})

const unitSummaryRoute = defineRoute({
  method: 'get',
  path: '/api/cycles/{id}/units/{unitId}/summary.pdf',
  tags: ['forms'],
  summary: "The unit's summary list of classified results (name, position, total, level, rank n / m, counts per level) as an A4 PDF; for admins, leaders in scope and the unit's head",
  request: { params: z.object({ id: idPath, unitId: idPath }) },
  responses: { 200: pdfAnswer('The list, inline (Content-Disposition names the file)') },
})

/** Routes of the forms feature: Mẫu số 01A/01B per evaluation and the unit's summary list, as PDF. */
export function formsRoutes(deps: AppDeps) {
  const { db } = deps
  return featureApp()
    .openapi(evaluationFormRoute, async (c) => {
      const user = c.get('user')
      const id = idParam(c.req.valid('param'), 'id', 'bản đánh giá / evaluation')
      const ev = await findEvaluation(db, id)
      if (!ev) throw notFound('bản đánh giá / evaluation', id)
      // A delegate in force sees (and prints) what their principal may see, as on the evaluation page.
      if (!canView(user, ev) && !canView(user, ev, await inForceFor(db, user.id))) throw forbidden('Bạn không có quyền xem bản đánh giá này.', 'You may not see this evaluation.')
      if (ev.stage === 'CANCELLED') throw new ApiError(409, 'WRONG_STAGE', 'Bản đánh giá đã bị hủy cùng kỳ đánh giá, không in phiếu.', 'The evaluation was cancelled with its cycle; there is no form to print.')
      const model = buildFormModel(await formSource(db, ev))
      return pdf(await renderMau01(model), `mau-${model.formCode.toLowerCase()}-danh-gia-${ev.id}.pdf`)
    })
    .openapi(unitSummaryRoute, async (c) => {
      const user = c.get('user')
      const params = c.req.valid('param')
      const cycleId = idParam(params, 'id', 'kỳ đánh giá / cycle')
      const unitId = idParam(params, 'unitId', 'đơn vị / unit')
      const cycle = await db.selectFrom('cycles').select(['id', 'name', 'period_start', 'period_end', 'status', 'classified_at']).where('id', '=', cycleId).executeTakeFirst()
      if (!cycle) throw notFound('kỳ đánh giá / cycle', cycleId)
      if (!(await unitInCycle(db, cycle.id, unitId))) throw notFound('đơn vị trong kỳ / unit in cycle', unitId)
      if (!canSeeUnit(await visibleUnitsOf(db, user.id), unitId)) throw forbidden('Bạn không có quyền xem kết quả của đơn vị này.', "You may not see this unit's results.")
      if (cycle.status !== 'CLASSIFIED') throw new ApiError(409, 'CYCLE_NOT_OPEN', 'Kỳ đánh giá chưa xếp loại xong, chưa có danh sách kết quả.', 'The cycle is not classified yet: there is no list of results.')
      const model = buildSummaryModel(await summarySource(db, cycle, unitId))
      return pdf(await renderUnitSummary(model), `danh-sach-ket-qua-ky-${cycle.id}-don-vi-${unitId}.pdf`)
    })
}
