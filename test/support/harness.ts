import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker'
import { loadConfig, type Config } from '../../server/config.js'
import { bootstrap } from '../../server/seed/bootstrap.js'
import { startSystem, type System } from '../../server/system.js'
import { bundleWorkflows } from '../../workflows/worker.js'
import { createTestDatabase } from './database.js'
import type { TestLabel } from './namespaces.js'

export const ADMIN_PASSWORD = 'admin-pass-123'
export const DEMO_PASSWORD = 'demo-pass-123'
/** The payload key of every test system and product process: Temporal sees only ciphertext, as in production. */
export const TEST_PAYLOAD_KEY = Buffer.alloc(32, 7).toString('base64')

export interface ApiResponse<T = any> {
  status: number
  body: T
}

export interface TestSystem {
  system: System
  config: Config
  /** Calls the API in-process (no port), as the given user (token) or anonymously. */
  api<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<ApiResponse<T>>
  login(username: string, password?: string): Promise<string>
  stop(): Promise<void>
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined

/**
 * The real product against the suite's Temporal dev server and a fresh PostgreSQL database
 * (or PGlite in a temporary folder), with the demo organisation seeded.
 */
export async function startTestSystem(options: { label: TestLabel; pglite?: boolean; worker?: boolean; seedDemo?: boolean; actionDeadlineMs?: number; temporalAddress?: string }): Promise<TestSystem> {
  const database = options.pglite ? undefined : await createTestDatabase(options.label)
  const dataDir = mkdtempSync(join(tmpdir(), `kpi-${options.label}-`))
  const config: Config = {
    ...loadConfig({ PAYLOAD_KEY: TEST_PAYLOAD_KEY }),
    dataDir,
    databaseUrl: database?.url,
    temporalAddress: options.temporalAddress ?? inject('temporalAddress'),
    temporalNamespace: `test-${options.label}`,
    ...(options.actionDeadlineMs ? { actionDeadlineMs: options.actionDeadlineMs } : {}),
    taskQueue: `test-${options.label}-${randomBytes(3).toString('hex')}`,
  }
  bundle ??= bundleWorkflows()
  const system = await startSystem(config, { worker: options.worker ?? true, bundle: await bundle })
  await bootstrap(system.db, { adminPassword: ADMIN_PASSWORD, seedDemo: options.seedDemo ?? true, demoPassword: DEMO_PASSWORD })
  const tokens = new Map<string, string>()
  const api = async (method: string, path: string, token?: string, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {}
    if (token) headers['authorization'] = `Bearer ${token}`
    let payload: BodyInit | undefined
    if (typeof body === 'string') {
      headers['content-type'] = 'text/csv'
      payload = body
    } else if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      payload = new Blob([body as Uint8Array<ArrayBuffer>])
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    }
    const res = await system.app.request(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) })
    const text = await res.text()
    const json = (res.headers.get('content-type') ?? '').includes('application/json')
    return { status: res.status, body: text ? (json ? JSON.parse(text) : text) : null }
  }
  return {
    system,
    config,
    api,
    async login(username, password) {
      const cached = tokens.get(username)
      if (cached) return cached
      const res = await api('POST', '/api/auth/login', undefined, { username, password: password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) })
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`)
      tokens.set(username, res.body.token)
      return res.body.token
    },
    async stop() {
      await system.stop()
      await database?.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Polls until the check returns a value (or throws after the timeout, with the last value seen). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    last = await check()
    if (last) return last as T
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
