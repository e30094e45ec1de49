import type { InferResponseType } from 'hono/client'
import type { client } from '../client'
import { type Lang, tr } from '../i18n'

/** A petition as `GET /api/petitions` lists it (the server's zod schema, through the typed client). */
export type Petition = InferResponseType<typeof client.api.petitions.$get, 200>[number]

/** A petition's status as people read it. */
export const petitionStatus = (lang: Lang, status: Petition['status']) => tr(lang, `petitionsPage.status.${status}`)
