import { monitorEventLoopDelay } from 'node:perf_hooks'
import jsonLogic from 'json-logic-js'
import { nd335RuleSet } from '../rules/defaults.js'
import { evaluateRuleSet } from '../rules/evaluate.js'
import type { RuleSetDefinition } from '../rules/ruleset.types.js'
import { compareYielding } from '../server/rulesets/simulate.service.js'
import { sampleMembers, sampleSide } from '../server/rulesets/simulation.sample.js'
import { environment, fmt, percentile, timed, timedSync } from './stats.js'

const ROUNDS = 3

/**
 * `npm run bench -- rules [--evaluations N]`: evaluations per second of the full NĐ 335 set and the
 * wall time of `simulate` on N synthetic evaluations (as the API runs it, handing the event loop
 * back between slices: the first run of the process, then the median of three), each beside raw
 * json-logic-js applying the same formulas in the same run.
 */
export async function rulesBench(count: number, json = false): Promise<void> {
  // With --json the human-readable lines go to stderr and stdout carries one JSON line.
  const print = json ? (line: string) => console.error(line) : (line: string) => console.log(line)
  const def = nd335RuleSet()
  const members = sampleMembers(count)
  const inputs = members.map((m) => ({ ...m.data, ...(m.adjustments ?? {}), role: m.ruleRole }))
  print(`\n# rules benchmark — ${count.toLocaleString('vi-VN')} synthetic evaluations, Node ${process.version}\n`)

  const raw = () => {
    for (const input of inputs) {
      const scope: Record<string, unknown> = { ...input }
      for (const c of def.computed) if ('formula' in c) scope[c.key] = jsonLogic.apply(c.formula as jsonLogic.RulesLogic, scope)
    }
  }
  // What the product does when it scores a submission (scoreDocument after validation): values,
  // requirements, notes, bands, overrides and the trace every stored score keeps (explain is the default).
  const full = () => {
    for (const input of inputs) evaluateRuleSet(def, input)
  }
  raw() // warm both paths up once
  full()
  // Alternating rounds, each path's median: a burst of load from other processes slows both alike.
  const rawRuns: number[] = []
  const fullRuns: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    rawRuns.push(timedSync(raw)[1])
    fullRuns.push(timedSync(full)[1])
  }
  const rawMs = percentile(rawRuns, 50)
  const fullMs = percentile(fullRuns, 50)

  const candidate: RuleSetDefinition = { ...def, bands: [{ level: 'HTXS', min: 85 }, { level: 'HTT', min: 70 }, { level: 'HT', min: 50 }, { level: 'KHT', min: null }] }
  const simulate = (c: RuleSetDefinition, id: number) => timed(() => compareYielding(1, sampleSide(def, 1), sampleSide(c, id), members, new Map()))
  // The first simulation of a process compiles and optimises its code paths: shown apart, as a server's first one is.
  const [report, simColdMs] = await simulate(candidate, 2)
  const simRuns: number[] = []
  // The longest the event loop waited during the warm runs: how long a simulation holds up the API's other requests.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  for (let round = 0; round < ROUNDS; round++) simRuns.push((await simulate(candidate, 2))[1])
  loopDelay.disable()
  const blockMs = loopDelay.max / 1e6
  const simMs = percentile(simRuns, 50)
  // A candidate that changes a formula: no value is shared between the versions (run second, so warmer).
  const [, simFormulaMs] = await simulate(formulaChanged(def), 3)
  const [, rawTwiceMs] = timedSync(() => {
    raw()
    raw()
  })

  const perSecond = (ms: number) => count / (ms / 1000)
  print(`${'measure'.padEnd(40)} ${'ours'.padStart(12)}   ${'raw json-logic'.padStart(14)}   ratio`)
  print(`${'evaluations per second (median of 3)'.padEnd(40)} ${fmt(perSecond(fullMs), 0).padStart(12)}   ${fmt(perSecond(rawMs), 0).padStart(14)}   ${fmt(perSecond(fullMs) / perSecond(rawMs), 2)}×`)
  print(`${`simulate ${count.toLocaleString('vi-VN')} (s), median of 3`.padEnd(40)} ${fmt(simMs / 1000, 2).padStart(12)}   ${fmt(rawTwiceMs / 1000, 2).padStart(14)}   ${fmt(simMs / rawTwiceMs, 2)}×   (target < 1 s; ${fmt(Math.min(...simRuns) / 1000, 2)}–${fmt(Math.max(...simRuns) / 1000, 2)})`)
  print(`${`simulate ${count.toLocaleString('vi-VN')} (s), first run`.padEnd(40)} ${fmt(simColdMs / 1000, 2).padStart(12)}   ${fmt(rawTwiceMs / 1000, 2).padStart(14)}   ${fmt(simColdMs / rawTwiceMs, 2)}×`)
  print(`${`simulate, a formula changed (s)`.padEnd(40)} ${fmt(simFormulaMs / 1000, 2).padStart(12)}`)
  print(`${`simulate, longest event-loop block (ms)`.padEnd(40)} ${fmt(blockMs, 0).padStart(12)}`)
  print(`  (simulate = score every evaluation with both versions — inputs validated once, values computed once where the formulas agree — leaders bottom-up, quota and ranks twice, the event loop handed back between steps; the first candidate changes the bands: ${report.summary.up + report.summary.down} change band)`)
  const figures = {
    suite: 'rules',
    evaluations: count,
    evalsPerSecond: perSecond(fullMs),
    rawEvalsPerSecond: perSecond(rawMs),
    evalRatio: perSecond(fullMs) / perSecond(rawMs),
    simulateSeconds: simMs / 1000,
    simulateColdSeconds: simColdMs / 1000,
    simulateFormulaChangeSeconds: simFormulaMs / 1000,
    simulateMaxBlockMs: blockMs,
    rawTwiceSeconds: rawTwiceMs / 1000,
    ...environment('none'),
  }
  if (json) console.log(JSON.stringify(figures))
}

/** The rule set with its task formula changed (0,7 × the mean of a, b, c): a candidate whose values share nothing with its base. */
export function formulaChanged(def: RuleSetDefinition): RuleSetDefinition {
  return { ...def, computed: def.computed.map((c) => (c.key === 'task' && 'formula' in c ? { ...c, formula: { '*': [0.7, { '/': [{ '+': [{ var: 'a' }, { var: 'b' }, { var: 'c' }] }, 3] }] } } : c)) }
}
