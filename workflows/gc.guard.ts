import { getHeapStatistics } from 'node:v8'

/**
 * How much memory outside the V8 heap (ArrayBuffers, Buffers) a thread may gather before it is
 * collected. Left to V8, the worker's main thread gathered ~105 MiB of them while launching 50,000
 * workflows (the Temporal client's requests and answers, all garbage) before its next full
 * collection: that was the worker's peak.
 */
export const EXTERNAL_STEP_BYTES = 16 * 2 ** 20

/**
 * Whether to collect now: the thread's external memory grew by `step` or more since it was last
 * measured after a collection (`floor`). Relative, so buffers that stay alive never make it
 * collect again and again.
 */
export function collectNow(external: number, floor: number, step: number = EXTERNAL_STEP_BYTES): boolean {
  return external - floor >= step
}

/**
 * In this thread, a full collection whenever its external memory grew by `step` since the last
 * one (checked every `everyMs`; the timer keeps no thread alive). Needs `gc` (node --expose-gc);
 * without it nothing happens. Returns a stop function.
 */
export function guardExternalMemory(everyMs = 1000, step = EXTERNAL_STEP_BYTES): () => void {
  const gc = globalThis.gc
  if (typeof gc !== 'function') return () => {}
  let floor = getHeapStatistics().external_memory
  const timer = setInterval(() => {
    if (!collectNow(getHeapStatistics().external_memory, floor, step)) return
    gc()
    floor = getHeapStatistics().external_memory
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
