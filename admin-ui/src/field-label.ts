import { tr } from './i18n'
import type { RJSFSchema } from '@rjsf/utils'

/**
 * A data path as a person reads it, from the form's own titles: `products.0.done` →
 * "Sản phẩm, công việc trong kỳ › dòng 1 › Số lượng hoàn thành". Unknown keys stay as they are.
 */
export function fieldLabel(path: string, schema: RJSFSchema, lang: 'vi' | 'en'): string {
  const parts: string[] = []
  let node: RJSFSchema | undefined = schema
  for (const key of path.split('.')) {
    if (/^\d+$/.test(key)) {
      parts.push(tr(lang, 'fieldLabel.line', { value: Number(key) + 1 }))
      node = (node?.items ?? undefined) as RJSFSchema | undefined
      continue
    }
    const child = (node?.properties as Record<string, RJSFSchema> | undefined)?.[key]
    parts.push(child?.title ?? key)
    node = child
  }
  return parts.join(' › ')
}
