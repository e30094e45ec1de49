import type { Case, MatrixContext } from './context.js'

/** The indicators routes in the authorization matrix (slot). */
export const indicatorsCases = (_ctx: MatrixContext): Case[] => []
