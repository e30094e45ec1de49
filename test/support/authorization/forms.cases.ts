import type { Case, MatrixContext } from './context.js'

/** The forms routes in the authorization matrix. */
export const formsCases = (_ctx: MatrixContext): Case[] => []
