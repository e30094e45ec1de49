import { describe, expect, it } from 'vitest'
import coreEn from '../../admin-ui/src/locales/core.en.json' with { type: 'json' }
import coreVi from '../../admin-ui/src/locales/core.vi.json' with { type: 'json' }
import screensEn from '../../admin-ui/src/locales/screens.en.json' with { type: 'json' }
import screensVi from '../../admin-ui/src/locales/screens.vi.json' with { type: 'json' }

/** Every message of a catalogue, by its dotted key. */
function messages(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v)
    else for (const [kk, vv] of messages(v as object, `${prefix}${k}.`)) out.set(kk, vv)
  }
  return out
}

/** A plural's forms (`_one`, `_other`: Vietnamese has only `_other`) count as one message. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '')

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()

describe.each([
  ['core', coreVi, coreEn],
  ['screens', screensVi, screensEn],
])('the %s catalogues', (_, vi, en) => {
  const v = messages(vi)
  const e = messages(en)

  it('say every message in both languages, none empty', () => {
    const inVi = new Set([...v.keys()].map(base))
    const inEn = new Set([...e.keys()].map(base))
    expect([...inVi].filter((k) => !inEn.has(k))).toEqual([])
    expect([...inEn].filter((k) => !inVi.has(k))).toEqual([])
    expect([...v, ...e].filter(([, text]) => !text.trim()).map(([k]) => k)).toEqual([])
  })

  it('fill the same values into both languages', () => {
    const enByBase = new Map([...e].map(([k, text]) => [base(k), text]))
    const differing = [...v].filter(([k, text]) => enByBase.has(base(k)) && placeholders(text).filter((p) => p !== 'count').join() !== placeholders(enByBase.get(base(k))!).filter((p) => p !== 'count').join()).map(([k]) => k)
    expect(differing).toEqual([])
  })
})
