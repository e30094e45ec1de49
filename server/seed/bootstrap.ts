import { readFileSync } from 'node:fs'
import { defaultRuleSets } from '../../rules/defaults.js'
import { generatePassword } from '../auth/password.js'
import type { Db } from '../db/database.js'
import { parseCsv } from '../org/csv.js'
import { createStaff, createUnits, linkUnitHeads, staffFromCsvRow } from '../org/org.service.js'
import { createDraft, publishRuleSet } from '../rulesets/ruleset.repo.js'
import { addProductVersions, productFromRow, productInput } from '../worklog/catalogue.repo.js'

/** The demo catalogue applies from the start of the year. */
const DEMO_CATALOGUE_FROM = '2026-01-01'

const demo = (name: string) => readFileSync(new URL(`./demo/${name}`, import.meta.url), 'utf8')

export interface BootstrapResult {
  created: boolean
  adminPassword?: string
  demoPassword?: string
  demoUsers?: { username: string; fullName: string; roles: string }[]
}

/**
 * First start on an empty database: the admin account, the default rule set (published) and,
 * unless disabled, the demo organisation. Does nothing once any account exists.
 */
export async function bootstrap(db: Db, options: { adminPassword?: string; seedDemo: boolean; demoPassword?: string }): Promise<BootstrapResult> {
  const any = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst()
  if (any) return { created: false }
  const adminPassword = options.adminPassword ?? generatePassword()
  await createStaff(db, [{ username: 'admin', fullName: 'Quản trị hệ thống', roles: ['admin'], password: adminPassword }], null)
  for (const definition of defaultRuleSets()) await publishRuleSet(db, (await createDraft(db, definition, null)).id)
  const result: BootstrapResult = { created: true, ...(options.adminPassword ? {} : { adminPassword }) }
  if (!options.seedDemo) return result

  const units = parseCsv(demo('units.csv'))
  await createUnits(db, units.map((u) => ({ code: u['code']!, name: u['name']!, parentCode: u['parentCode'] || null })), null)
  const demoPassword = options.demoPassword ?? generatePassword()
  const staffRows = parseCsv(demo('staff.csv'))
  await createStaff(db, staffRows.map((r) => ({ ...staffFromCsvRow(r), password: demoPassword })), null)
  await linkUnitHeads(db, units.filter((u) => u['headUsername']).map((u) => ({ code: u['code']!, headUsername: u['headUsername']! })))
  const admin = await db.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  await addProductVersions(db, parseCsv(demo('catalogue.csv')).map((r) => productInput.parse(productFromRow(r, DEMO_CATALOGUE_FROM))), admin.id)
  return { ...result, demoPassword, demoUsers: staffRows.map((r) => ({ username: r['username']!, fullName: r['fullName']!, roles: r['roles']! })) }
}

/** Prints what a new user needs to sign in, once. */
export function printCredentials(result: BootstrapResult, adminFromEnv: boolean): void {
  if (!result.created) return
  console.log('\n=== Tài khoản ban đầu / initial accounts ===')
  console.log(`admin / ${adminFromEnv ? '(ADMIN_PASSWORD)' : result.adminPassword}`)
  if (result.demoUsers) {
    console.log(`Tài khoản mẫu / demo accounts (mật khẩu chung / shared password: ${result.demoPassword}):`)
    for (const u of result.demoUsers) console.log(`  ${u.username.padEnd(18)} ${u.roles.padEnd(16)} ${u.fullName}`)
  }
  console.log('Mật khẩu chỉ in một lần / passwords are printed only once.\n')
}
