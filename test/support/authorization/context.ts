import type { ApiResponse, TestSystem } from '../harness.js'

export const PERSONAS = ['anonymous', 'admin', 'leaderIn', 'leaderOut', 'headOwn', 'headOther', 'staff', 'otherStaff'] as const
export type Persona = (typeof PERSONAS)[number]
export const SIGNED_IN = PERSONAS.filter((p) => p !== 'anonymous')

/** One route of the matrix: how to call it, and who may (everyone else must be refused). */
export interface Case {
  route: string
  call: (token: string | undefined) => Promise<ApiResponse>
  /** Who may use it; everyone else must be refused. 'public' routes answer anonymous callers too. */
  allow: readonly Persona[] | 'public'
}

/**
 * What the matrix's fixture holds, for a feature's cases: a classified cycle over CCHC and VP, the
 * evaluation of cv.maiphuong (`subject`), one of her work items, a draft rule set.
 */
export interface MatrixContext {
  t: TestSystem
  cycleId: number
  cchc: number
  vp: number
  subject: number
  staffId: number
  item: number
  draft: number
  get: (path: string) => Case['call']
  send: (method: string, path: string, body?: unknown) => Case['call']
}
