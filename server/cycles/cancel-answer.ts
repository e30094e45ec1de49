/** How long a cancel's answer waits for every evaluation to be cancelled before it answers "under way" (202). */
export const CANCEL_ANSWER_MS = 3_000
/** How often the read model is looked at meanwhile. */
const LOOK_EVERY_MS = 250

/**
 * Waits for a cancel the cycle's workflow has accepted. A small cycle is cancelled within a moment:
 * 'done'. A province's cycle takes minutes (every evaluation decides its own cancellation, 64 at a
 * time): once `quickMs` has passed and the read model shows the cancel running (CANCELLING), the
 * answer is 'under way' — the admin follows it on the cycle's page instead of holding a request open.
 * `finished` settles when the workflow has cancelled everything, or fails (the caller's deadline included).
 */
export async function awaitCancel(finished: Promise<unknown>, status: () => Promise<string>, quickMs = CANCEL_ANSWER_MS): Promise<'done' | 'under way'> {
  const done = finished.then(() => 'done' as const)
  const pause = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))
  if (await Promise.race([done, pause(quickMs)])) return 'done'
  for (;;) {
    const shown = await status()
    if (shown === 'CANCELLED') return 'done'
    if (shown === 'CANCELLING') return 'under way'
    // Still waiting for the launch or a unit action to end before the evaluations are cancelled: wait on, up to the deadline.
    if (await Promise.race([done, pause(LOOK_EVERY_MS)])) return 'done'
  }
}
