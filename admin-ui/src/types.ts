/** Shapes of the API's answers that several pages read (each page declares only what is its own). */

export interface Unit {
  id: number
  code: string
  name: string
  parentId: number | null
  headId: number | null
  headName: string | null
}

export interface RuleSetMeta {
  id: number
  code: string
  version: number
  status: string
  name: { vi: string; en: string }
  tests: number
  publishedAt: string | null
  /** An annual rule set: it classifies years (periodKind "year") and only years. */
  annual: boolean
  /** Whom it evaluates: people, or units (a unit cycle: one evaluation per unit, by its head). */
  subject: 'person' | 'unit'
}

export interface WorkItem {
  id: number
  /** Sent by a connected system (e-Office): its progress comes from there, not from the staff member. */
  sourceSystemId?: number | null
  fullName: string
  productCode: string
  productName: string
  title: string | null
  kind: string
  status: string
  quantity: number
  doneQuantity: number
  dueOn: string
  extendedTo: string | null
  hours: number
}
