import { sql, type Kysely } from 'kysely'

/**
 * The working-day calendar: the days that differ from the week (Mon–Fri working, Sat–Sun off).
 * `holiday` = a public holiday or a day off in lieu ("nghỉ bù", "nghỉ hoán đổi"); `working` = a
 * Saturday or Sunday made a working day ("làm bù"). Admins edit it (PUT/DELETE /api/calendar/days).
 *
 * Preloaded below, from the Labour Code 2019 Art. 112 (the statutory days) and the Government's
 * notices for 2026 as reported in the press: Tết Dương lịch 1–4/01/2026 with Friday 02/01 swapped
 * for Saturday 10/01 (VPCP 12729/VPCP-KGVX, 25/12/2025); Tết Nguyên đán 14–22/02/2026 and Quốc
 * khánh 29/08–02/09/2026 with Monday 31/08 swapped for Saturday 22/08 (the Prime Minister's
 * decision of 13/10/2025); Giỗ Tổ Hùng Vương on Sunday 26/04/2026, off in lieu Monday 27/04. The 2027
 * days are PROVISIONAL — the statutory days and the days off in lieu the Code gives when a holiday
 * falls on a weekend, as no notice was known when this was written: Tết Nguyên đán around mùng 1 =
 * Saturday 06/02/2027 (off Friday 05/02 and Monday 08/02 to Thursday 11/02), Giỗ Tổ 16/04, 30/04,
 * 01/05 (a Saturday: off in lieu Monday 03/05), Quốc khánh 02–03/09. Admins must check every year
 * against the Government's annual notice (and add e.g. Ngày Văn hóa Việt Nam 24/11 once the Code
 * makes it a day off). Frozen once merged: later years are data entered by admins.
 */
export const PRELOADED_DAYS: readonly { date: string; kind: 'holiday' | 'working'; name: string }[] = [
  { date: '2026-01-01', kind: 'holiday', name: 'Tết Dương lịch' },
  { date: '2026-01-02', kind: 'holiday', name: 'Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/01/2026)' },
  { date: '2026-01-10', kind: 'working', name: 'Làm bù cho ngày 02/01/2026 (Tết Dương lịch)' },
  { date: '2026-02-16', kind: 'holiday', name: 'Tết Nguyên đán Bính Ngọ (29 tháng Chạp)' },
  { date: '2026-02-17', kind: 'holiday', name: 'Tết Nguyên đán Bính Ngọ (mùng 1)' },
  { date: '2026-02-18', kind: 'holiday', name: 'Tết Nguyên đán Bính Ngọ (mùng 2)' },
  { date: '2026-02-19', kind: 'holiday', name: 'Tết Nguyên đán Bính Ngọ (mùng 3)' },
  { date: '2026-02-20', kind: 'holiday', name: 'Tết Nguyên đán Bính Ngọ (mùng 4)' },
  { date: '2026-04-26', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
  { date: '2026-04-27', kind: 'holiday', name: 'Nghỉ bù Giỗ Tổ Hùng Vương' },
  { date: '2026-04-30', kind: 'holiday', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước' },
  { date: '2026-05-01', kind: 'holiday', name: 'Ngày Quốc tế Lao động' },
  { date: '2026-08-22', kind: 'working', name: 'Làm bù cho ngày 31/08/2026 (Quốc khánh)' },
  { date: '2026-08-31', kind: 'holiday', name: 'Nghỉ hoán đổi Quốc khánh (làm bù thứ Bảy 22/08/2026)' },
  { date: '2026-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' },
  { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' },
  { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch' },
  { date: '2027-02-05', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi (giao thừa) — dự kiến' },
  { date: '2027-02-06', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi (mùng 1)' },
  { date: '2027-02-07', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi (mùng 2)' },
  { date: '2027-02-08', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi (mùng 3) — dự kiến' },
  { date: '2027-02-09', kind: 'holiday', name: 'Tết Nguyên đán Đinh Mùi (mùng 4) — dự kiến' },
  { date: '2027-02-10', kind: 'holiday', name: 'Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy) — dự kiến' },
  { date: '2027-02-11', kind: 'holiday', name: 'Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật) — dự kiến' },
  { date: '2027-04-16', kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
  { date: '2027-04-30', kind: 'holiday', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước' },
  { date: '2027-05-01', kind: 'holiday', name: 'Ngày Quốc tế Lao động' },
  { date: '2027-05-03', kind: 'holiday', name: 'Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy)' },
  { date: '2027-09-02', kind: 'holiday', name: 'Quốc khánh' },
  { date: '2027-09-03', kind: 'holiday', name: 'Quốc khánh (ngày liền kề) — dự kiến' },
]

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'working')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 200`))
    .addColumn('updated_by', 'integer', (c) => c.references('staff.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.insertInto('calendar_days').values(PRELOADED_DAYS.map((d) => ({ ...d }))).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_days').execute()
}
