import type { Context } from 'hono'
import { endTime, startTime, type TimingVariables } from 'hono/timing'

/**
 * One step of an answer, measured for the `Server-Timing` header (SERVER_TIMING=1; hono/timing):
 * `session`, `read`, `update`, `write` and the whole `total` show where an action's time goes.
 * A route mounted without the timing middleware (a feature app on its own, as some tests mount
 * them) just runs the step: hono/timing would warn on every call.
 */
export async function timedStep<T>(c: Context, name: string, step: () => Promise<T>): Promise<T> {
  if (!(c as unknown as Context<{ Variables: TimingVariables }>).get('metric')) return step()
  startTime(c, name)
  try {
    return await step()
  } finally {
    endTime(c, name)
  }
}
