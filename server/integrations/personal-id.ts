/**
 * The personal identification number (số định danh cá nhân, printed on the chip-based citizen ID
 * card; Nghị định 137/2015/NĐ-CP, Thông tư 59/2021/TT-BCA): 12 digits.
 *
 * * digits 1–3: the code of the province where the birth was registered, 001–096;
 * * digit 4: century of birth and sex — 0/1 = 20th century (1900–1999) male/female, 2/3 = 21st
 *   (2000–2099), 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th;
 * * digits 5–6: the last two digits of the year of birth;
 * * digits 7–12: a random serial.
 *
 * The number carries no check digit, so only its shape can be verified: 12 digits, a province code
 * in range, and a year of birth (century digit + two digits) that is not after `currentYear`.
 */
export type PersonalIdProblem = 'FORMAT' | 'PROVINCE' | 'BIRTH_YEAR'

/** What is wrong with a personal ID, or null when it has the expected structure. */
export function personalIdProblem(value: string, currentYear: number): PersonalIdProblem | null {
  if (!/^\d{12}$/.test(value)) return 'FORMAT'
  const province = Number(value.slice(0, 3))
  if (province < 1 || province > 96) return 'PROVINCE'
  const century = Math.floor(Number(value[3]) / 2)
  const year = 1900 + century * 100 + Number(value.slice(4, 6))
  if (year > currentYear) return 'BIRTH_YEAR'
  return null
}

/** The problem in words (Vietnamese, English). */
export function personalIdMessage(problem: PersonalIdProblem): [string, string] {
  switch (problem) {
    case 'FORMAT':
      return ['số định danh cá nhân gồm đúng 12 chữ số', 'a personal ID is exactly 12 digits']
    case 'PROVINCE':
      return ['3 chữ số đầu (mã tỉnh nơi đăng ký khai sinh) phải từ 001 đến 096', 'the first 3 digits (province code) must be 001–096']
    case 'BIRTH_YEAR':
      return ['chữ số thứ 4–6 (thế kỷ, giới tính, năm sinh) cho năm sinh sau năm hiện tại', 'digits 4–6 (century, sex, year of birth) give a year of birth in the future']
  }
}
