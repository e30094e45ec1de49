import type { ExternalInput } from '../../rules/ruleset.types.js'
import { closesAt, closingDate } from './closing.js'

/** One evaluation (or one that a launch would create): whose, in which unit, under which rule set. */
export interface CoverageMember {
  staffId: number
  unitId: number
  ruleSetId: number
}

export interface SubjectName {
  /** `staff:<id>` or `unit:<id>` */
  subject: string
  name: string
  /** Username or unit code. */
  handle: string
  unitName: string | null
}

export interface IndicatorCoverage {
  system: string
  systemName: string | null
  code: string
  unit: string
  scope: 'person' | 'unit'
  label: NonNullable<ExternalInput['label']> | null
  paths: string[]
  /** yyyy-MM-dd, and the instant (23:59:59 Asia/Ho_Chi_Minh) the values lock. */
  closingDate: string
  closesAt: Date
  locked: boolean
  expected: number
  received: { subject: SubjectName; value: number; receivedAt: Date; updatedAt: Date }[]
  missing: SubjectName[]
  /** Values refused because they came after the closing date (the subject may have an earlier value). */
  late: { subject: SubjectName; value: number; at: Date; hasValue: boolean }[]
}

export interface CoverageInput {
  periodStart: string
  periodEnd: string
  members: CoverageMember[]
  /** The external inputs each rule set declares. */
  declared: ReadonlyMap<number, readonly ExternalInput[]>
  values: { system: string; code: string; subject: string; value: number; receivedAt: Date; updatedAt: Date }[]
  late: { system: string; code: string; subject: string; value: number; at: Date }[]
  systemName: (code: string) => string | null
  nameOf: (subject: string) => SubjectName
  now: Date
}

/**
 * Per declared indicator, who (people or units) has a value for the period, who is missing one,
 * and which values came too late (pure). The subjects are the members whose pinned rule set
 * declares the indicator: for scope `unit`, their units.
 */
export function coverage(input: CoverageInput): { periodStart: string; periodEnd: string; indicators: IndicatorCoverage[]; missing: number; late: number } {
  const byIndicator = new Map<string, { x: ExternalInput; paths: Set<string>; subjects: Set<string> }>()
  for (const m of input.members) {
    for (const x of input.declared.get(m.ruleSetId) ?? []) {
      const key = `${x.system}|${x.code}`
      const entry = byIndicator.get(key) ?? { x, paths: new Set<string>(), subjects: new Set<string>() }
      if (x.closingDay < entry.x.closingDay) entry.x = { ...entry.x, closingDay: x.closingDay }
      entry.paths.add(x.path)
      entry.subjects.add(x.scope === 'person' ? `staff:${m.staffId}` : `unit:${m.unitId}`)
      byIndicator.set(key, entry)
    }
  }
  const indicators = [...byIndicator.values()].map(({ x, paths, subjects }): IndicatorCoverage => {
    const mine = <T extends { system: string; code: string; subject: string }>(rows: T[]) => rows.filter((r) => r.system === x.system && r.code === x.code && subjects.has(r.subject))
    const received = mine(input.values)
    const have = new Set(received.map((r) => r.subject))
    const at = closesAt(input.periodEnd, x.closingDay)
    const sortByName = <T extends { subject: SubjectName }>(list: T[]) => list.sort((a, b) => a.subject.name.localeCompare(b.subject.name, 'vi'))
    return {
      system: x.system,
      systemName: input.systemName(x.system),
      code: x.code,
      unit: x.unit,
      scope: x.scope,
      label: x.label ?? null,
      paths: [...paths],
      closingDate: closingDate(input.periodEnd, x.closingDay),
      closesAt: at,
      locked: input.now.getTime() > at.getTime(),
      expected: subjects.size,
      received: sortByName(received.map((r) => ({ subject: input.nameOf(r.subject), value: r.value, receivedAt: r.receivedAt, updatedAt: r.updatedAt }))),
      missing: [...subjects].filter((s) => !have.has(s)).map(input.nameOf).sort((a, b) => a.name.localeCompare(b.name, 'vi')),
      late: sortByName(mine(input.late).map((r) => ({ subject: input.nameOf(r.subject), value: r.value, at: r.at, hasValue: have.has(r.subject) }))),
    }
  })
  return {
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    indicators,
    missing: indicators.reduce((n, i) => n + i.missing.length, 0),
    late: indicators.reduce((n, i) => n + i.late.length, 0),
  }
}
