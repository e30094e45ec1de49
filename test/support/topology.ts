import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { TestSystem } from './harness.js'

/** One product process of the production topology (`npm run server` or `npm run worker`), its output kept for the report. */
export interface ProductProcess {
  name: string
  child: ChildProcess
  output(): string
}

/** The production entry points as separate OS processes on the test's database and Temporal namespace. */
export function processEnv(t: TestSystem, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: t.system.temporalAddress,
    DATABASE_URL: t.config.databaseUrl ?? '',
    TASK_QUEUE: t.config.taskQueue,
    TEMPORAL_NAMESPACE: t.config.temporalNamespace,
    WEB_APP: '0',
    PAYLOAD_KEY: t.config.payloadKey ?? '',
    ...extra,
  }
}

/** Starts `entry` with tsx (or with `nodeArgs`: none for built code) and waits until it prints `ready` on stdout. */
export async function startProcess(name: string, entry: string, env: NodeJS.ProcessEnv, ready: string, nodeArgs: string[] = ['--import', 'tsx']): Promise<ProductProcess> {
  const child = spawn(process.execPath, [...nodeArgs, entry], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const deadline = Date.now() + 90_000
  while (!out.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`${name} exited early with code ${child.exitCode}: ${out}`)
    if (Date.now() > deadline) throw new Error(`${name} did not start: ${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { name, child, output: () => out }
}

/** `npm run server` on a free port: an API instance of its own. */
export async function startApi(t: TestSystem, name: string): Promise<ProductProcess & { url: string }> {
  const port = await freePort()
  const p = await startProcess(name, 'server/server.main.ts', processEnv(t, { PORT: String(port) }), 'ready')
  return { ...p, url: `http://127.0.0.1:${port}` }
}

/** `npm run worker`: a worker process of its own. */
export function startWorker(t: TestSystem, name: string): Promise<ProductProcess> {
  return startProcess(name, 'workflows/worker.main.ts', processEnv(t), 'Worker:', ['--import', 'tsx', '--import', './workflows/worker.preload.ts'])
}

export async function kill9(p: ProductProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return
  const exited = once(p.child, 'exit')
  p.child.kill('SIGKILL')
  await exited
}

export function alive(p: ProductProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

export interface HttpResult<T = any> {
  status: number
  body: T
}

/** A call over real HTTP to one API instance. */
export async function http<T = any>(base: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text }
}
