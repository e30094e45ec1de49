import type { Lang } from '../i18n'

/** A delegation as `GET /api/delegations` lists it. */
export interface Delegation {
  id: number
  principal: { id: number; name: string }
  delegate: { id: number; name: string }
  scope: 'review' | 'sign-off'
  from: string
  to: string
  reason: string
  createdAt: string
  endedAt: string | null
  status: 'upcoming' | 'active' | 'expired' | 'ended'
  mayEnd: boolean
}

/** A person a delegation or a reassignment may name (`GET /api/staff`). */
export interface StaffOption {
  id: number
  fullName: string
  unitName: string | null
  roles: string[]
}

export const DELEGATION_SCOPE: Record<Delegation['scope'], Record<Lang, string>> = {
  review: { vi: 'Nhận xét (duyệt, trả lại)', en: 'Review (approve, return)' },
  'sign-off': { vi: 'Ký duyệt', en: 'Sign-off' },
}

export const DELEGATION_STATUS: Record<Delegation['status'], Record<Lang, string>> = {
  upcoming: { vi: 'Chưa đến ngày', en: 'Upcoming' },
  active: { vi: 'Đang hiệu lực', en: 'In force' },
  expired: { vi: 'Đã hết hạn', en: 'Expired' },
  ended: { vi: 'Đã kết thúc sớm', en: 'Ended early' },
}

/** Today in Vietnam (yyyy-mm-dd), whatever the browser's time zone. */
export const todayInVietnam = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date())
