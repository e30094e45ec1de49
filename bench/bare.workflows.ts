import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow'

/** Baselines for the benchmark: the cheapest workflow start and Update the server can do. */
export const pingUpdate = defineUpdate<number, [number]>('ping')
export const doneSignal = defineSignal('done')

/** The empty workflow: started and completed, nothing else. */
export async function emptyWorkflow(): Promise<void> {}

export async function bareWorkflow(): Promise<void> {
  let done = false
  setHandler(pingUpdate, (n) => n)
  setHandler(doneSignal, () => void (done = true))
  await condition(() => done)
}
