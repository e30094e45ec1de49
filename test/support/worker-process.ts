import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { TestSystem } from './harness.js'

/** The production worker entry point (`npm run worker`) as a separate OS process, so a test can SIGKILL it. */
export async function spawnWorker(t: TestSystem): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.main.ts'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: t.system.temporalAddress,
      DATABASE_URL: t.config.databaseUrl ?? '',
      TASK_QUEUE: t.config.taskQueue,
      TEMPORAL_NAMESPACE: t.config.temporalNamespace,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const deadline = Date.now() + 60_000
  while (!out.includes('Worker:')) {
    if (child.exitCode !== null) throw new Error(`worker exited early with code ${child.exitCode}: ${out}`)
    if (Date.now() > deadline) throw new Error(`worker did not start: ${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return child
}

export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
}
