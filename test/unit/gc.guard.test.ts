import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { collectNow, EXTERNAL_STEP_BYTES } from '../../workflows/gc.guard.js'

const MiB = 2 ** 20

describe("the worker's buffers are collected as they gather, not when V8 gets to them", () => {
  it('collects once external memory grew by the step since the last collection, whatever stays alive', () => {
    expect(collectNow(10 * MiB + EXTERNAL_STEP_BYTES - 1, 10 * MiB)).toBe(false)
    expect(collectNow(10 * MiB + EXTERNAL_STEP_BYTES, 10 * MiB)).toBe(true)
    // 200 MiB of live buffers after the last collection: no collection until they grow again.
    expect(collectNow(200 * MiB + 1, 200 * MiB)).toBe(false)
  })

  it('frees garbage buffers in a thread started as npm run worker starts it (--expose-gc)', () => {
    // 48 MiB of buffers made garbage at once: fewer than V8 gathers before a full collection of its own.
    const script = `
      import { getHeapStatistics } from 'node:v8'
      import { guardExternalMemory } from './workflows/gc.guard.ts'
      const stop = guardExternalMemory(50)
      const before = getHeapStatistics().external_memory
      let garbage = Array.from({ length: 48 }, () => Buffer.alloc(2 ** 20, 1))
      const held = getHeapStatistics().external_memory
      garbage = null
      setTimeout(() => {
        console.log(JSON.stringify({ before, held, after: getHeapStatistics().external_memory }))
        stop()
      }, 500)`
    const run = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { before: number; held: number; after: number }
    const guarded = run(['--expose-gc'])
    expect(guarded.held - guarded.before).toBeGreaterThan(40 * MiB)
    expect(guarded.after - guarded.before).toBeLessThan(8 * MiB)
    // Without gc exposed the guard does nothing, and V8 keeps the garbage: what the guard is for.
    const unguarded = run([])
    expect(unguarded.after - unguarded.before).toBeGreaterThan(40 * MiB)
  })
})
