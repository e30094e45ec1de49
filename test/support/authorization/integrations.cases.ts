import type { Case, MatrixContext } from './context.js'

/** The integrations routes in the authorization matrix. */
export const integrationsCases = (_ctx: MatrixContext): Case[] => []
