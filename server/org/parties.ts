/**
 * Who may act on whose evaluation: a pure function of the organisation, computed when a
 * cycle launches and kept with each evaluation (and in its workflow, for the validators).
 */

export interface OrgUnit {
  id: number
  parentId: number | null
  headId: number | null
}

export interface OrgPerson {
  id: number
  unitId: number | null
  roles: string[]
  scopeUnitIds: number[]
}

export interface Parties {
  /** Who reviews (approves or returns) this person's self-assessment. */
  reviewerIds: number[]
  /** Who may sign off or return this evaluation at leadership level. */
  signOffIds: number[]
  /** Which rule branch applies: managers and leaders are scored as leaders. */
  ruleRole: 'staff' | 'leader'
}

export class Org {
  private readonly children = new Map<number, number[]>()
  private readonly units = new Map<number, OrgUnit>()
  private readonly leaders: OrgPerson[]
  private readonly admins: number[]
  private readonly headsByUnit = new Map<number, Set<number>>()

  constructor(units: OrgUnit[], people: OrgPerson[]) {
    for (const u of units) {
      this.units.set(u.id, u)
      if (u.parentId !== null) this.children.set(u.parentId, [...(this.children.get(u.parentId) ?? []), u.id])
      if (u.headId !== null) this.headsOf(u.id).add(u.headId)
    }
    for (const p of people) if (p.unitId !== null && p.roles.includes('unit_head')) this.headsOf(p.unitId).add(p.id)
    this.leaders = people.filter((p) => p.roles.includes('leader'))
    this.admins = people.filter((p) => p.roles.includes('admin')).map((p) => p.id)
  }

  /** The unit and every unit below it. */
  subtree(unitIds: number[]): Set<number> {
    const out = new Set<number>()
    const stack = [...unitIds]
    while (stack.length) {
      const id = stack.pop()!
      if (out.has(id)) continue
      out.add(id)
      stack.push(...(this.children.get(id) ?? []))
    }
    return out
  }

  /** Units a leader answers for: the declared scope, else their own unit's subtree. */
  leaderScope(leader: OrgPerson): Set<number> {
    return this.subtree(leader.scopeUnitIds.length ? leader.scopeUnitIds : leader.unitId !== null ? [leader.unitId] : [])
  }

  /**
   * The units whose results a person may see: everything for an admin; a leader's scope; the units a
   * head heads, with the units below them; none for staff (they see their own evaluation only).
   */
  visibleUnits(person: OrgPerson): 'all' | Set<number> {
    if (person.roles.includes('admin')) return 'all'
    const headed = [...this.units.values()].filter((u) => this.headsOf(u.id).has(person.id)).map((u) => u.id)
    if (person.unitId !== null && person.roles.includes('unit_head')) headed.push(person.unitId)
    const visible = this.subtree(headed)
    if (person.roles.includes('leader')) for (const id of this.leaderScope(person)) visible.add(id)
    return visible
  }

  isManager(person: OrgPerson): boolean {
    return person.unitId !== null && (this.headsOf(person.unitId).has(person.id) || person.roles.includes('unit_head'))
  }

  partiesOf(person: OrgPerson): Parties {
    if (person.unitId === null) throw new Error(`staff #${person.id} belongs to no unit`)
    const unitId = person.unitId
    const leadersOver = this.leaders.filter((l) => l.id !== person.id && this.leaderScope(l).has(unitId)).map((l) => l.id)
    const signOffIds = unique([...leadersOver, ...this.admins])
    const isLeader = person.roles.includes('leader')
    let reviewerIds: number[]
    if (isLeader) {
      // A leader is reviewed by the head of their own unit (the director), else the competent authority (admin).
      const head = this.units.get(unitId)?.headId
      reviewerIds = head !== null && head !== undefined && head !== person.id ? [head] : [...this.admins]
    } else if (this.isManager(person)) {
      reviewerIds = leadersOver.length ? leadersOver : [...this.admins]
    } else {
      const heads = [...this.headsOf(unitId)].filter((id) => id !== person.id)
      reviewerIds = heads.length ? heads : leadersOver.length ? leadersOver : [...this.admins]
    }
    return { reviewerIds: unique(reviewerIds), signOffIds, ruleRole: isLeader || this.isManager(person) ? 'leader' : 'staff' }
  }

  private headsOf(unitId: number): Set<number> {
    let set = this.headsByUnit.get(unitId)
    if (!set) this.headsByUnit.set(unitId, (set = new Set()))
    return set
  }
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b)
}
