import type { Context } from 'hono'
import { endTime, startTime } from 'hono/timing'

/**
 * One step of an answer, measured for the `Server-Timing` header (SERVER_TIMING=1; hono/timing):
 * `session`, `read`, `update`, `write` and the whole `total` show where an action's time goes.
 */
export async function timedStep<T>(c: Context, name: string, step: () => Promise<T>): Promise<T> {
  startTime(c, name)
  try {
    return await step()
  } finally {
    endTime(c, name)
  }
}
