import type { InferResponseType } from 'hono/client'
import type { client } from '../client'

/**
 * What the integrations' routes answer, from the server's zod schemas through the typed client
 * (server/integrations/integrations.schemas.ts): nothing here is written by hand.
 */
type Integrations = (typeof client)['api']['integrations']

export type SystemView = InferResponseType<Integrations['systems']['$get'], 200>[number]
export type KeyView = SystemView['keys'][number]
export type IssuedKey = InferResponseType<Integrations['systems'][':id']['keys']['$post'], 201>
export type CallView = InferResponseType<Integrations['calls']['$get'], 200>[number]
export type SyncStatus = InferResponseType<Integrations['national-db']['status']['$get'], 200>
/** A cycle's indicators, or a launch's (the preview has no cycleId). */
export type CoverageView = InferResponseType<Integrations['indicators']['preview']['$get'], 200>
export type IndicatorCoverageView = CoverageView['indicators'][number]
export type CoverageSubject = IndicatorCoverageView['missing'][number]
