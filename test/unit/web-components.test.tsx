import Form from '@rjsf/core'
import type { FieldProps, RJSFSchema } from '@rjsf/utils'
import { customizeValidator } from '@rjsf/validator-ajv8'
import type { ErrorObject } from 'ajv'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'
import { screenMessages } from '../../admin-ui/src/i18n.js'
import { staffSchema } from '../../admin-ui/src/EvaluationPage'
import { JsonField, ruleSetUiSchema } from '../../admin-ui/src/JsonField'
import { localizeVi, translateString } from '../../admin-ui/src/rjsf-vi'
import { nd335FlatRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { ruleSetJsonSchema } from '../../rules/ruleset.schema.js'

const validator = customizeValidator({}, localizeVi)


// The screens' messages load with the first screen in the app; here, before the components render.
beforeAll(screenMessages)

describe('web components', () => {
  it('generates the self-assessment form from the default rule set, in Vietnamese, without reviewer fields', () => {
    const def = nd335RuleSet()
    const html = renderToStaticMarkup(
      <Form schema={staffSchema(def.inputSchema)} uiSchema={def.uiSchema} formData={def.initialInputs} validator={validator} translateString={translateString('vi')} />,
    )
    expect(html).toContain('Phẩm chất chính trị, đạo đức, văn hóa công vụ')
    expect(html).toContain('Sản phẩm, công việc trong kỳ')
    expect(html).toContain('title="Thêm"')
    expect(html).not.toContain('Trường hợp đặc biệt') // overrides: set by the reviewer
    expect(html).not.toContain('Vai trò')
    expect(html).not.toContain('Nhận xét, đánh giá của cấp có thẩm quyền') // review: the authority's
  })

  it('localizes validation messages of the form into Vietnamese', () => {
    const { errors } = validator.validateFormData({ general: { ethics: 11, competence: 'x', innovation: 5 }, products: [] }, staffSchema(nd335FlatRuleSet().inputSchema))
    const byProperty = Object.fromEntries(errors.map((e) => [e.property, e.message]))
    expect(byProperty['.general.ethics']).toBe('phải ≤ 10')
    expect(byProperty['.general.competence']).toBe('phải là số')
    const raw = [{ keyword: 'required', params: { missingProperty: 'x' }, instancePath: '', schemaPath: '', message: 'must have required property' }] as ErrorObject[]
    localizeVi(raw)
    expect(raw[0]!.message).toBe('bắt buộc nhập')
    expect(translateString('vi')('Add Item' as never)).toBe('Thêm dòng')
    expect(translateString('en')('Add Item' as never)).toBe('Add Item')
  })

  it('checks a formula field against the allow-list and shows the problem', () => {
    const schema = ruleSetJsonSchema() as RJSFSchema
    const ui = ruleSetUiSchema(schema) as Record<string, any>
    expect(ui['computed'].items.formula).toEqual({ 'ui:field': 'json', 'ui:options': { logic: true } })
    expect(ui['inputSchema']).toEqual({ 'ui:field': 'json' })
    const field = (formData: unknown) =>
      renderToStaticMarkup(
        <JsonField {...({ formData, onChange: () => {}, fieldPathId: { $id: 'root_f', path: ['f'] }, schema: { title: 'Công thức' }, uiSchema: { 'ui:options': { logic: true } }, name: 'f' } as unknown as FieldProps)} />,
      )
    expect(field({ '+': [1, { var: 'a' }] })).not.toContain('role="alert"')
    const bad = field({ if: [true, { method: ['x', 'y'] }, 0] })
    expect(bad).toContain('role="alert"')
    expect(bad).toContain('if[1].method: unknown operation &quot;method&quot;')
  })
})
