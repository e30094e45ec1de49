import { describe, expect, it } from 'vitest'
import { quotaPreview, quotaWarning } from '../../admin-ui/src/quota-preview.js'

const people = (...totals: number[]) => totals.map((total, i) => ({ fullName: `Cán bộ ${i + 1}`, total }))

describe('the quota preview before a unit sign-off', () => {
  it('names who falls to HTT, lowest totals first to go', () => {
    expect(quotaPreview(people(95, 91, 93, 90.5), 2).cut.map((p) => p.total)).toEqual([91, 90.5])
    expect(quotaPreview(people(95, 91), 2)).toEqual({ cut: [], tie: false })
  })

  it('cuts a whole tie that straddles the limit, as the ranking does', () => {
    const { cut, tie } = quotaPreview(people(96, 92, 92, 90), 2)
    expect(tie).toBe(true)
    expect(cut.map((p) => p.total)).toEqual([92, 92, 90])
  })

  it('says it in Vietnamese with the names and the tie rule', () => {
    const { cut, tie } = quotaPreview(people(96, 92, 92), 2)
    const text = quotaWarning('Phòng Cải cách hành chính', cut, tie, 2, 'vi')
    expect(text).toContain('Phòng Cải cách hành chính vượt tỷ lệ HTXS (tối đa 2)')
    expect(text).toContain('• Cán bộ 2 (92)')
    expect(text).toContain('cả nhóm bằng điểm bị hạ')
  })
})
