import { promiseHooks } from 'node:v8'
import { isMainThread } from 'node:worker_threads'
import { allocatorChoice } from './allocator.js'

/**
 * Loaded first in a worker process (`node --import`: package.json's `worker`, the
 * tests' worker processes), before the Temporal SDK, in the main thread and again in each
 * workflow thread. It sets up the three things that decide the worker's memory (README, "The
 * worker's memory"):
 *
 * 1. **jemalloc.** The SDK's core (Rust, on its own threads) allocates and frees per workflow task;
 *    with glibc's allocator the freed memory stayed fragmented across arenas: 5,000 staff, 2,500
 *    cached workflows, worker peak 957 MiB of which ~690 MiB outside both V8 heaps (734 MiB with
 *    MALLOC_ARENA_MAX=2), 393 MiB on jemalloc with 2. below. Where the library is installed (Debian:
 *    `libjemalloc2`; JEMALLOC_PATH names another) and not yet loaded, the process starts itself
 *    again in place with it preloaded (`process.execve`: same pid, same flags and arguments).
 *    MALLOC=system keeps the system allocator.
 * 2. **No stack trace per workflow promise.** The SDK keeps a source-mapped stack trace of every
 *    pending promise a workflow creates, so that the "stack trace" query can show where a waiting
 *    workflow waits. A cycle's evaluations wait for weeks: it held ~0,05 MiB per cached workflow
 *    (957 → 834 MiB above) and mapped every new promise's stack through the bundle's source map.
 *    Turned off, the SDK says once per workflow thread that stack trace collection is disabled and
 *    the query answers that it is not enabled. WORKFLOW_STACK_TRACES=1 keeps it, to see where a
 *    stuck workflow waits.
 * 3. **Small Buffers cut from 8 KiB pools, not 64 KiB.** Node 24 raised `Buffer.poolSize` from
 *    8 KiB to 64 KiB, and a small Buffer kept alive keeps its whole pool alive. The SDK keeps each
 *    cached workflow's last task (its encoded completion, its activation's payloads) until the
 *    workflow leaves the cache; while a launch encrypts thousands of starts in the same process,
 *    the pools fill with its garbage between two tasks, so each workflow cached meanwhile held a
 *    pool of its own: ~50 KiB apiece, 26 MiB at 10,000 staff and 105–125 MiB at 50,000, the
 *    worker's peak (README, "Where the 50,000 peak comes from"). With 8 KiB pools: 4–7 MiB at 10,000,
 *    29 MiB at 50,000, and the worker's peak 543 → 414 MiB.
 *    (The pool Node made at start keeps its 64 KiB until it is used up: the next ones are 8 KiB.)
 */

Buffer.poolSize = 8 * 1024

if (isMainThread) {
  const allocator = allocatorChoice(process.env)
  if (allocator.kind === 'preload' && process.execve) {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, LD_PRELOAD: allocator.ldPreload })
  } else if (allocator.kind === 'missing') {
    console.warn('jemalloc not found (Debian: apt-get install libjemalloc2): the worker runs on the system allocator, with about twice the peak memory.')
  }
}

if (process.env['WORKFLOW_STACK_TRACES'] !== '1') {
  promiseHooks.createHook = () => {
    throw new Error('workflow stack traces are off (WORKFLOW_STACK_TRACES=1 keeps them)')
  }
}
