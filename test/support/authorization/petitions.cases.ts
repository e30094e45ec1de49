import type { Case, MatrixContext } from './context.js'

/** The petitions routes in the authorization matrix. */
export const petitionsCases = (_ctx: MatrixContext): Case[] => []
