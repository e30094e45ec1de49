/**
 * Unit evaluation (migration 2026-12-01-014): no table of its own — a unit cycle is a cycle whose
 * `subject` is 'unit', and each of its evaluations names its unit in `subject_unit_id`.
 */
export type CycleSubject = 'staff' | 'unit'
