import { tr } from './i18n'
import type { RJSFSchema } from '@rjsf/utils'

/** A product the person may declare: the catalogue of the period, for their job position. */
export interface ProductOption {
  code: string
  name: string
  unit: string
  k: number
}
export type Line = Record<string, unknown>

/** The lines of a document that came from the confirmed work log (read-only) and the ones declared by hand. */
export function splitLines(data: Record<string, unknown>): { fromWorkLog: Line[]; declared: Line[] } {
  const lines = Array.isArray(data['products']) ? (data['products'] as Line[]) : []
  return { fromWorkLog: lines.filter((l) => l['source'] === 'worklog'), declared: lines.filter((l) => l['source'] !== 'worklog') }
}

/** Declared lines as the form edits them: without what the server sets (the form schema does not allow it). */
export function formLines(lines: Line[]): Line[] {
  return lines.map(({ name: _n, k: _k, source: _s, ...rest }) => rest)
}

/** The declared lines with the catalogue's name and coefficient, as the server will store them (for the live score). */
export function withCatalogue(lines: Line[], options: ProductOption[]): Line[] {
  const byCode = new Map(options.map((o) => [o.code, o]))
  return lines.map((l) => {
    const product = byCode.get(typeof l['code'] === 'string' ? l['code'] : '')
    return product ? { ...l, name: product.name, k: product.k, source: 'self' } : { ...l, source: 'self' }
  })
}

/**
 * The form for declared product lines: the code is a choice from the catalogue (name and
 * coefficient shown with it, set by the server), the reason is required; name, k and source are
 * not asked for.
 */
export function declaredLinesSchema(products: RJSFSchema, options: ProductOption[], lang: 'vi' | 'en'): RJSFSchema {
  const items = (products.items ?? {}) as RJSFSchema & { properties?: Record<string, RJSFSchema>; required?: string[] }
  const { name: _name, k: _k, source: _source, ...properties } = (items.properties ?? {}) as Record<string, RJSFSchema>
  const code: RJSFSchema = options.length
    ? { ...(properties['code'] ?? {}), oneOf: options.map((o) => ({ const: o.code, title: `${o.code} — ${o.name} (${o.unit}; k = ${o.k.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')})` })) }
    : (properties['code'] ?? {})
  const reason: RJSFSchema = { ...(properties['reason'] ?? {}), type: 'string', minLength: 3, title: tr(lang, 'productLines.reasonForDeclaringItRequired') }
  return {
    ...products,
    description: tr(lang, 'productLines.productsDeclaredOutsideTheWork'),
    items: { ...items, properties: { ...properties, code, reason }, required: [...(items.required ?? []).filter((r) => r in properties), 'reason'] },
  }
}

/** The ui:order of declared lines, without the fields the server sets. */
export function declaredLinesUi(ui: Record<string, unknown> | undefined): Record<string, unknown> {
  const items = (ui?.['items'] ?? {}) as Record<string, unknown>
  const order = (items['ui:order'] as string[] | undefined)?.filter((k) => !['name', 'k', 'source'].includes(k))
  const { source: _s, ...rest } = items
  return { ...ui, items: { ...rest, ...(order ? { 'ui:order': order } : {}) } }
}
