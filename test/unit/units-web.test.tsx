import Form from '@rjsf/core'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { screenMessages } from '../../admin-ui/src/i18n.js'
import { staffSchema } from '../../admin-ui/src/EvaluationPage'
import { localizeVi, translateString } from '../../admin-ui/src/rjsf-vi'
import { CapNote } from '../../admin-ui/src/units/UnitCycleSection'
import { UnitEvaluationsTable } from '../../admin-ui/src/units/UnitEvaluationsTable'
import { unitKpiRuleSet } from '../../rules/defaults.js'

const validator = customizeValidator({}, localizeVi)


// The screens' messages load with the first screen in the app; here, before the components render.
beforeAll(screenMessages)

describe('unit evaluation in the web app', () => {
  it("generates the head's form from the unit rule set: the three KPI groups, no role, no reviewer's field", () => {
    const def = unitKpiRuleSet()
    const schema = staffSchema(def.inputSchema)
    const html = renderToStaticMarkup(<Form schema={schema} uiSchema={def.uiSchema} formData={def.initialInputs} validator={validator} translateString={translateString('vi')} />)
    for (const title of ['KPI nền tảng (hoạt động chung)', 'KPI chức năng (chức năng, nhiệm vụ của đơn vị)', 'KPI đặc thù của đơn vị', 'Cải cách hành chính, chuyển đổi số (%)']) expect(html).toContain(title)
    expect(html).not.toContain('Vai trò')
  })

  it('lists unit evaluations with the unit linked to its page, the head, stage, score and level', () => {
    const html = renderToStaticMarkup(
      <UnitEvaluationsTable
        lang="vi"
        rows={[{ id: 7, cycleId: 3, cycleName: 'Đánh giá đơn vị tháng 5/2026', periodStart: '2026-05-01', periodEnd: '2026-05-31', unitId: 4, unitName: 'Phòng CCHC', headId: 12, headName: 'Phạm Thị Lan', stage: 'CLASSIFIED', round: 2, total: 86.75, level: 'HTT', finalLevel: 'HTT', rankInCycle: 1, overdue: false, deadlineAt: null }]}
      />,
    )
    expect(html).toContain('<a href="#/unit-evaluations/7">Phòng CCHC</a>')
    expect(html).toContain('Phạm Thị Lan')
    expect(html).toContain('01/05/2026 – 31/05/2026')
    expect(html).toContain('86,75')
    expect(html).toContain('Đã xếp loại')
  })

  it("tells why a head's level was lowered, in the reader's language", () => {
    const cap = { unitId: 4, unitName: 'Phòng CCHC', unitLevel: 'HTT', from: 'HTXS', to: 'HTT', text: { vi: 'HTXS → HTT: đơn vị xếp loại HTT (Phòng CCHC)', en: 'HTXS → HTT: the unit is rated HTT (Phòng CCHC)' } }
    expect(renderToStaticMarkup(<CapNote cap={cap} lang="vi" />)).toContain('HTXS → HTT: đơn vị xếp loại HTT')
    expect(renderToStaticMarkup(<CapNote cap={cap} lang="en" />)).toContain('the unit is rated HTT')
  })
})
