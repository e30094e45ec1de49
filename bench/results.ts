import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'

/** The suites `all` runs (minutes each); `scale` (half an hour a run) is run on its own: `npm run bench -- scale --runs 3`. */
export const SUITES = ['rules', 'worklog', 'cycle'] as const
export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url))
/** Where `--runs` writes: `all` → bench/results.json, one suite → bench/results.<suite>.json. */
export const resultsFile = (suite: string) => (suite === 'all' ? RESULTS_FILE : fileURLToPath(new URL(`./results.${suite}.json`, import.meta.url)))

/** One figure over the runs: the median and the spread (lowest, highest). */
export interface Figure {
  median: number
  min: number
  max: number
  runs: number[]
}

export interface Results {
  measuredAt: string
  runs: number
  machine: { node: string; cpus: number; cpuModel: string }
  suites: Record<string, { database: string; figures: Record<string, Figure> }>
  /** The file's earlier measurements (other days, other machines of the kind), oldest first: each figure's runs. */
  earlier?: Earlier[]
}

/** An earlier measurement kept beside the latest one: when, on what, and each figure's runs by suite. */
export interface Earlier {
  measuredAt: string
  machine: Results['machine']
  suites: Record<string, Record<string, number[]>>
}

/** Measurements kept in a results file beside the latest (older ones are dropped). */
const EARLIER_KEPT = 10

/** The results to write, with the file's previous measurement moved into `earlier` (pure). */
export function withEarlier(latest: Results, previous: Results | undefined): Results {
  if (!previous) return latest
  const moved: Earlier = {
    measuredAt: previous.measuredAt,
    machine: previous.machine,
    suites: Object.fromEntries(Object.entries(previous.suites).map(([suite, { figures }]) => [suite, Object.fromEntries(Object.entries(figures).map(([key, f]) => [key, f.runs]))])),
  }
  return { ...latest, earlier: [...(previous.earlier ?? []), moved].slice(-EARLIER_KEPT) }
}

/** Median and spread of each numeric figure across runs (pure). */
export function summarise(lines: Record<string, unknown>[]): Record<string, Figure> {
  const keys = Object.keys(lines[0] ?? {}).filter((k) => lines.every((l) => typeof l[k] === 'number'))
  return Object.fromEntries(keys.map((k) => [k, figure(lines.map((l) => l[k] as number))]))
}

/** One figure's runs: their median and spread (pure). */
export function figure(runs: number[]): Figure {
  const sorted = [...runs].sort((a, b) => a - b)
  const mid = sorted.length / 2
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs }
}

/** Runs each suite `runs` times, each in a fresh process (no warm caches carried over), and writes their medians and spreads to `file`. */
export function runAll(runs: number, json: boolean, names: readonly string[] = SUITES, file = RESULTS_FILE): void {
  const suites: Results['suites'] = {}
  for (const suite of names) {
    const lines: Record<string, unknown>[] = []
    for (let i = 1; i <= runs; i++) {
      console.error(`== ${suite} ${i}/${runs}`)
      const run = () => spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL('./run.ts', import.meta.url)), suite, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 })
      let child = run()
      // A process killed by a signal (a V8 fatal error was seen once, "Check failed: jit_page.has_value()") is run again
      // once, and said so; a suite that fails on its own (exit code) stops the run.
      if (child.status === null) {
        console.error(`== ${suite} ${i}/${runs}: the process died (${child.signal}); running it again`)
        child = run()
      }
      if (child.status !== 0) throw new Error(`bench ${suite} failed (exit ${child.status})`)
      const last = child.stdout.trim().split('\n').pop()!
      // Each run's line is kept on stderr too, so a later failure loses no figure already measured.
      console.error(last)
      lines.push(JSON.parse(last) as Record<string, unknown>)
    }
    suites[suite] = { database: String(lines[0]!['database']), figures: summarise(lines) }
  }
  const latest: Results = { measuredAt: new Date().toISOString(), runs, machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' }, suites }
  // The measurement it replaces is kept, its runs only: the README shows the spread across machines beside this run's.
  const results = withEarlier(latest, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : undefined)
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  console.error(`written ${file}`)
  if (json) console.log(JSON.stringify(results))
}
