import { englishStringTranslator, replaceStringParameters, TranslatableString } from '@rjsf/utils'
import type { Localizer } from '@rjsf/validator-ajv8'
import type { Lang } from './i18n'

/** RJSF's own strings in Vietnamese (ajv-i18n has no Vietnamese). */
const STRINGS_VI: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: 'Mục',
  [TranslatableString.MissingItems]: 'Thiếu định nghĩa các mục',
  [TranslatableString.EmptyArray]: 'Chưa có mục nào. Bấm nút bên dưới để thêm.',
  [TranslatableString.YesLabel]: 'Có',
  [TranslatableString.NoLabel]: 'Không',
  [TranslatableString.CloseLabel]: 'Đóng',
  [TranslatableString.ErrorsLabel]: 'Lỗi',
  [TranslatableString.NewStringDefault]: 'Giá trị mới',
  [TranslatableString.AddButton]: 'Thêm',
  [TranslatableString.AddItemButton]: 'Thêm dòng',
  [TranslatableString.CopyButton]: 'Sao chép',
  [TranslatableString.MoveDownButton]: 'Chuyển xuống',
  [TranslatableString.MoveUpButton]: 'Chuyển lên',
  [TranslatableString.RemoveButton]: 'Xóa',
  [TranslatableString.NowLabel]: 'Bây giờ',
  [TranslatableString.ClearLabel]: 'Xóa',
  [TranslatableString.AriaDateLabel]: 'Chọn ngày',
  [TranslatableString.PreviewLabel]: 'Xem trước',
  [TranslatableString.DecrementAriaLabel]: 'Giảm 1',
  [TranslatableString.IncrementAriaLabel]: 'Tăng 1',
  [TranslatableString.OptionalObjectAdd]: 'Thêm dữ liệu cho mục không bắt buộc',
  [TranslatableString.OptionalObjectRemove]: 'Bỏ dữ liệu của mục không bắt buộc',
  [TranslatableString.OptionalObjectEmptyMsg]: 'Chưa có dữ liệu cho mục không bắt buộc',
  [TranslatableString.Type]: 'Kiểu',
  [TranslatableString.Value]: 'Giá trị',
  [TranslatableString.ClearButton]: 'xóa nội dung',
  [TranslatableString.UnknownFieldType]: 'Không rõ kiểu trường %1',
  [TranslatableString.OptionPrefix]: 'Lựa chọn %1',
  [TranslatableString.TitleOptionPrefix]: '%1, lựa chọn %2',
  [TranslatableString.KeyLabel]: 'Khóa %1',
  [TranslatableString.UnsupportedField]: 'Trường không được hỗ trợ.',
}

export function translateString(lang: Lang) {
  return (key: TranslatableString, params?: string[]): string => {
    const vi = lang === 'vi' ? STRINGS_VI[key] : undefined
    return vi ? replaceStringParameters(vi, params) : englishStringTranslator(key, params)
  }
}

/** Ajv error messages in Vietnamese, by keyword (the English ones are ajv's own). */
export const localizeVi: Localizer = (errors) => {
  for (const e of errors ?? []) {
    const p = e.params as Record<string, unknown>
    const message: Record<string, string> = {
      required: 'bắt buộc nhập',
      minimum: `phải ≥ ${String(p['limit'])}`,
      maximum: `phải ≤ ${String(p['limit'])}`,
      exclusiveMinimum: `phải > ${String(p['limit'])}`,
      exclusiveMaximum: `phải < ${String(p['limit'])}`,
      type: p['type'] === 'number' || p['type'] === 'integer' ? 'phải là số' : `phải có kiểu ${String(p['type'])}`,
      minLength: `cần ít nhất ${String(p['limit'])} ký tự`,
      maxLength: `tối đa ${String(p['limit'])} ký tự`,
      maxItems: `tối đa ${String(p['limit'])} dòng`,
      minItems: `cần ít nhất ${String(p['limit'])} dòng`,
      enum: 'phải là một trong các giá trị cho phép',
      pattern: 'không đúng định dạng',
      additionalProperties: `không được có mục "${String(p['additionalProperty'])}"`,
      multipleOf: `phải là bội của ${String(p['multipleOf'])}`,
    }
    if (message[e.keyword]) e.message = message[e.keyword]
  }
}
