import type { InferResponseType } from 'hono/client'
import type { client } from '../client'
import type { Lang } from '../i18n'

/** A delegation as `GET /api/delegations` lists it (the server's zod schema, through the typed client). */
export type Delegation = InferResponseType<typeof client.api.delegations.$get, 200>[number]

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
