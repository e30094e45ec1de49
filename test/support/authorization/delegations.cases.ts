import type { Case, MatrixContext } from './context.js'

/** The delegations routes in the authorization matrix (slot). */
export const delegationsCases = (_ctx: MatrixContext): Case[] => []
