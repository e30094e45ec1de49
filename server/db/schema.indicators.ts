/** Tables of the indicators feature; see migration 2026-12-01-011-indicators. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IndicatorsTables {}
