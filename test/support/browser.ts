import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { listen } from '../../server/http/serve.js'
import { freePort } from '../../server/temporal/temporal-cli.js'
import { DEMO_PASSWORD, eventually, startTestSystem, type TestSystem } from './harness.js'
import type { TestLabel } from './namespaces.js'
import { buildWebApp } from './web-build.js'

/** Debian's Chromium, driven by playwright-core (nothing is downloaded by a test tool). */
export const CHROMIUM = '/usr/bin/chromium'

/** The real server and web app on a port of their own, and a headless Chromium to drive them. */
export interface BrowserSystem {
  t: TestSystem
  browser: Browser
  base: string
  /** A fresh browser session signed in as the user, on the home page. */
  signIn(username: string, password?: string, width?: number): Promise<Page>
  /** A full-page screenshot into the test's artifacts folder. */
  shot(page: Page, name: string): Promise<Buffer>
  stop(): Promise<void>
}

/** Builds the web app as users get it, starts the test system (label: its Temporal namespace) and Chromium. */
export async function startBrowserSystem(label: TestLabel, artifacts: string): Promise<BrowserSystem> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is required for the browser tests: install Debian's package (apt-get install chromium); ${CHROMIUM} is missing`)
  mkdirSync(artifacts, { recursive: true })
  const webDir = await buildWebApp()
  const t = await startTestSystem({ label })
  const port = await freePort()
  const http = await listen(t.system.app, port, true, webDir)
  const base = `http://127.0.0.1:${port}`
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  return {
    t,
    browser,
    base,
    async signIn(username, password = DEMO_PASSWORD, width = 1024) {
      const page = await (await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN' })).newPage()
      await page.goto(base)
      await page.fill('input[autocomplete=username]', username)
      await page.fill('input[type=password]', password)
      await page.click('button[type=submit]')
      await page.waitForSelector('text=Việc cần xử lý')
      return page
    },
    shot: (page, name) => page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true }),
    async stop() {
      await browser.close()
      await http.close()
      await t.stop()
      rmSync(webDir, { recursive: true, force: true })
    },
  }
}

/** Launches a cycle over one unit as the admin and waits until it is open; its id. */
export async function openCycle(t: TestSystem, admin: string, unitId: number, input: { name: string; periodKind: 'month' | 'quarter'; periodStart: string; periodEnd: string }): Promise<number> {
  const launched = await t.api('POST', '/api/cycles', admin, { ...input, ruleSetId: 1, unitIds: [unitId] })
  if (launched.status !== 201) throw new Error(`launch: ${launched.status} ${JSON.stringify(launched.body)}`)
  await eventually(async () => (await t.api('GET', `/api/cycles/${launched.body.id}`, admin)).body.status === 'OPEN', 60_000, 'cycle open')
  return launched.body.id
}
