import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { figure, resultsFile, type Figure, type Results } from './results.js'

interface Row {
  suite: string
  key: string
  label: string
  digits: number
  unit: string
  target?: string
  /** A baseline figure of the same run: the row shows key ÷ per, run by run. */
  per?: string
}

/** The figures the README shows, in order; ratios are against a baseline measured in the same run. */
const ROWS: Row[] = [
  { suite: 'rules', key: 'evalRatio', label: 'full NĐ 335 evaluations ÷ raw json-logic-js, same formulas', digits: 2, unit: '×', target: '≥ 2×' },
  { suite: 'rules', key: 'evalsPerSecond', label: 'full NĐ 335 evaluations per second', digits: 0, unit: '' },
  { suite: 'rules', key: 'rawEvalsPerSecond', label: 'raw json-logic-js evaluations per second, the machine\'s speed', digits: 0, unit: '' },
  { suite: 'rules', key: 'simulateSeconds', label: 'simulate 50,000 evaluations', digits: 2, unit: ' s', target: '< 1 s' },
  { suite: 'rules', key: 'simulateSeconds', per: 'rawTwiceSeconds', label: 'simulate 50,000 ÷ raw json-logic-js applying both versions\' formulas', digits: 2, unit: '×' },
  { suite: 'rules', key: 'simulateColdSeconds', label: 'simulate 50,000, the first run of the process', digits: 2, unit: ' s' },
  { suite: 'rules', key: 'simulateMaxBlockMs', label: 'simulate 50,000, the longest the API\'s other requests waited', digits: 0, unit: ' ms' },
  { suite: 'worklog', key: 'recordRatio', label: 'record a work item, 50 clients, p50 ÷ bare INSERT route p50', digits: 2, unit: '×', target: '≤ 1,5×' },
  { suite: 'worklog', key: 'recordP50Ms', label: 'record a work item, 50 clients, p50', digits: 1, unit: ' ms' },
  { suite: 'worklog', key: 'summaryRatio', label: 'month summary of 5,000 staff ÷ plain SQL aggregation', digits: 2, unit: '×', target: '≤ 2×' },
  { suite: 'worklog', key: 'summarySeconds', label: 'month summary of 5,000 staff × 60 items', digits: 2, unit: ' s', target: '< 1 s' },
  { suite: 'worklog', key: 'plainSqlSeconds', label: 'the plain SQL aggregation alone (baseline)', digits: 2, unit: ' s' },
  { suite: 'cycle', key: 'launchRatio', label: 'cycle launch rate ÷ bare workflow starts (2,000 staff)', digits: 2, unit: '×', target: '≥ 0,8×' },
  { suite: 'cycle', key: 'actionP50Ratio', label: 'submit/approve p50 ÷ (bare Update + bare write) p50', digits: 2, unit: '×', target: '≤ 1,25×' },
  { suite: 'cycle', key: 'submitP50Ms', label: 'submit over HTTP, p50', digits: 1, unit: ' ms' },
  { suite: 'cycle', key: 'updateRatio', label: 'of an action: its Update ÷ a bare Update (Server-Timing), p50', digits: 2, unit: '×' },
  { suite: 'cycle', key: 'writeRatio', label: 'of an action: its read-model write ÷ a bare single-statement write, p50', digits: 2, unit: '×' },
  { suite: 'cycle', key: 'stepHttpMs', label: 'of an action: HTTP and the client beyond the server\'s own time, p50', digits: 1, unit: ' ms' },
  { suite: 'cycle', key: 'signOffToClassifiedSeconds', label: 'last sign-off → 2,000 classified results', digits: 1, unit: ' s' },
]

/** The province-scale figures (`npm run bench -- scale --runs 3`, bench/results.scale.json). */
const SCALE_ROWS: Row[] = [
  { suite: 'scale', key: 'launchRatio', label: 'launch of 50,000 ÷ bare workflow starts (from run 45: their mean before and after the launch)', digits: 2, unit: '×', target: '≥ 0,8×' },
  { suite: 'scale', key: 'launchRate', label: 'the launch: workflows started a second', digits: 0, unit: '/s' },
  { suite: 'scale', key: 'bareStartRateBefore', label: 'baseline: bare starts a second on the empty server, before the launch', digits: 0, unit: '/s' },
  { suite: 'scale', key: 'bareStartRateAfter', label: 'baseline: bare starts a second on the server the launch left', digits: 0, unit: '/s' },
  { suite: 'scale', key: 'launchCoresTemporal', label: 'cores the dev server used during the launch (of 2)', digits: 2, unit: '' },
  { suite: 'scale', key: 'bareCoresTemporal', label: 'cores the dev server used during the bare starts before it (of 2)', digits: 2, unit: '' },
  { suite: 'scale', key: 'settleSeconds', label: "the launch's backlog worked off (every workflow's first task)", digits: 0, unit: ' s' },
  { suite: 'scale', key: 'inboxP95Ms', label: 'review inbox p95, 50 users', digits: 1, unit: ' ms', target: '< 30 ms' },
  { suite: 'scale', key: 'boardP95Ms', label: 'unit board p95, 50 users', digits: 1, unit: ' ms', target: '< 30 ms' },
  { suite: 'scale', key: 'pkP95Ms', label: 'baseline: one evaluation by id p95, 50 users, beside the inbox and board', digits: 1, unit: ' ms' },
  { suite: 'scale', key: 'inboxP95Ms', per: 'pkP95Ms', label: 'review inbox p95 ÷ the baseline', digits: 2, unit: '×' },
  { suite: 'scale', key: 'resultsP95Ms', label: 'results page p95, 50 users (a page of 50 and the summary)', digits: 1, unit: ' ms', target: '< 30 ms' },
  { suite: 'scale', key: 'resultsPkP95Ms', label: 'baseline: one evaluation by id p95, 50 users, beside the results page', digits: 1, unit: ' ms' },
  { suite: 'scale', key: 'resultsP95Ms', per: 'resultsPkP95Ms', label: 'results page p95 ÷ its baseline', digits: 2, unit: '×' },
  { suite: 'scale', key: 'rankSeconds', label: 'ranking + classification of 50,000', digits: 2, unit: ' s', target: '< 10 s' },
  { suite: 'scale', key: 'simulateSeconds', label: 'simulate a band change over 50,001 through the API, first time', digits: 2, unit: ' s', target: '< 1 s' },
  { suite: 'scale', key: 'simulateAgainSeconds', label: 'the same, a second time', digits: 2, unit: ' s', target: '< 1 s' },
  { suite: 'scale', key: 'simulateFormulaSeconds', label: 'simulate a formula change over 50,001 through the API (every document read and scored twice)', digits: 2, unit: ' s' },
  { suite: 'scale', key: 'resultsXlsxSeconds', label: 'every result as XLSX through the API', digits: 2, unit: ' s' },
  { suite: 'scale', key: 'apiPeakMiB', label: 'API peak memory (VmHWM)', digits: 0, unit: ' MiB', target: '< 512 MiB' },
  { suite: 'scale', key: 'workerPeakMiB', label: 'worker peak memory (VmHWM)', digits: 0, unit: ' MiB', target: '< 512 MiB' },
]

