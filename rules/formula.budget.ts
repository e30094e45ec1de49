/**
 * The computation budget of formulas. Every operation a formula applies, every item an iterating
 * operation (map, filter, reduce, all, some, none) walks over, and the length of every array or
 * string an operation builds is one step; one evaluation of a whole rule set may take
 * `FORMULA_BUDGET.steps` of them. A wall-clock deadline is the second guard, for work a step
 * count cannot see. Evaluation is synchronous, so one meter at a time is active in a thread.
 */

export interface Budget {
  /** Steps one evaluation of a whole rule set may take. */
  steps: number
  /** Milliseconds one evaluation may run, whatever its steps. */
  ms: number
}

/**
 * 1,000,000 steps. The NĐ 335 set takes 26–132 steps on its test cases and about 16,500 with the
 * 500 products its schema allows (test/unit/formula-budget.test.ts), so a real rule set has 60×
 * room and more; a formula at the limit is refused after some 5–20 ms of compiled evaluation, so
 * it never holds the server for long. The 1 s deadline is far above what the steps allow: it only
 * fires when something slipped past the count (or the machine is starved).
 */
export const FORMULA_BUDGET: Budget = { steps: 1_000_000, ms: 1_000 }

/** Where a formula is in its rule set: `computed[3].formula`, and the key or code it belongs to (`task`). */
export interface FormulaRef {
  path: string
  name?: string
}

/** A formula ran out of the budget: names the formula (its path in the rule set) that spent the most. */
export class FormulaBudgetExceeded extends Error {
  /** Path of the formula in the rule set, e.g. `computed[3].formula`. */
  readonly path: string
  /** The path with the key or code it belongs to, as messages show it: `computed[3].formula ("task")`. */
  readonly formula: string

  constructor(
    ref: FormulaRef,
    /** `steps`: the step budget is spent; `time`: the deadline passed. */
    readonly reason: 'steps' | 'time',
    readonly steps: number,
    readonly budget: Budget,
  ) {
    const formula = ref.name ? `${ref.path} ("${ref.name}")` : ref.path
    super(reason === 'steps' ? `${formula}: more than ${budget.steps} computation steps` : `${formula}: still running after ${budget.ms} ms`)
    this.name = 'FormulaBudgetExceeded'
    this.path = ref.path
    this.formula = formula
  }

  /** What the person reads, Vietnamese and English. */
  get text(): { vi: string; en: string } {
    const vi =
      this.reason === 'steps'
        ? `Công thức ${this.formula} vượt quá giới hạn tính toán (${this.budget.steps.toLocaleString('vi-VN')} bước cho một lần đánh giá); hãy đơn giản hóa công thức.`
        : `Công thức ${this.formula} chạy quá ${this.budget.ms.toLocaleString('vi-VN')} ms cho một lần đánh giá; hãy đơn giản hóa công thức.`
    const en =
      this.reason === 'steps'
        ? `Formula ${this.formula} exceeds the computation budget (${this.budget.steps.toLocaleString('en-US')} steps per evaluation); simplify it.`
        : `Formula ${this.formula} ran longer than ${this.budget.ms.toLocaleString('en-US')} ms in one evaluation; simplify it.`
    return { vi, en }
  }
}

/** Steps between two looks at the clock (a look costs about as much as 50 steps). */
const CLOCK_EVERY = 4096

const NONE: FormulaRef = { path: '(root)' }

/*
 * The meter of the running evaluation, as plain module variables: a step is one addition and one
 * comparison, with nothing allocated per evaluation or per formula. `nextCheck` is the first step
 * count at which anything is to be looked at: the budget exceeded or the clock due.
 */
let budget: Budget | null = null
let used = 0
let deadline = 0
let nextClock = CLOCK_EVERY
let nextCheck = Infinity
/** The formula running now and the step count when it started. */
let formula: FormulaRef = NONE
let formulaStart = 0
/**
 * The steps each finished formula run took, as pairs in two arrays reused by every evaluation:
 * written from `spentFrom` to `spentEnd` (an evaluation inside another writes after the outer
 * one's), never shrunk, so a run allocates nothing. Summed per formula only when the budget is
 * exceeded, to name the formula that spent the most.
 */
const spentBy: FormulaRef[] = []
const spentSteps: number[] = []
let spentFrom = 0
let spentEnd = 0

