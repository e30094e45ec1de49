/** User-facing text: Vietnamese first, English second. */
export type Lang = 'vi' | 'en'

const text = {
  title: { vi: 'KPI Công vụ', en: 'KPI Công vụ' },
  subtitle: { vi: 'Đánh giá, xếp loại cán bộ, công chức theo KPI', en: 'KPI-based evaluation of public servants' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  login: { vi: 'Đăng nhập', en: 'Sign in' },
  logout: { vi: 'Đăng xuất', en: 'Sign out' },
  myTasks: { vi: 'Việc cần xử lý', en: 'My tasks' },
  noTasks: { vi: 'Không có việc nào đang chờ bạn.', en: 'Nothing is waiting for you.' },
  cycles: { vi: 'Kỳ đánh giá', en: 'Evaluation cycles' },
  person: { vi: 'Cán bộ', en: 'Staff member' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  stage: { vi: 'Bước', en: 'Stage' },
  deadline: { vi: 'Hạn', en: 'Due' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  status: { vi: 'Trạng thái', en: 'Status' },
  period: { vi: 'Kỳ', en: 'Period' },
  switchLang: { vi: 'English', en: 'Tiếng Việt' },
} satisfies Record<string, Record<Lang, string>>

export type TextKey = keyof typeof text

export const STAGE_LABELS: Record<string, Record<Lang, string>> = {
  SELF_ASSESSMENT: { vi: 'Tự đánh giá', en: 'Self-assessment' },
  UNIT_REVIEW: { vi: 'Trưởng đơn vị nhận xét', en: 'Unit review' },
  AWAITING_SIGN_OFF: { vi: 'Chờ lãnh đạo ký duyệt', en: 'Awaiting sign-off' },
  SIGNED_OFF: { vi: 'Đã ký duyệt', en: 'Signed off' },
  CLASSIFIED: { vi: 'Đã xếp loại', en: 'Classified' },
  CANCELLED: { vi: 'Đã hủy', en: 'Cancelled' },
  LAUNCHING: { vi: 'Đang khởi tạo', en: 'Launching' },
  OPEN: { vi: 'Đang diễn ra', en: 'Open' },
  RANKED: { vi: 'Đang công bố', en: 'Publishing' },
  RANKING_FAILED: { vi: 'Xếp loại thất bại', en: 'Ranking failed' },
}

export const LEVEL_LABELS: Record<string, Record<Lang, string>> = {
  HTXS: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent' },
  HTT: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good' },
  HT: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed' },
  KHT: { vi: 'Không hoàn thành nhiệm vụ', en: 'Not completed' },
}

/** A number as people read it in the language, or an em dash when there is none. */
export function formatNumber(value: number | null | undefined, lang: Lang): string {
  return value === null || value === undefined ? '—' : value.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')
}

export function t(key: TextKey, lang: Lang): string {
  return text[key][lang]
}

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Asia/Ho_Chi_Minh',
})

/** dd/MM/yyyy HH:mm in Vietnam's time zone, whatever the language. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return ''
  const part = Object.fromEntries(dateTimeParts.formatToParts(new Date(iso)).map((p) => [p.type, p.value]))
  return `${part['day']}/${part['month']}/${part['year']} ${part['hour']}:${part['minute']}`
}

/** dd/MM/yyyy from an ISO date (yyyy-MM-dd). */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-')
  return `${d}/${m}/${y}`
}
