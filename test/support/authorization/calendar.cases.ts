import type { Case, MatrixContext } from './context.js'

/** The calendar routes in the authorization matrix. */
export const calendarCases = (_ctx: MatrixContext): Case[] => []
