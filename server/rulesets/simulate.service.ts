import { setImmediate } from 'node:timers/promises'
import type { Classified } from '../../rules/classify.js'
import { rebanded, scoresAlikeButBands } from '../../rules/evaluate.js'
import { LEVELS, type Level } from '../../rules/ruleset.types.js'
import { classifyCycle, memberScore, scoreCycle, type CycleMember, type MemberScore, type RuleSetRef } from '../cycles/cycle-scoring.js'
import { scoreDocumentEach, type ScoreOutcome, type StoredScores } from '../evaluations/scoring.js'
import { documentPage, NOT_LOADED, quotaCaps, unitNamesOf, type CurrentScores, type MemberRow, type MemberText, type Reuse } from '../cycles/cycle-members.repo.js'
import type { Db } from '../db/database.js'
import { findRuleSet, type RuleSet } from './ruleset.repo.js'

type Distribution = Record<Level, number>

interface Side {
  total: number | null
  level: Level
  finalLevel: Level
  quotaCut: boolean
}

export interface SimulatedEvaluation {
  evaluationId: number
  staffId: number
  fullName: string
  unitId: number
  unitName: string
  stage: string
  before: Side | null
  after: Side | null
  /** Final level moved up or down (or the evaluation cannot be scored by one of the two). */
  change: 'up' | 'down' | 'same' | 'skipped'
  /** Why one of the two versions could not score it. */
  reason?: { vi: string; en: string }
}

export interface SimulationReport {
  cycleId: number
  baseline: { ruleSetId: number }
  candidate: { ruleSetId: number }
  summary: { evaluations: number; scored: number; skipped: number; up: number; down: number }
  distribution: { before: Distribution; after: Distribution }
  units: { unitId: number; unitName: string; before: Distribution; after: Distribution; quotaCutBefore: number; quotaCutAfter: number }[]
  /** Who changes band, best first. */
  changes: SimulatedEvaluation[]
  evaluations: SimulatedEvaluation[]
}

/** How one side of a comparison scores: which version each evaluation uses, whose quota policy applies. */
export interface ScoringSide {
  ruleSetId: number
  quota: RuleSetRef
  of: (m: CycleMember) => RuleSetRef
}

const STAGES = ['SELF_ASSESSMENT', 'UNIT_REVIEW', 'AWAITING_SIGN_OFF', 'SIGNED_OFF', 'CLASSIFIED']

/**
 * Evaluations read and scored at a time while simulating over the database: a province's 50,000
 * documents are never all held at once (they were 150 MB of the API's heap), and PostgreSQL reads
 * the next page while this one is scored.
 */
const PAGE = 5000
/** The first page's size: PostgreSQL's answer to it is what the scoring waits on before it can start. */
const FIRST_PAGE = 1000

/**
 * Re-scores a cycle's evaluations with a candidate version beside what they pinned. The candidate
 * replaces the versions of its own code; evaluations pinned to other rule sets keep theirs. Reads
 * only, from one snapshot, in one pass: each page of evaluations with their documents, everyone but
 * leaders scored with both versions as the page arrives and their documents let go. Members whose
 * stored scores are their document's, pinned to a version the candidate scores alike but for its
 * bands (or leaves as it is), come with those scores instead of their document (`reuseBoth`).
 */
