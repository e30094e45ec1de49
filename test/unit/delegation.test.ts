import { describe, expect, it } from 'vitest'
import { unitActor } from '../../server/delegations/acting.js'
import { datesProblem, delegatedActor, delegationStatus, isCalendarDate, mayDelegate, rangesOverlap } from '../../server/delegations/delegation.rules.js'
import { cycleCalendar, delegationInForce, mayAct, mayLeadUnit, nextStage, reassigned, transition, vietnamDate, type Actor, type OnBehalfOf } from '../../workflows/stages.js'

/** 2026-12-10 00:30 in Vietnam is still 2026-12-09 in UTC. */
const at = (iso: string) => Date.parse(iso)
const parties = { ownerId: 5, reviewerIds: [2], signOffIds: [1, 9] }
const review = (over: Partial<OnBehalfOf> = {}): OnBehalfOf => ({ id: 2, roles: ['unit_head'], delegationId: 7, scope: 'review', from: '2026-12-10', to: '2026-12-12', ...over })

describe('delegation dates (Vietnam time, inclusive)', () => {
  it('reads the day in Vietnam, UTC+7', () => {
    expect(vietnamDate(at('2026-12-09T17:30:00Z'))).toBe('2026-12-10')
    expect(vietnamDate(at('2026-12-09T16:59:59Z'))).toBe('2026-12-09')
  })
  it('is in force from the first day 00:00 to the last day 23:59:59, Vietnam time', () => {
    const d = { from: '2026-12-10', to: '2026-12-12' }
    expect(delegationInForce(d, at('2026-12-09T16:59:59Z'))).toBe(false)
    expect(delegationInForce(d, at('2026-12-09T17:00:00Z'))).toBe(true)
    expect(delegationInForce(d, at('2026-12-12T16:59:59Z'))).toBe(true)
    expect(delegationInForce(d, at('2026-12-12T17:00:00Z'))).toBe(false)
  })
  it('names its status: upcoming, active, expired, or ended early', () => {
    const d = { from: '2026-12-10', to: '2026-12-12', endedAt: null }
    expect(delegationStatus(d, at('2026-12-09T10:00:00Z'))).toBe('upcoming')
    expect(delegationStatus(d, at('2026-12-11T10:00:00Z'))).toBe('active')
    expect(delegationStatus(d, at('2026-12-13T10:00:00Z'))).toBe('expired')
    expect(delegationStatus({ ...d, endedAt: new Date() }, at('2026-12-11T10:00:00Z'))).toBe('ended')
  })
  it('refuses impossible, reversed, past and over-long ranges', () => {
    const now = at('2026-12-10T03:00:00Z')
    expect(isCalendarDate('2026-02-30')).toBe(false)
    expect(datesProblem('2026-02-30', '2026-12-31', now)).not.toBeNull()
    expect(datesProblem('2026-12-12', '2026-12-11', now)).not.toBeNull()
    expect(datesProblem('2026-12-01', '2026-12-09', now)).not.toBeNull()
    expect(datesProblem('2026-12-10', '2028-01-01', now)).not.toBeNull()
    expect(datesProblem('2026-12-01', '2026-12-10', now)).toBeNull()
  })
  it('sees overlap when the ranges share a day', () => {
    expect(rangesOverlap({ from: '2026-12-01', to: '2026-12-10' }, { from: '2026-12-10', to: '2026-12-20' })).toBe(true)
    expect(rangesOverlap({ from: '2026-12-01', to: '2026-12-09' }, { from: '2026-12-10', to: '2026-12-20' })).toBe(false)
  })
  it('lets unit heads and leaders delegate review, leaders alone sign-off', () => {
    expect(mayDelegate(['unit_head', 'staff'], 'review')).toBe(true)
    expect(mayDelegate(['unit_head', 'staff'], 'sign-off')).toBe(false)
    expect(mayDelegate(['leader'], 'sign-off')).toBe(true)
    expect(mayDelegate(['staff'], 'review')).toBe(false)
    expect(mayDelegate(['admin'], 'sign-off')).toBe(false)
  })
})

