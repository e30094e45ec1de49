import i18next from 'i18next'
import en from './locales/core.en.json' with { type: 'json' }
import vi from './locales/core.vi.json' with { type: 'json' }
/** User-facing text: Vietnamese first, English second. */
export type Lang = 'vi' | 'en'


export const STAGE_LABELS: Record<string, Record<Lang, string>> = {
  SELF_ASSESSMENT: { vi: 'Tự đánh giá', en: 'Self-assessment' },
  UNIT_REVIEW: { vi: 'Trưởng đơn vị nhận xét', en: 'Unit review' },
  AWAITING_SIGN_OFF: { vi: 'Chờ lãnh đạo ký duyệt', en: 'Awaiting sign-off' },
  SIGNED_OFF: { vi: 'Đã ký duyệt', en: 'Signed off' },
  CLASSIFIED: { vi: 'Đã xếp loại', en: 'Classified' },
  CANCELLED: { vi: 'Đã hủy', en: 'Cancelled' },
  CANCELLING: { vi: 'Đang hủy', en: 'Cancelling' },
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

/** A number as people read it in the language (Intl: decimal comma in Vietnamese), or an em dash when there is none. */
export function formatNumber(value: number | null | undefined, lang: Lang, options?: Intl.NumberFormatOptions): string {
  return value === null || value === undefined ? '—' : value.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US', options)
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

/**
 * The web app's messages, Vietnamese and English, as catalogues read through i18next:
 * `tr(lang, 'workLogPage.updated')`, values as `{{name}}`, plurals by `count` through
 * Intl.PluralRules. Two catalogues per language, one namespace per screen: `locales/core.*.json`
 * (the sign-in page, the header, notifications) ships with the first page; `locales/screens.*.json`
 * loads with the first screen after sign-in (`screenMessages()`), so the sign-in page stays small.
 */
const catalogues = i18next.createInstance()
void catalogues.init({ resources: { vi: { translation: vi }, en: { translation: en } }, lng: 'vi', fallbackLng: 'vi', interpolation: { escapeValue: false }, initAsync: false, returnNull: false })
const fixed = { vi: catalogues.getFixedT('vi'), en: catalogues.getFixedT('en') } as unknown as Record<Lang, (key: string, values: Record<string, unknown>) => string>

let screens: Promise<void> | null = null
/** The screens' messages, fetched once (with the first screen's code). */
export function screenMessages(): Promise<void> {
  screens ??= Promise.all([import('./locales/screens.vi.json', { with: { type: 'json' } }), import('./locales/screens.en.json', { with: { type: 'json' } })]).then(([v, e]) => {
    catalogues.addResourceBundle('vi', 'translation', v.default, true, true)
    catalogues.addResourceBundle('en', 'translation', e.default, true, true)
  })
  return screens
}

/** A screen's module, once its messages are there too. */
export function withMessages<T>(module: Promise<T>): Promise<T> {
  return Promise.all([module, screenMessages()]).then(([m]) => m)
}

/** Every key of the catalogues, dotted: 'workLogPage.updated' (a plural's `_one`/`_other` forms are one key, given a `count`). */
type Plural = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other'
type Keys<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? (K extends `${infer B}_${Plural}` ? `${P}${B}` : `${P}${K}`) : Keys<T[K], `${P}${K}.`> }[keyof T & string]
export type MessageKey = Keys<typeof vi & typeof import('./locales/screens.vi.json')>

/** A message of the catalogues in the user's language, with its values filled in. */
export function tr(lang: Lang, key: MessageKey, values?: Record<string, unknown>): string {
  return fixed[lang](key, values ?? {})
}
