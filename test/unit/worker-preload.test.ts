import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

/** Runs a line of JavaScript in a Node process started as `npm run worker` starts one (its preload first; the system allocator, so it does not start itself again). */
function inWorkerProcess(line: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--import', './workflows/worker.preload.ts', '-e', line], { env: { ...process.env, MALLOC: 'system' }, encoding: 'utf8' }).trim()
}

describe('the worker process', () => {
  it('cuts small Buffers from 8 KiB pools: one kept alive by a cached workflow keeps at most 8 KiB, not Node 24’s 64 KiB', () => {
    // What the SDK and the payload codec do per task (small Buffers from Buffer.concat and allocUnsafe),
    // once the pool Node made at start (64 KiB, taken before the preload ran) is used up.
    const line = 'for (let i = 0; i < 300; i++) Buffer.allocUnsafe(256); console.log(JSON.stringify([Buffer.concat([Buffer.from("mã hóa"), Buffer.alloc(200)]).buffer.byteLength, Buffer.allocUnsafe(300).buffer.byteLength]))'
    const kept = JSON.parse(inWorkerProcess(line)) as number[]
    for (const bytes of kept) expect(bytes).toBeLessThanOrEqual(8 * 1024)
    // The same line in a plain Node 24 process: the pool the preload replaces.
    const plain = JSON.parse(execFileSync(process.execPath, ['-e', line], { encoding: 'utf8' })) as number[]
    expect(plain).toEqual([64 * 1024, 64 * 1024])
  })
})
