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
