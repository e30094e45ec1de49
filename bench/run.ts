import { cycleBench } from './cycle.bench.js'
import { resultsFile, runAll } from './results.js'
import { rulesBench } from './rules.bench.js'
import { scaleBench } from './scale.bench.js'
import { worklogBench } from './worklog.bench.js'

/**
 * `npm run bench -- <suite> [--staff N] [--json]`: prints figures beside baselines measured in the
 * same run; never fails on timing. `npm run bench -- all [--runs 3]` runs the suites of minutes
 * (rules, worklog, cycle) that many times, each in a fresh process, and writes bench/results.json
 * (median and spread per figure); `npm run bench -- <suite> --runs N` one suite, into bench/results.<suite>.json.
 */
async function run(): Promise<void> {
  const args = process.argv.slice(2)
  const suite = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'cycle'
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? Number(args[i + 1]) : fallback
  }
  const json = args.includes('--json')
  if (suite === 'all') return runAll(option('runs', 3), json)
  if (args.includes('--runs')) return runAll(option('runs', 3), json, [suite], resultsFile(suite))
  if (suite === 'cycle') return cycleBench(option('staff', 2000), json)
  if (suite === 'rules') return rulesBench(option('evaluations', 50_000), json)
  if (suite === 'worklog') return worklogBench(option('staff', 5000), json)
  if (suite === 'scale') return scaleBench(option('staff', 50_000), json)
  throw new Error(`unknown benchmark "${suite}" (known: all, cycle, rules, worklog, scale)`)
}

run().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
