import { z } from 'zod'

type Issue = Parameters<z.core.$ZodErrorMap>[0]

const TYPES: Record<string, [string, string]> = {
  string: ['chuỗi ký tự', 'text'],
  number: ['số', 'a number'],
  int: ['số nguyên', 'a whole number'],
  boolean: ['đúng/sai', 'true or false'],
  object: ['một đối tượng', 'an object'],
  array: ['một danh sách', 'a list'],
  date: ['ngày', 'a date'],
}
const FORMATS: Record<string, [string, string]> = {
  email: ['Địa chỉ email không hợp lệ', 'Not a valid email address'],
  url: ['Địa chỉ URL không hợp lệ', 'Not a valid URL'],
  regex: ['Sai định dạng', 'Wrong format'],
  datetime: ['Thời điểm không hợp lệ (ISO 8601)', 'Not a valid ISO 8601 date-time'],
  date: ['Ngày không hợp lệ (yyyy-mm-dd)', 'Not a valid date (yyyy-mm-dd)'],
}
const vn = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('vi-VN') : typeof n === 'bigint' ? n.toString() : String(n))

/**
 * Zod's messages in Vietnamese then English ("Không được để trống / Required"), like the messages
 * written in the schemas: what an API error, an import preview or a form shows, never "Too small:
 * expected string to have >=1 characters". A schema's own message always wins.
 */
export function bilingual(iss: Issue): string {
  const [vi, en] = messages(iss)
  return `${vi} / ${en}`
}

function messages(iss: Issue): [string, string] {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return ['Bắt buộc nhập', 'Required']
      const [vi, en] = TYPES[iss.expected] ?? [iss.expected, iss.expected]
      return [`Phải là ${vi}`, `Must be ${en}`]
    }
    case 'too_small': {
      const min = vn(iss.minimum)
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? ['Không được để trống', 'Must not be empty'] : [`Cần ít nhất ${min} ký tự`, `At least ${String(iss.minimum)} characters`]
      if (iss.origin === 'array' || iss.origin === 'set') return [`Cần ít nhất ${min} mục`, `At least ${String(iss.minimum)} item(s)`]
      return iss.inclusive ? [`Phải từ ${min} trở lên`, `Must be at least ${String(iss.minimum)}`] : [`Phải lớn hơn ${min}`, `Must be greater than ${String(iss.minimum)}`]
    }
    case 'too_big': {
      const max = vn(iss.maximum)
      if (iss.origin === 'string') return [`Tối đa ${max} ký tự`, `At most ${String(iss.maximum)} characters`]
      if (iss.origin === 'array' || iss.origin === 'set') return [`Tối đa ${max} mục`, `At most ${String(iss.maximum)} item(s)`]
      return iss.inclusive ? [`Không được lớn hơn ${max}`, `Must be at most ${String(iss.maximum)}`] : [`Phải nhỏ hơn ${max}`, `Must be less than ${String(iss.maximum)}`]
    }
    case 'invalid_value':
      return [`Phải là một trong: ${iss.values.map(String).join(', ')}`, `Must be one of: ${iss.values.map(String).join(', ')}`]
    case 'invalid_format':
      return FORMATS[iss.format] ?? [`Sai định dạng (${iss.format})`, `Wrong format (${iss.format})`]
    case 'not_multiple_of':
      return [`Phải là bội số của ${vn(iss.divisor)}`, `Must be a multiple of ${String(iss.divisor)}`]
    case 'unrecognized_keys':
      return [`Trường không được phép: ${iss.keys.join(', ')}`, `Unknown field(s): ${iss.keys.join(', ')}`]
    default:
      return ['Giá trị không hợp lệ', 'Invalid value']
  }
}

/** A field's path as people read it: `products #1 › done` for products.0.done (rows count from 1). */
export function readablePath(path: PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out} #${p + 1}` : out ? `${out} › ${String(p)}` : String(p)), '')
}

z.config({ localeError: bilingual })