export async function simulateCycle(
  db: Db,
  cycleDefault: RuleSet,
  candidate: RuleSetRef & { code: string },
  cycleId: number,
  { pageSize = PAGE, reuse = true }: { pageSize?: number; reuse?: boolean } = {},
): Promise<SimulationReport> {
  // Leaders (scored bottom-up once everyone else is), the quota and ranks once the snapshot is let go.
  const scored = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const [unitNames, caps] = await Promise.all([unitNamesOf(trx), quotaCaps(trx, cycleId)])
      // The versions the evaluations pinned, read as the pages name them: one look-up for the first page instead of a
      // scan of the whole cycle before it (50–120 ms at 50,000, waited on before anything could be scored).
      const pinned = new Map<number, RuleSet>()
      const own = (m: CycleMember) => pinned.get(m.ruleSetId)!
      const before: ScoringSide = { ruleSetId: cycleDefault.id, quota: cycleDefault, of: own }
      const after: ScoringSide = {
        ruleSetId: candidate.id,
        quota: cycleDefault.code === candidate.code ? candidate : cycleDefault,
        of: (m) => (own(m).code === candidate.code ? candidate : own(m)),
      }
      // The versions known so far whose members' stored scores serve both sides (a candidate that scores them alike but
      // for the bands, or does not replace them): those members come without their document (`documentPage`'s `reuse`).
      // The cycle's own version is known before the first page; a version first named by a page counts from the next.
      const reusable: Reuse & { versions: Record<number, string> } = { versions: {}, values: [...new Set([...before.quota.definition.quota.tieBreak, ...after.quota.definition.quota.tieBreak])] }
      const know = (version: RuleSet) => {
        pinned.set(version.id, version)
        const theirs = version.code === candidate.code ? candidate : version
        if (reuse && scoresAlikeButBands(version.definition, theirs.definition)) reusable.versions[version.id] = version.hash
      }
      know(cycleDefault)
      const members: MemberRow[] = []
      const known: Known = [[], []]
      // A short first page: scoring starts as soon as it arrives rather than after a full one.
      let limit = Math.min(pageSize, FIRST_PAGE)
      let next = documentPage(trx, unitNames, cycleId, STAGES, 0, limit, reusable)
      for (;;) {
        const page = await next
        for (const id of new Set(page.map((row) => row.ruleSetId))) if (!pinned.has(id)) know((await findRuleSet(trx, id))!)
        // The next page is asked for before this one is scored: PostgreSQL writes it out meanwhile.
        const more = page.length === limit
        if (more) {
          limit = pageSize
          next = documentPage(trx, unitNames, cycleId, STAGES, page.at(-1)!.id, limit, reusable)
          // Awaited on the next turn; should scoring this page throw first, its failure is not left unhandled.
          next.catch(() => undefined)
        }
        for (let from = 0; from < page.length; from += SLICE) {
          for (let i = from; i < Math.min(from + SLICE, page.length); i++) {
            const row = page[i]!
            if (row.current) {
              const m = row as unknown as MemberRow & Pick<MemberText, 'current'>
              reuseBoth(m, members.push(m) - 1, row.current, before, after, known)
              m.data = NOT_LOADED
              m.adjustments = null
              m.current = null
              continue
            }
            // Each document parsed as it is scored and let go after; the row itself becomes the member (no copy).
            const data = JSON.parse(row.data) as Record<string, unknown>
            const adjustments = row.adjustments === null ? null : (JSON.parse(row.adjustments) as Record<string, unknown>)
            const m = row as unknown as MemberRow
            const at = members.push(m) - 1
            if (m.ruleRole === 'leader') {
              // Leaders keep theirs: they are scored once everyone else is.
              m.data = data
              m.adjustments = adjustments
              continue
            }
            m.data = NOT_LOADED
            m.adjustments = null
            scoreBoth(m, at, data, adjustments, before, after, known)
          }
          await setImmediate()
        }
        if (!more) break
      }
      return { members, caps, before, after, known }
    })
  return run(finishing(cycleId, scored.before, scored.after, scored.members, scored.caps, scored.known))
}

/**
 * Members scored between two turns of the event loop while simulating: some 10 ms of work here, so
 * the API keeps answering other requests during a simulation of a large cycle.
 */
const SLICE = 1000

/**
 * The comparison as the API runs it: the same work as `compare`, handing the event loop back
 * between slices of members and between each side's leaders and its quota and ranks (the longest steps left).
 */
export async function compareYielding(cycleId: number, baseline: ScoringSide, candidate: ScoringSide, members: MemberRow[], caps: ReadonlyMap<number, number>): Promise<SimulationReport> {
  return run(comparing(cycleId, baseline, candidate, members, caps))
}

/** The comparison itself: pure, so the benchmark can run it on synthetic members. */
export function compare(cycleId: number, baseline: ScoringSide, candidate: ScoringSide, members: MemberRow[], caps: ReadonlyMap<number, number>): SimulationReport {
  const steps = comparing(cycleId, baseline, candidate, members, caps)
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value
}

