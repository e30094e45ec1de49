import { z } from 'zod'

/** A database id: a positive 32-bit integer (larger numbers would overflow PostgreSQL's integer). */
export const dbId = z.number().int().positive().max(2_147_483_647)

/** The same, from a query string. */
export const dbIdQuery = z.coerce.number().int().positive().max(2_147_483_647)
