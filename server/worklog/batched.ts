/**
 * Concurrent calls made one: calls that arrive while a batch is in flight wait for it, then go
 * together as one call of `run` (one statement, one round trip, one commit). A lone call goes at
 * once: no timer, no added latency when idle. Under load it is group commit done by the
 * application — for writes that queue on one lock, as audit events do on the audit chain's head,
 * N writes then take the lock and wait for the disk once instead of N times — and it keeps a hot
 * path's reads from queueing one by one for the connection pool.
 *
 * `inFlight` batches may run at once (default 1): with 2, the next batch is on its way while the
 * database works on the previous one.
 *
 * `run` receives the inputs and returns one result per input, in order. When a batch fails with an
 * error that proves nothing was written (`retryAlone`), each input is retried on its own, so one
 * bad input never fails another caller's.
 */
export function batched<I, R>(run: (inputs: I[]) => Promise<R[]>, options: { maxBatch?: number; inFlight?: number; retryAlone?: (err: unknown) => boolean } = {}): (input: I) => Promise<R> {
  const maxBatch = options.maxBatch ?? 100
  const inFlight = options.inFlight ?? 1
  const queue: { input: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  let flushing = 0

  async function runBatch(batch: typeof queue): Promise<void> {
    try {
      const results = await run(batch.map((w) => w.input))
      batch.forEach((w, i) => w.resolve(results[i]!))
    } catch (err) {
      if (batch.length > 1 && options.retryAlone?.(err)) await Promise.all(batch.map((w) => runBatch([w])))
      else for (const w of batch) w.reject(err)
    }
  }

  async function flush(): Promise<void> {
    flushing++
    while (queue.length) await runBatch(queue.splice(0, maxBatch))
    flushing--
  }

  return (input) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ input, resolve, reject })
      if (flushing < inFlight) void flush()
    })
}