/** Steps run to the end, the event loop handed back between them. */
async function run(steps: Generator<void, SimulationReport>): Promise<SimulationReport> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value
    await setImmediate()
  }
}

/** Each side's scores of the members other than leaders, by the member's position. */
type Known = readonly [(MemberScore | undefined)[], (MemberScore | undefined)[]]

/** The comparison in steps (each yield a point where the API may answer others): one code for `compare` and `compareYielding`. */
function* comparing(cycleId: number, baseline: ScoringSide, candidate: ScoringSide, members: MemberRow[], caps: ReadonlyMap<number, number>): Generator<void, SimulationReport> {
  // Scores only (no trace): a whole cycle twice must take well under a second for 50,000 evaluations.
  // Members other than leaders depend on no one: each document is scored with both versions at
  // once — read and validated once, its values computed once where the versions' formulas agree.
  const known: Known = [[], []]
  for (let from = 0; from < members.length; from += SLICE) {
    for (let i = from; i < Math.min(from + SLICE, members.length); i++) scoreBoth(members[i]!, i, members[i]!.data, members[i]!.adjustments, baseline, candidate, known)
    yield
  }
  return yield* finishing(cycleId, baseline, candidate, members, caps, known)
}

/** Once the members other than leaders are scored (`known`): each side's leaders, quota and ranks, and the report. */
function* finishing(cycleId: number, baseline: ScoringSide, candidate: ScoringSide, members: MemberRow[], caps: ReadonlyMap<number, number>, known: Known): Generator<void, SimulationReport> {
  // Each side: its leaders bottom-up, then the quota and ranks; the longest steps left, so the API answers between them.
  // Each side's scores and classes by the member's position (arrays, not maps keyed by id: 50,000 of each).
  const sides: { scores: (MemberScore | undefined)[]; classes: (Classified | undefined)[] }[] = []
  for (const [scoring, scored] of [[baseline, known[0]], [candidate, known[1]]] as const) {
    const scores = scoreCycle(scoring.of, members, { explain: false }, scored)
    yield
    // classifyCycle gives one row per member that scored, in the members' order.
    const classified = classifyCycle(scoring.quota, members, scores, caps)
    const classes = new Array<Classified | undefined>(members.length)
    for (let i = 0, k = 0; i < members.length; i++) if (scores[i]?.ok) classes[i] = classified[k++]
    sides.push({ scores, classes })
    yield
  }
  const [before, after] = sides as [(typeof sides)[number], (typeof sides)[number]]
  // One pass over the members: each one's row, its unit's counts and the summary's (50,000 rows at a province).
  const evaluations: SimulatedEvaluation[] = []
  const changes: SimulatedEvaluation[] = []
  const units = new Map<number, SimulationReport['units'][number]>()
  const counted = { skipped: 0, up: 0, down: 0 }
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!
    const scoredBefore = before.scores[i]
    const scoredAfter = after.scores[i]
    const b = side(scoredBefore, before.classes[i])
    const a = side(scoredAfter, after.classes[i])
    const e: SimulatedEvaluation = { evaluationId: m.id, staffId: m.staffId, fullName: m.fullName, unitId: m.unitId, unitName: m.unitName, stage: m.stage, before: b, after: a, change: 'same' }
    evaluations.push(e)
    let u = units.get(m.unitId)
    if (!u) units.set(m.unitId, (u = { unitId: m.unitId, unitName: m.unitName, before: emptyDistribution(), after: emptyDistribution(), quotaCutBefore: 0, quotaCutAfter: 0 }))
    if (b) {
      u.before[b.finalLevel]++
      if (b.quotaCut) u.quotaCutBefore++
    }
    if (a) {
      u.after[a.finalLevel]++
      if (a.quotaCut) u.quotaCutAfter++
    }
    if (!b || !a) {
      const failed = [scoredBefore, scoredAfter].find((s) => s && !s.ok) as { message: string; vi: string } | undefined
      e.change = 'skipped'
      e.reason = failed ? { vi: failed.vi, en: failed.message } : { vi: 'Không chấm được', en: 'Not scored' }
      counted.skipped++
      continue
    }
    const delta = LEVELS.indexOf(b.finalLevel) - LEVELS.indexOf(a.finalLevel)
    if (delta === 0) continue
    e.change = delta > 0 ? 'up' : 'down'
    counted[e.change]++
    changes.push(e)
  }
  yield
  const distribution = { before: emptyDistribution(), after: emptyDistribution() }
  for (const u of units.values()) for (const l of LEVELS) {
    distribution.before[l] += u.before[l]
    distribution.after[l] += u.after[l]
  }
  return {
    cycleId,
    baseline: { ruleSetId: baseline.ruleSetId },
    candidate: { ruleSetId: candidate.ruleSetId },
    summary: { evaluations: evaluations.length, scored: evaluations.length - counted.skipped, skipped: counted.skipped, up: counted.up, down: counted.down },
    distribution,
    units: [...units.values()].sort((x, y) => x.unitId - y.unitId),
    changes,
    evaluations,
  }
}

