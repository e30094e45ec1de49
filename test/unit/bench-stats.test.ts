import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { cpuWindow } from '../../bench/stats.js'

describe("the scale bench's cores per process", () => {
  it("counts a process's CPU time as Node itself counts it, and a sleeping process's as none", async () => {
    const sleeper = spawn('sleep', ['5'])
    try {
      // Once it is asleep: its own start (exec, loading) is not in the window.
      await once(sleeper, 'spawn')
      await new Promise((r) => setTimeout(r, 200))
      const cores = cpuWindow({ self: () => [process.pid], sleeper: () => [sleeper.pid!] })
      const before = process.cpuUsage()
      const start = performance.now()
      while (performance.now() - start < 400);
      const used = process.cpuUsage(before)
      const measured = cores()
      const seconds = (performance.now() - start) / 1000
      // Node's own count over the same window, in cores; /proc counts in 10 ms ticks (two of them either side).
      const expected = (used.user + used.system) / 1e6 / seconds
      expect(measured['self']).toBeGreaterThan(0.1)
      expect(Math.abs(measured['self']! - expected)).toBeLessThanOrEqual(0.04 / seconds)
      expect(measured['sleeper']).toBe(0)
    } finally {
      sleeper.kill()
      await once(sleeper, 'exit')
    }
  })

  it('counts a process gone before the window ends as none, never below zero', async () => {
    const child = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 200);'])
    // The window opens once it has used some CPU, and closes after it has exited.
    await new Promise((r) => setTimeout(r, 150))
    const cores = cpuWindow({ gone: () => [child.pid!] })
    await once(child, 'exit')
    expect(cores()['gone']).toBe(0)
  })
})
