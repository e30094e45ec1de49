import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'

/** Percentile of a sample (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** Times a synchronous function (no promise in the measurement). */
export function timedSync<T>(fn: () => T): [T, number] {
  const start = performance.now()
  const value = fn()
  return [value, performance.now() - start]
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await fn()
  return [value, performance.now() - start]
}

/** Runs tasks with bounded concurrency. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++
        await task(items[i]!, i)
      }
    }),
  )
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** The machine a figure was measured on, carried in every suite's JSON line. */
export function environment(database: 'pglite' | 'postgresql' | 'none') {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', database }
}

/** A `Server-Timing` header's durations: `session;dur=0.5, update;dur=17.1, total;dur=24;desc="API"` → [['session', 0.5], …]. */
export function serverTiming(header: string | null): [string, number][] {
  if (!header) return []
  return header.split(',').flatMap((metric) => {
    const [name, ...params] = metric.trim().split(';')
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())?.[1]).find((d) => d !== undefined)
    return name && dur !== undefined ? [[name, Number(dur)] as [string, number]] : []
  })
}

/** CPU time of the whole machine so far (/proc/stat): busy and total, in clock ticks. */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = fields.reduce((sum, n) => sum + n, 0)
  // idle and iowait are the machine waiting.
  return { busy: total - fields[3]! - (fields[4] ?? 0), total }
}

/**
 * Waits until nothing is left to do — `waiting()` (e.g. a task queue's backlog) is 0 and less than
 * `threshold` of the machine's CPUs were busy over two seconds in a row — and returns how long that
 * took (ms), at most `maxMs`. After a launch of 50,000 workflows the worker and the Temporal server
 * work off the workflows' first tasks for minutes: a read measured meanwhile measures that backlog.
 */
export async function untilQuiet(threshold = 0.1, maxMs = 600_000, waiting: () => Promise<number> = () => Promise.resolve(0)): Promise<number> {
  const start = performance.now()
  let quietFor = 0
  let last = cpuTicks()
  while (performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 500))
    const now = cpuTicks()
    const share = (now.busy - last.busy) / Math.max(1, now.total - last.total)
    last = now
    quietFor = share < threshold && (await waiting()) === 0 ? quietFor + 500 : 0
    if (quietFor >= 2000) break
  }
  return performance.now() - start
}

/** CPU time (clock ticks, user + system) of a process so far; 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    // The fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/** Every PostgreSQL server process on this machine (the server and its backends). */
export function postgresPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres'
    } catch {
      return false
    }
  })
}

/**
 * How many cores each group of processes used from now until the returned function is called
 * (1 = one core busy all the time): where a read's time went while it was measured. A group's
 * processes are listed again at the end (a backend started meanwhile counts from its start; one
 * gone meanwhile, as none).
 */
export function cpuWindow(groups: Record<string, () => readonly number[]>): () => Record<string, number> {
  const start = performance.now()
  const before = new Map<number, number>()
  for (const of of Object.values(groups)) for (const pid of of()) before.set(pid, processTicks(pid))
  return () => {
    const seconds = (performance.now() - start) / 1000
    // Linux counts CPU time in USER_HZ = 100 ticks a second.
    // A process gone meanwhile counts as none (its last figures went with it), never below zero.
    const used = (pids: readonly number[]) => [...new Set(pids)].reduce((sum, pid) => sum + Math.max(0, processTicks(pid) - (before.get(pid) ?? 0)), 0)
    return Object.fromEntries(Object.entries(groups).map(([name, of]) => [name, used(of()) / 100 / seconds]))
  }
}
