import { describe, expect, it } from 'vitest'
import { isoToText, textToIso } from '../../admin-ui/src/date-text.js'

describe('days typed as dd/mm/yyyy', () => {
  it('shows an ISO day as dd/mm/yyyy', () => {
    expect(isoToText('2026-10-01')).toBe('01/10/2026')
    expect(isoToText('')).toBe('')
  })
  it('reads dd/mm/yyyy with /, . or -, a short day or month, and a pasted ISO day', () => {
    expect(textToIso('01/10/2026')).toBe('2026-10-01')
    expect(textToIso('1/2/2027')).toBe('2027-02-01')
    expect(textToIso(' 29.02.2028 ')).toBe('2028-02-29')
    expect(textToIso('31-12-2026')).toBe('2026-12-31')
    expect(textToIso('2026-10-01')).toBe('2026-10-01')
  })
  it('refuses days that do not exist and anything else', () => {
    for (const bad of ['31/02/2026', '29/02/2027', '00/10/2026', '10/13/2026', '2026/10/01', '1/10/26', 'hôm nay', '']) expect(textToIso(bad)).toBeNull()
  })
})
