/** A cycle that still counts: neither cancelled nor being cancelled (the lists to simulate on or attach figures to). */
export function isLiveCycle(cycle: { status: string }): boolean {
  return cycle.status !== 'CANCELLED' && cycle.status !== 'CANCELLING'
}