/** Runs `work` (one evaluation) under one budget shared by every formula it runs. Throws FormulaBudgetExceeded. */
export function withinBudget<T>(work: () => T, within: Budget = FORMULA_BUDGET): T {
  // Only an evaluation started inside another has a meter to put back.
  const outer = budget ? { budget, used, deadline, nextClock, nextCheck, formula, formulaStart, spentFrom, spentEnd } : null
  budget = within
  used = 0
  // The clock is first read at the first look (after CLOCK_EVERY steps, microseconds in): most evaluations never get there.
  deadline = 0
  nextClock = CLOCK_EVERY
  nextCheck = Math.min(within.steps + 1, nextClock)
  formula = NONE
  formulaStart = 0
  spentFrom = spentEnd
  try {
    return work()
  } finally {
    if (outer) ({ budget, used, deadline, nextClock, nextCheck, formula, formulaStart, spentFrom, spentEnd } = outer)
    else {
      spentEnd = 0
      budget = null
      nextCheck = Infinity
      formula = NONE
    }
  }
}

/**
 * One formula made to run under the budget, the steps it takes credited to `ref`; alone (no
 * evaluation around it) it gets a budget of its own. Any error but the budget's gives `failed`.
 * One closure and one frame per run: it is called some thirty times per evaluation.
 */
export function metered<A, T, F>(ref: FormulaRef, run: (arg: A) => T, failed: F): (arg: A) => T | F {
  const formulaRun = (arg: A): T | F => {
    if (!budget) return withinBudget(() => formulaRun(arg))
    formula = ref
    formulaStart = used
    try {
      return run(arg)
    } catch (err) {
      if (err instanceof FormulaBudgetExceeded) throw err
      return failed
    } finally {
      spentBy[spentEnd] = ref
      spentSteps[spentEnd++] = used - formulaStart
      formula = NONE
      formulaStart = used
    }
  }
  return formulaRun
}

/** Where the running evaluation's meter stands (meterMark), to run several continuations from the same point. */
export interface MeterMark {
  used: number
  nextClock: number
  nextCheck: number
  spentEnd: number
}

/**
 * The meter now, between two formulas of the running evaluation: evaluateRuleSets computes values
 * shared by several rule sets once, then runs each one's remaining formulas from this point, each
 * as if it had run alone (same steps, same formula named; the clock is one for all).
 */
export function meterMark(): MeterMark {
  return { used, nextClock, nextCheck, spentEnd }
}

/** Puts the meter back where `meterMark` found it (a continuation that ran out of the budget included). */
export function meterRewind(mark: MeterMark): void {
  ;({ used, nextClock, nextCheck, spentEnd } = mark)
  formula = NONE
  formulaStart = used
}

/** Steps the current evaluation has taken so far (0 outside one). */
export function stepsUsed(): number {
  return budget ? used : 0
}

/** One operation applied: a step, plus the length of the array or string it built. Returns the value untouched. */
export function chargeStep<T>(value: T): T {
  used += Array.isArray(value) || typeof value === 'string' ? 1 + value.length : 1
  if (used >= nextCheck) check()
  return value
}

/** An iterating operation about to walk over `items`: one step per item. Returns the items untouched. */
export function chargeItems<T>(items: T): T {
  if (Array.isArray(items) || typeof items === 'string') {
    used += items.length
    if (used >= nextCheck) check()
  }
  return items
}

function check(): void {
  if (!budget) return
  if (used > budget.steps) exceeded(budget, 'steps')
  if (used >= nextClock) {
    nextClock = used + CLOCK_EVERY
    const now = performance.now()
    if (deadline === 0) deadline = now + budget.ms
    else if (now > deadline) exceeded(budget, 'time')
  }
  nextCheck = Math.min(budget.steps + 1, nextClock)
}

/** Names the formula that spent the most, counting the running one's steps so far. */
function exceeded(within: Budget, reason: 'steps' | 'time'): never {
  const spent = new Map<FormulaRef, number>()
  for (let i = spentFrom; i < spentEnd; i++) spent.set(spentBy[i]!, (spent.get(spentBy[i]!) ?? 0) + spentSteps[i]!)
  spent.set(formula, (spent.get(formula) ?? 0) + used - formulaStart)
  let worst = formula
  for (const [ref, steps] of spent) if (steps > (spent.get(worst) ?? 0)) worst = ref
  throw new FormulaBudgetExceeded(worst, reason, used, within)
}
