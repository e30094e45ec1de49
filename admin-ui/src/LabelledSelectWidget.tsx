import { getDefaultRegistry } from '@rjsf/core'
import type { WidgetProps } from '@rjsf/utils'
import { tr } from './i18n'

const Select = getDefaultRegistry().widgets['SelectWidget']!

/**
 * RJSF's select, with a name for screen readers where RJSF draws no label: the choice between the
 * forms of an anyOf / oneOf field ("Chọn dạng của mục 4"). Other selects keep their field's label.
 */
export function LabelledSelectWidget(props: WidgetProps) {
  const chooser = /__(?:any|one)of_select$/.exec(props.id)
  if (!chooser) return <Select {...props} />
  const item = /_(\d+)__(?:any|one)of_select$/.exec(props.id)
  const n = item ? Number(item[1]) + 1 : null
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi'
  return (
    <>
      <label className="visually-hidden" htmlFor={props.id}>
        {n ? tr(lang, 'labelledSelect.chooseKindOfItem', { n }) : tr(lang, 'labelledSelect.chooseKind')}
      </label>
      <Select {...props} />
    </>
  )
}
