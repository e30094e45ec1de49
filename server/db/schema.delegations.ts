/** Tables of the delegations feature; see migration 2026-12-01-012-delegations. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DelegationsTables {}
