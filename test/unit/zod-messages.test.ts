import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readablePath } from '../../server/http/zod-messages.js'

describe('validation messages in Vietnamese, then English', () => {
  const schema = z.object({ name: z.string().trim().min(1).max(5), reason: z.string().min(3), n: z.number().int().min(1).max(2.5), kind: z.enum(['month', 'year']), email: z.email(), roles: z.array(z.string()).min(1) }).strict()
  const messages = () => {
    const r = schema.safeParse({ name: '', reason: 'ab', n: 3, kind: 'day', email: 'x@', roles: [], extra: 1 })
    return Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.') || i.code, i.message]))
  }
  it('says what is wrong in words, numbers with a decimal comma, never "Too small: expected string…"', () => {
    expect(messages()).toEqual({
      name: 'Không được để trống / Must not be empty',
      reason: 'Cần ít nhất 3 ký tự / At least 3 characters',
      n: 'Không được lớn hơn 2,5 / Must be at most 2.5',
      kind: 'Phải là một trong: month, year / Must be one of: month, year',
      email: 'Địa chỉ email không hợp lệ / Not a valid email address',
      roles: 'Cần ít nhất 1 mục / At least 1 item(s)',
      unrecognized_keys: 'Trường không được phép: extra / Unknown field(s): extra',
    })
    expect(z.object({ a: z.string() }).safeParse({}).error!.issues[0]!.message).toBe('Bắt buộc nhập / Required')
    expect(z.number().safeParse('1').error!.issues[0]!.message).toBe('Phải là số / Must be a number')
  })
  it("keeps a schema's own message", () => {
    expect(z.string().min(3, 'ít nhất 3 / at least 3').safeParse('a').error!.issues[0]!.message).toBe('ít nhất 3 / at least 3')
  })
  it('names a field as people read it, rows counted from 1', () => {
    expect(readablePath(['products', 0, 'done'])).toBe('products #1 › done')
    expect(readablePath(['roles', 1])).toBe('roles #2')
  })
})
