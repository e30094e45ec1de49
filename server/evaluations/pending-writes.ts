/**
 * Read-model writes this API process has started after answering: an action is answered once
 * its workflow has recorded it, and its row is written right after. Every request first waits
 * for the writes still running, so whoever acted sees the result on their next request.
 */
export class PendingWrites {
  readonly #running = new Set<Promise<void>>()

  /**
   * Starts a write once the current answer is on its way (PGlite runs on this thread: writing
   * first would hold the answer back). A failure is reported, not thrown: the workflow's backstop
   * writes it then.
   */
  start(write: () => Promise<unknown>, onError: (err: unknown) => void): void {
    const running: Promise<void> = new Promise((resolve) => setImmediate(resolve)).then(write).then(
      () => {},
      (err: unknown) => onError(err),
    )
    this.#running.add(running)
    void running.finally(() => this.#running.delete(running))
  }

  /** Resolves once every write started so far has finished. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all([...this.#running])
  }
}