describe('acting as the principal (the workflow decides)', () => {
  const during = at('2026-12-11T03:00:00Z')
  const delegate = (over: Partial<OnBehalfOf> = {}, id = 3): Actor => ({ id, roles: ['staff'], onBehalfOf: review(over) })
  it('lets the delegate review as the reviewer while in force, and only then', () => {
    expect(mayAct(delegate(), 'approve', parties, during)).toBe(true)
    expect(mayAct(delegate(), 'return', parties, during)).toBe(true)
    expect(mayAct(delegate(), 'approve', parties, at('2026-12-09T03:00:00Z'))).toBe(false)
    expect(mayAct(delegate(), 'approve', parties, at('2026-12-13T03:00:00Z'))).toBe(false)
    expect(mayAct(delegate(), 'approve', parties)).toBe(false) // undated: nothing
  })
  it('keeps each scope to its actions', () => {
    expect(mayAct(delegate(), 'signOff', parties, during)).toBe(false)
    expect(mayAct(delegate(), 'submit', parties, during)).toBe(false)
    const signOff = delegate({ id: 9, roles: ['leader'], scope: 'sign-off' })
    expect(mayAct(signOff, 'signOff', parties, during)).toBe(true)
    expect(mayAct(signOff, 'leaderReturn', parties, during)).toBe(true)
    expect(mayAct(signOff, 'approve', parties, during)).toBe(false)
  })
  it('wants the principal to be a party by the lists (an admin role is not delegated)', () => {
    expect(mayAct(delegate({ id: 4 }), 'approve', parties, during)).toBe(false)
    expect(mayAct(delegate({ id: 4, roles: ['admin'], scope: 'sign-off' }), 'signOff', parties, during)).toBe(false)
  })
  it('never lets anyone act on their own evaluation: not the delegate, not through a principal who is the owner', () => {
    expect(mayAct(delegate({}, 5), 'approve', parties, during)).toBe(false)
    expect(mayAct(delegate({ id: 5 }), 'approve', { ...parties, reviewerIds: [5] }, during)).toBe(false)
    expect(mayAct(delegate({}, 2), 'approve', parties, during)).toBe(false) // to oneself
  })
  it('lets a leader’s sign-off delegate lead a unit action while in force', () => {
    const d = (over: Partial<OnBehalfOf>) => ({ id: 3, roles: ['unit_head'], onBehalfOf: review({ id: 9, roles: ['leader'], scope: 'sign-off', ...over }) })
    expect(mayLeadUnit(d({}), during)).toBe(true)
    expect(mayLeadUnit(d({ scope: 'review' }), during)).toBe(false)
    expect(mayLeadUnit(d({ roles: ['unit_head'] }), during)).toBe(false)
    expect(mayLeadUnit(d({}), at('2026-12-20T03:00:00Z'))).toBe(false)
    expect(mayLeadUnit({ id: 3, roles: ['unit_head'] }, during)).toBe(false)
    expect(mayLeadUnit({ id: 9, roles: ['leader'] }, during)).toBe(true)
  })
  it('finds the delegation the API passes: in force, covering the action, principal a party, never the owner', () => {
    const terms = { id: 7, principalId: 2, delegateId: 3, scope: 'review' as const, from: '2026-12-10', to: '2026-12-12', endedAt: null, principalRoles: ['unit_head'] }
    expect(delegatedActor({ id: 3, roles: ['staff'] }, 'approve', parties, [terms], during)?.onBehalfOf).toMatchObject({ id: 2, delegationId: 7 })
    expect(delegatedActor({ id: 3, roles: ['staff'] }, 'approve', parties, [{ ...terms, endedAt: new Date() }], during)).toBeNull()
    expect(delegatedActor({ id: 3, roles: ['staff'] }, 'signOff', parties, [terms], during)).toBeNull()
    expect(delegatedActor({ id: 5, roles: ['staff'] }, 'approve', parties, [{ ...terms, delegateId: 5 }], during)).toBeNull()
    expect(delegatedActor({ id: 3, roles: ['staff'] }, 'approve', { ...parties, reviewerIds: [8] }, [terms], during)).toBeNull()
  })
})

