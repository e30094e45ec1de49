import type { Lang } from './i18n'

/** The admin's working-day calendar: public holidays and compensating working days. */
export function HolidaysPage({ lang }: { lang: Lang }) {
  return <h2>{lang === 'vi' ? 'Lịch làm việc' : 'Working calendar'}</h2>
}
