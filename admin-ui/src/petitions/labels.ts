import type { InferResponseType } from 'hono/client'
import type { client } from '../client'

/** A petition as `GET /api/petitions` lists it (the server's zod schema, through the typed client). */
export type Petition = InferResponseType<typeof client.api.petitions.$get, 200>[number]

/** A petition's status in Vietnamese and English. */
export const PETITION_STATUS: Record<Petition['status'], [string, string]> = {
  OPEN: ['chờ trả lời', 'waiting for an answer'],
  ACCEPTED: ['được chấp nhận', 'accepted'],
  REJECTED: ['không được chấp nhận', 'rejected'],
}