const SCORES_ONLY = { explain: false }

/** A member other than a leader (leaders are scored later, bottom-up), its document scored with both sides' versions at once. */
function scoreBoth(m: MemberRow, at: number, data: Record<string, unknown>, adjustments: Record<string, unknown> | null, baseline: ScoringSide, candidate: ScoringSide, known: Known): void {
  if (m.ruleRole === 'leader') return
  const before = baseline.of(m)
  const after = candidate.of(m)
  const outcomes = scoreDocumentEach([before.definition, after.definition], data, adjustments, m.ruleRole, {}, SCORES_ONLY)
  known[0][at] = kept(outcomes[0]!, before, baseline.quota)
  known[1][at] = kept(outcomes[1]!, after, candidate.quota)
}

/**
 * A member other than a leader whose stored scores are its document's by its pinned version (`documentPage`'s
 * `reuse`): on the baseline's side those scores, on the candidate's the same rebanded (it scores alike but for the
 * bands) — what scoring the document with each would give (a unit test and the cycle integration test hold the reports
 * equal).
 */
function reuseBoth(m: MemberRow, at: number, current: CurrentScores, baseline: ScoringSide, candidate: ScoringSide, known: Known): void {
  const before = baseline.of(m)
  const after = candidate.of(m)
  // The values are those both quotas rank by (`documentPage`'s `reuse.values`), shared by the two sides (neither is written to).
  const scores: StoredScores = { values: current.values, total: current.total, baseLevel: current.baseLevel, level: current.level, override: current.override, trace: NO_TRACE, ruleSetId: before.id, ruleHash: before.hash }
  known[0][at] = { ok: true, scores }
  known[1][at] = { ok: true, scores: after === before ? scores : { ...rebanded(after.definition, scores), ruleSetId: after.id, ruleHash: after.hash } }
}

const NO_TRACE: StoredScores['trace'] = Object.freeze([]) as unknown as StoredScores['trace']

/**
 * What a comparison keeps of a member's scores until the quota and ranks: the total, the levels and
 * override, and of the values only those the side's quota ranks by (its tie-break keys). Two sides
 * of 50,000 values records held to the end were most of what each young-generation collection
 * copied and promoted.
 */
function kept(outcome: ScoreOutcome, ruleSet: RuleSetRef, quota: RuleSetRef): MemberScore {
  const score = memberScore(outcome, ruleSet)
  if (!score.ok) return score
  // memberScore's scores are a new record (its values the result's own): narrowed in place.
  const values: Record<string, number | null> = {}
  for (const key of quota.definition.quota.tieBreak) values[key] = score.scores.values[key] ?? null
  score.scores.values = values
  score.scores.trace = NO_TRACE
  return score
}

function side(score: MemberScore | undefined, classified: Classified | undefined): Side | null {
  if (!score?.ok || !classified) return null
  return { total: score.scores.total, level: score.scores.level, finalLevel: classified.finalLevel, quotaCut: classified.cutByQuota }
}

function emptyDistribution(): Distribution {
  return { HTXS: 0, HTT: 0, HT: 0, KHT: 0 }
}
