/** Who the quota would rate HTT instead of HTXS, as the ranking will (by total; a tie at the cut is cut whole). */
export function quotaPreview<T extends { fullName: string; total: number | null }>(candidates: T[], max: number): { cut: T[]; tie: boolean } {
  const sorted = [...candidates].sort((a, b) => (b.total ?? 0) - (a.total ?? 0))
  let keep = Math.max(0, max)
  if (keep >= sorted.length) return { cut: [], tie: false }
  let tie = false
  while (keep > 0 && sorted[keep - 1]!.total === sorted[keep]!.total) {
    keep--
    tie = true
  }
  return { cut: sorted.slice(keep), tie }
}

/** The confirmation a leader reads before signing off a unit over its quota. */
export function quotaWarning(unitName: string, cut: { fullName: string; total: number | null }[], tie: boolean, max: number, lang: 'vi' | 'en'): string {
  const names = cut.map((c) => `• ${c.fullName} (${(c.total ?? 0).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')})`).join('\n')
  return lang === 'vi'
    ? `${unitName} vượt tỷ lệ HTXS (tối đa ${max}). Khi ký duyệt, những người sau sẽ được xếp loại HTT theo tỷ lệ:\n${names}${tie ? '\n(Có người bằng điểm tại ngưỡng: cả nhóm bằng điểm bị hạ, kết quả được đánh dấu để lãnh đạo xem xét.)' : ''}\n\nKý duyệt đơn vị?`
    : `${unitName} is over its HTXS quota (at most ${max}). On sign-off, these people will be rated HTT by the quota:\n${names}${tie ? '\n(A tie straddles the cut: the whole tied group is cut, and the result is flagged for leadership.)' : ''}\n\nSign the unit off?`
}
