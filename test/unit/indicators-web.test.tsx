import Form from '@rjsf/core'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { screenMessages } from '../../admin-ui/src/i18n.js'
import { staffSchema } from '../../admin-ui/src/EvaluationPage'
import { IndicatorValues } from '../../admin-ui/src/form/IndicatorValues'
import { CoverageTables } from '../../admin-ui/src/integrations/IndicatorsPanel'
import type { CoverageView } from '../../admin-ui/src/integrations/views'
import { localizeVi, translateString } from '../../admin-ui/src/rjsf-vi'
import { departmentKpiRuleSet } from '../../rules/defaults.js'

const validator = customizeValidator({}, localizeVi)
const source = { vi: 'Hệ thống một cửa · TTHC_DUNG_HAN · khóa 05/12/2026', en: 'Hệ thống một cửa · TTHC_DUNG_HAN · locked 05/12/2026' }


// The screens' messages load with the first screen in the app; here, before the components render.
beforeAll(screenMessages)

describe('indicators in the web app', () => {
  it('shows an indicator in the self-assessment form read-only, with its source as help', () => {
    const def = departmentKpiRuleSet()
    const ui = { ...def.uiSchema, indicators: { oneStopOnTime: { 'ui:readonly': true, 'ui:help': source.vi } } }
    const formData: Record<string, unknown> | undefined = { ...def.initialInputs, indicators: { oneStopOnTime: 92.5 } }
    const html = renderToStaticMarkup(<Form schema={staffSchema(def.inputSchema)} uiSchema={ui} formData={formData} validator={validator} translateString={translateString('vi')} />)
    expect(html).toContain('Tỷ lệ hồ sơ TTHC giải quyết đúng hạn (%)')
    expect(html).toMatch(/<input id="root_indicators_oneStopOnTime"[^>]*readOnly=""[^>]*value="92.5"/)
    expect(html).toContain(source.vi)
  })

  it('lists the evaluation values with their sources, and the admin coverage with missing and late rows', () => {
    const values = renderToStaticMarkup(
      <IndicatorValues
        lang="vi"
        indicators={[
          { path: 'indicators.oneStopOnTime', code: 'TTHC_DUNG_HAN', unit: '%', label: { vi: 'Tỷ lệ hồ sơ TTHC đúng hạn', en: 'On time' }, value: 92.5, updatedAt: '2026-12-02T03:00:00Z', locked: true, source },
          { path: 'indicators.other', code: 'KHAC', unit: '%', label: null, value: null, updatedAt: null, locked: false, source },
        ]}
      />,
    )
    expect(values).toContain('Tỷ lệ hồ sơ TTHC đúng hạn: <strong>92,5 %</strong>')
    expect(values).toContain('— Hệ thống một cửa · TTHC_DUNG_HAN · khóa 05/12/2026 · nhận 02/12/2026 10:00')
    expect(values).toContain('KHAC: <strong>chưa có</strong>')
    const subject = (name: string, handle: string) => ({ subject: `staff:${handle}`, name, handle, unitName: 'Phòng CCHC' })
    const coverage: CoverageView = {
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      missing: 1,
      late: 1,
      indicators: [
        {
          system: 'mot-cua',
          systemName: 'Hệ thống một cửa',
          code: 'TTHC_DUNG_HAN',
          unit: '%',
          scope: 'person',
          label: null,
          paths: ['indicators.oneStopOnTime'],
          closingDate: '2026-12-05',
          closesAt: '2026-12-05T16:59:59.000Z',
          locked: true,
          expected: 3,
          received: [{ subject: subject('Mai Thị Phương', 'cv.maiphuong'), value: 92.5, receivedAt: '2026-12-02T03:00:00Z', updatedAt: '2026-12-02T03:00:00Z' }],
          missing: [subject('Hoàng Văn Nam', 'cv.hoangnam')],
          late: [{ subject: subject('Huỳnh Minh Đức', 'cv.huynhduc'), value: 80, at: '2026-12-06T03:00:00Z', hasValue: false }],
          counts: { received: 1, missing: 1, late: 1 },
        },
      ],
    }
    const html = renderToStaticMarkup(<CoverageTables coverage={coverage} lang="vi" exportHref="/api/integrations/indicators/export?cycleId=4" />)
    expect(html).toContain('Theo từng cán bộ; đã khóa ngày 05/12/2026. Đã nhận 1/3, thiếu 1, gửi muộn 1.')
    expect(html).toContain('Hoàng Văn Nam (cv.hoangnam)</td><td>—</td><td>Thiếu</td>')
    expect(html).toContain('Huỳnh Minh Đức (cv.huynhduc)</td><td>80</td><td>Gửi muộn, không dùng</td>')
    // Every list whole: no word of rows left out.
    expect(html).not.toContain('coverage-cut')

    // A province's list: the server sent the first rows; the counts are the whole list's, the CSV has every row.
    const cut: CoverageView = { ...coverage, indicators: [{ ...coverage.indicators[0]!, expected: 50_000, counts: { received: 1, missing: 48_000, late: 1 } }] }
    const province = renderToStaticMarkup(<CoverageTables coverage={cut} lang="vi" exportHref="/api/integrations/indicators/export?cycleId=4" />)
    expect(province).toContain('Đã nhận 1/50.000, thiếu 48.000, gửi muộn 1.')
    expect(province).toContain('data-testid="coverage-cut"')
    expect(province).toContain('href="/api/integrations/indicators/export?cycleId=4">Tải đủ danh sách (CSV)</a>')
  })
})
