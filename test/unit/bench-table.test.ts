import { describe, expect, it } from 'vitest'
import { readmeTable } from '../../bench/readme-table.js'
import { summarise, withEarlier, type Results } from '../../bench/results.js'
import { serverTiming } from '../../bench/stats.js'

describe("the README's benchmark table", () => {
  const runs = [
    { simulateSeconds: 1.0, rawTwiceSeconds: 8.0, evalRatio: 5, evalsPerSecond: 60000, rawEvalsPerSecond: 12000 },
    { simulateSeconds: 0.9, rawTwiceSeconds: 4.5, evalRatio: 4, evalsPerSecond: 70000, rawEvalsPerSecond: 20000 },
    { simulateSeconds: 2.0, rawTwiceSeconds: 10.0, evalRatio: 6, evalsPerSecond: 50000, rawEvalsPerSecond: 10000 },
  ]
  const results: Results = { measuredAt: '2026-12-01T18:00:00Z', runs: 3, machine: { node: 'v24.21.0', cpus: 2, cpuModel: 'AMD EPYC' }, suites: { rules: { database: 'none', figures: summarise(runs) } } }
  const table = readmeTable(results)

  it('gives each figure its median and the spread of the runs, with decimal commas', () => {
    expect(table).toContain('| simulate 50,000 evaluations (rules) | 1,00 s | 0,90–2,00 s | < 1 s |')
    expect(table).toContain('on 2 × AMD EPYC, Node v24.21.0; median of 3 runs')
  })

  it('divides a figure by its baseline run by run, not median by median', () => {
    // Ratios per run: 0,125, 0,2, 0,2 → median 0,20 (the medians' ratio would be 1,0 / 8,0 = 0,125).
    expect(table).toContain("| simulate 50,000 ÷ raw json-logic-js applying both versions' formulas (rules) | 0,20× | 0,13–0,20× |  |")
  })
})

describe('earlier measurements kept beside the latest', () => {
  const measurement = (measuredAt: string, runs: Record<string, number>[]): Results => ({ measuredAt, runs: runs.length, machine: { node: 'v24.21.0', cpus: 2, cpuModel: 'AMD EPYC' }, suites: { worklog: { database: 'postgresql', figures: summarise(runs) } } })
  const first = measurement('2026-12-02T07:00:00Z', [{ recordRatio: 1.12 }, { recordRatio: 1.17 }, { recordRatio: 1.19 }])
  const second = withEarlier(measurement('2026-12-03T09:00:00Z', [{ recordRatio: 1.31 }, { recordRatio: 1.2 }, { recordRatio: 1.25 }]), first)
  const third = withEarlier(measurement('2026-12-04T09:00:00Z', [{ recordRatio: 1.14 }, { recordRatio: 1.15 }, { recordRatio: 1.16 }]), second)

  it('moves the measurement a run replaces into `earlier`, its runs only, oldest first', () => {
    expect(withEarlier(first, undefined)).toEqual(first)
    expect(third.earlier).toEqual([
      { measuredAt: '2026-12-02T07:00:00Z', machine: first.machine, suites: { worklog: { recordRatio: [1.12, 1.17, 1.19] } } },
      { measuredAt: '2026-12-03T09:00:00Z', machine: first.machine, suites: { worklog: { recordRatio: [1.31, 1.2, 1.25] } } },
    ])
  })

  it("shows this measurement's spread beside the spread of every recorded run", () => {
    const table = readmeTable(third)
    expect(table).toContain('the 2 earlier measurements the file keeps (2026-12-02, 2026-12-03;')
    expect(table).toContain('| record a work item, 50 clients, p50 ÷ bare INSERT route p50 (worklog, postgresql) | 1,15× | 1,14–1,16× | 1,12–1,31× | ≤ 1,5× |')
  })
})

describe("the README's province-scale table", () => {
  const runs = [
    { resultsP95Ms: 30, resultsPkP95Ms: 20, apiPeakMiB: 440 },
    { resultsP95Ms: 40, resultsPkP95Ms: 40, apiPeakMiB: 450 },
    { resultsP95Ms: 20, resultsPkP95Ms: 10, apiPeakMiB: 460 },
  ]
  const results: Results = { measuredAt: '2026-12-03T10:00:00Z', runs: 3, machine: { node: 'v24.21.0', cpus: 2, cpuModel: 'AMD EPYC' }, suites: { scale: { database: 'postgresql', figures: summarise(runs) } } }
  const table = readmeTable(results, 'scale')

  it('is generated from the scale runs, each page beside the baseline read in the same run', () => {
    expect(table).toContain('`npm run bench -- scale --runs 3`')
    expect(table).toContain('from `bench/results.scale.json`')
    // Ratios per run: 1,5, 1,0, 2,0 → median 1,50.
    expect(table).toContain('| results page p95 ÷ its baseline (scale, postgresql) | 1,50× | 1,00–2,00× |  |')
    expect(table).toContain('| API peak memory (VmHWM) (scale, postgresql) | 450 MiB | 440–460 MiB | < 512 MiB |')
    // The quick suites' rows are not in it, nor figures the runs did not measure.
    expect(table).not.toContain('(rules)')
    expect(table).not.toContain('launch of 50,000')
  })
})

describe('the Server-Timing header the cycle benchmark reads', () => {
  it("gives each step's duration by name, skipping what carries none", () => {
    expect(serverTiming('session;dur=0.4, read;dur=1.1, update;dur=17.25, write;dur=4.2, total;dur=24.5;desc="API"')).toEqual([
      ['session', 0.4],
      ['read', 1.1],
      ['update', 17.25],
      ['write', 4.2],
      ['total', 24.5],
    ])
    expect(serverTiming('cache;desc="hit", db;dur=2')).toEqual([['db', 2]])
    expect(serverTiming(null)).toEqual([])
  })
})
