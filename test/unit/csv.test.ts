import { describe, expect, it } from 'vitest'
import { parseCsv, toCsv } from '../../server/org/csv.js'

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas, and keeps numbers as numbers', () => {
    const csv = toCsv([
      ['name', 'total'],
      ['=HYPERLINK("http://x","y")', 90.5],
      ['@SUM(1)', -3],
      ['+1+cmd|" /C calc"!A0', 0],
      ['-2+3', 1],
      ['\tindented', 2],
      ['Nguyễn Văn A, "Tổ 1"', 70],
    ])
    const rows = parseCsv(csv)
    expect(rows.map((r) => r['name'])).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)", "'+1+cmd|\" /C calc\"!A0", "'-2+3", "'\tindented", 'Nguyễn Văn A, "Tổ 1"'])
    expect(rows.map((r) => r['total'])).toEqual(['90.5', '-3', '0', '1', '2', '70'])
  })
})
