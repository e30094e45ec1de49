import { cycleBench } from './cycle.bench.js'
import { rulesBench } from './rules.bench.js'
import { worklogBench } from './worklog.bench.js'

/** `npm run bench -- <suite> [--staff N] [--json]`: prints figures beside baselines measured in the same run; never fails on timing. */
async function run(): Promise<void> {
  const args = process.argv.slice(2)
  const suite = args.find((a) => !a.startsWith('--')) ?? 'cycle'
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? Number(args[i + 1]) : fallback
  }
  if (suite === 'cycle') return cycleBench(option('staff', 2000), args.includes('--json'))
  if (suite === 'rules') return rulesBench(option('evaluations', 50_000))
  if (suite === 'worklog') return worklogBench(option('staff', 5000))
  throw new Error(`unknown benchmark "${suite}" (known: cycle, rules, worklog)`)
}

run().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