describe('reassignment', () => {
  it('is an admin action on an open evaluation: the stage stays, the version moves on', () => {
    for (const stage of ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF'] as const) expect(nextStage(stage, 'reassign')).toBe(stage)
    for (const stage of ['CLASSIFIED', 'CANCELLED'] as const) expect(nextStage(stage, 'reassign')).toBeNull()
    expect(mayAct({ id: 1, roles: ['admin'] }, 'reassign', parties)).toBe(true)
    expect(mayAct({ id: 9, roles: ['leader'] }, 'reassign', parties)).toBe(false)
    const calendar = cycleCalendar(0, { selfAssessmentSeconds: 10, reviewSeconds: 10, reminderBeforeSeconds: 1 })
    expect(transition({ evaluationId: 1, stage: 'UNIT_REVIEW', version: 4, round: 2 }, 'reassign', { id: 1, roles: ['admin'] }, {}, 5_000, calendar)).toMatchObject({ from: 'UNIT_REVIEW', to: 'UNIT_REVIEW', version: 5, round: 2 })
  })
  it('replaces the party list of its role only', () => {
    expect(reassigned(parties, { role: 'reviewer', to: [7] })).toEqual({ ownerId: 5, reviewerIds: [7], signOffIds: [1, 9] })
    expect(reassigned(parties, { role: 'sign-off', to: [8, 1] })).toEqual({ ownerId: 5, reviewerIds: [2], signOffIds: [8, 1] })
  })
})

describe('leading a unit action (sign-off, unit return)', () => {
  const during = at('2026-12-11T03:00:00Z')
  const rows = [
    { staff_id: 5, sign_off_ids: [1, 9] },
    { staff_id: 6, sign_off_ids: [1, 9] },
  ]
  const signOff = { id: 4, principalId: 9, delegateId: 3, scope: 'sign-off' as const, from: '2026-12-10', to: '2026-12-12', endedAt: null, principalRoles: ['leader'], principalName: 'Lãnh đạo' }
  it('lets admins and leaders on every sign-off list lead as themselves', () => {
    expect(unitActor({ id: 1, roles: ['admin'] }, rows, [], during)).toEqual({ id: 1, roles: ['admin'] })
    expect(unitActor({ id: 9, roles: ['leader'] }, rows, [], during)).toEqual({ id: 9, roles: ['leader'] })
    expect(unitActor({ id: 9, roles: ['leader'] }, [...rows, { staff_id: 7, sign_off_ids: [1] }], [], during)).toBeNull()
  })
  it("lets a sign-off delegate lead as the leader while in force, never over a batch with their own or the leader's evaluation", () => {
    expect(unitActor({ id: 3, roles: ['unit_head'] }, rows, [signOff], during)?.onBehalfOf).toMatchObject({ id: 9, delegationId: 4 })
    expect(unitActor({ id: 3, roles: ['unit_head'] }, rows, [signOff], at('2026-12-13T03:00:00Z'))).toBeNull()
    expect(unitActor({ id: 3, roles: ['unit_head'] }, rows, [{ ...signOff, scope: 'review' }], during)).toBeNull()
    expect(unitActor({ id: 3, roles: ['unit_head'] }, [...rows, { staff_id: 3, sign_off_ids: [1, 9] }], [signOff], during)).toBeNull()
    expect(unitActor({ id: 3, roles: ['unit_head'] }, [...rows, { staff_id: 9, sign_off_ids: [1] }], [signOff], during)).toBeNull()
  })
})