const vi = (n: number, digits: number) => n.toLocaleString('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** The README's performance table from bench/results.json (pure); `scale`: the province-scale table from bench/results.scale.json. */
export function readmeTable(results: Results, which: 'all' | 'scale' = 'all'): string {
  const { machine } = results
  const file = which === 'all' ? 'bench/results.json' : `bench/results.${which}.json`
  const earlier = results.earlier ?? []
  const dates = earlier.map((e) => e.measuredAt.slice(0, 10))
  const head = [
    `Measured ${results.measuredAt.slice(0, 10)} with \`npm run bench -- ${which} --runs ${results.runs}\` on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; median of ${results.runs} runs, spread = lowest–highest run. Generated by \`npm run bench:readme\` from \`${file}\`.`,
    ...(earlier.length
      ? [`*All recorded runs* = lowest–highest of these runs and the ${earlier.length} earlier measurement${earlier.length > 1 ? 's' : ''} the file keeps (${dates.join(', ')}; machines of this kind, which differ in speed by up to twice): the range a run on another machine of the kind is expected to fall in.`]
      : []),
    '',
    `| measure | median | spread |${earlier.length ? ' all recorded runs |' : ''} target |`,
    `|---|---|---|${earlier.length ? '---|' : ''}---|`,
  ]
  const rows = (which === 'all' ? ROWS : SCALE_ROWS).flatMap((r) => {
    // A suite that was not run has no rows.
    const suite = results.suites[r.suite]
    if (!suite) return []
    const f = figureOf(suite.figures, r)
    if (!f) return []
    const where = suite.database === 'none' ? r.suite : `${r.suite}, ${suite.database}`
    const range = (x: Figure) => `${vi(x.min, r.digits)}–${vi(x.max, r.digits)}${r.unit}`
    // Every run on record: this measurement's and each earlier one's (a ratio per run within each).
    const all = [f, ...earlier.map((e) => figureOf(runsAsFigures(e.suites[r.suite]), r))].filter((x): x is Figure => x !== undefined)
    const recorded = earlier.length ? ` ${range(figure(all.flatMap((x) => x.runs)))} |` : ''
    return [`| ${r.label} (${where}) | ${vi(f.median, r.digits)}${r.unit} | ${range(f)} |${recorded} ${r.target ?? ''} |`]
  })
  return [...head, ...rows].join('\n')
}

/** A row's figure from a measurement's figures: the figure itself, or its ratio to the row's baseline run by run. */
function figureOf(figures: Record<string, Figure> | undefined, r: Row): Figure | undefined {
  if (!figures) return undefined
  return r.per ? perRun(figures[r.key], figures[r.per]) : figures[r.key]
}

/** An earlier measurement's runs as figures (their median and spread). */
function runsAsFigures(runs: Record<string, number[]> | undefined): Record<string, Figure> | undefined {
  if (!runs) return undefined
  return Object.fromEntries(Object.entries(runs).map(([key, values]) => [key, figure(values)]))
}

/** One figure divided by another run by run (each run's ratio), with the median and spread of those ratios. */
function perRun(of: Figure | undefined, by: Figure | undefined): Figure | undefined {
  if (!of || !by || of.runs.length !== by.runs.length) return undefined
  return figure(of.runs.map((x, i) => x / by.runs[i]!))
}

/** `npm run bench:readme`: rewrites the README between the bench markers (and the scale markers, where bench/results.scale.json exists). */
function main(): void {
  const readmePath = fileURLToPath(new URL('../README.md', import.meta.url))
  let readme = readFileSync(readmePath, 'utf8')
  for (const [which, marker] of [['all', 'bench'], ['scale', 'bench-scale']] as const) {
    const file = resultsFile(which)
    if (which === 'scale' && !existsSync(file)) continue
    const start = `<!-- ${marker}:start -->`
    const end = `<!-- ${marker}:end -->`
    const from = readme.indexOf(start)
    const to = readme.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`)
    const table = readmeTable(JSON.parse(readFileSync(file, 'utf8')) as Results, which)
    readme = `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`
    console.log(table)
  }
  writeFileSync(readmePath, readme)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
