import type { FieldProps, RJSFSchema, UiSchema } from '@rjsf/utils'
import { useState } from 'react'
import { anyScope, checkLogic } from '../../rules/logic.check'

/**
 * A JSON value edited as text: free-form parts of a rule set (input schema, test cases) and, with
 * `ui:options.logic`, JSON Logic formulas checked against the operation allow-list as you type
 * (the server checks `var` paths and types on save).
 */
export function JsonField(props: FieldProps) {
  const { formData, onChange, fieldPathId, schema, uiSchema, name } = props
  const logic = Boolean((uiSchema?.['ui:options'] as { logic?: boolean } | undefined)?.logic)
  const [text, setText] = useState(() => (formData === undefined ? '' : JSON.stringify(formData, null, logic ? 0 : 2)))
  const [error, setError] = useState(() => (logic ? describe(checkLogic(formData, anyScope)) : ''))
  const update = (value: string) => {
    setText(value)
    let parsed: unknown
    try {
      parsed = value.trim() ? JSON.parse(value) : undefined
    } catch (err) {
      setError(`JSON không hợp lệ / invalid JSON: ${(err as Error).message}`)
      return
    }
    setError(logic ? describe(checkLogic(parsed, anyScope)) : '')
    onChange(parsed, fieldPathId.path)
  }
  return (
    <div className="form-group json-field">
      <label htmlFor={fieldPathId.$id}>{(schema).title ?? name}</label>
      <textarea id={fieldPathId.$id} data-testid={`json-${fieldPathId.$id}`} className={logic ? 'logic' : 'json'} value={text} spellCheck={false} rows={Math.min(14, Math.max(2, text.split('\n').length + 1))} onChange={(e) => update(e.target.value)} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

const describe = (issues: { at: string; message: string }[]) => issues.map((i) => `${i.at || '(công thức)'}: ${i.message}`).join('; ')

const FREE_FORM = new Set(['inputSchema', 'uiSchema', 'initialInputs', 'tests', 'quotaTests', 'weights', 'values', 'positionGroups', 'appliesTo'])

/** The editor's uiSchema, derived from the rule-set JSON Schema: formulas and free-form parts get the JSON field. */
export function ruleSetUiSchema(schema: RJSFSchema): UiSchema {
  const walk = (node: RJSFSchema | undefined): UiSchema => {
    if (!node || typeof node !== 'object') return {}
    if (node.format === 'json-logic') return { 'ui:field': 'json', 'ui:options': { logic: true } }
    const ui: UiSchema = {}
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, RJSFSchema>)) {
      ui[key] = FREE_FORM.has(key) ? { 'ui:field': 'json' } : walk(child)
    }
    if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
      const items = node.items as RJSFSchema
      const options = (items.anyOf ?? items.oneOf ?? [items]) as RJSFSchema[]
      ui['items'] = Object.assign({}, ...options.map(walk))
    }
    return ui
  }
  return walk(schema)
}
