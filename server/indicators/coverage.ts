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

/** How many of each list an indicator holds in all, when the lists carry only their first rows. */
export interface CoverageCounts {
  received: number
  missing: number
  late: number
}

/**
 * The coverage as a page shows it: each indicator's lists cut to their first `limit` rows (by name;
 * missing ones are the first read), with the full counts beside them — a province's person-scope
 * indicator lists tens of thousands of names; the CSV export has every row.
 */
export function firstRows<C extends { indicators: IndicatorCoverage[] }>(coverage: C, limit: number): Omit<C, 'indicators'> & { indicators: (IndicatorCoverage & { counts: CoverageCounts })[] } {
  return {
    ...coverage,
    indicators: coverage.indicators.map((i) => ({
      ...i,
      counts: { received: i.received.length, missing: i.missing.length, late: i.late.length },
      received: i.received.slice(0, limit),
      missing: i.missing.slice(0, limit),
      late: i.late.slice(0, limit),
    })),
  }
}

/** Every row of a coverage, one per subject and state, for the CSV export. */
export function coverageRows(coverage: { indicators: IndicatorCoverage[] }): { system: string; code: string; subject: string; name: string; handle: string; unitName: string | null; state: 'missing' | 'late' | 'received'; value: number | null; at: Date | null }[] {
  return coverage.indicators.flatMap((i) => [
    ...i.missing.map((s) => ({ system: i.system, code: i.code, ...s, state: 'missing' as const, value: null, at: null })),
    ...i.late.map((l) => ({ system: i.system, code: i.code, ...l.subject, state: 'late' as const, value: l.value, at: l.at })),
    ...i.received.map((r) => ({ system: i.system, code: i.code, ...r.subject, state: 'received' as const, value: r.value, at: r.updatedAt })),
  ])
}
