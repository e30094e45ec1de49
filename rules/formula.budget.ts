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

interface Meter {
  budget: Budget
  used: number
  deadline: number
  nextClockCheck: number
  /** The formula running now, the step count when it started, and the steps each finished formula took. */
  formula: FormulaRef
  formulaStart: number
  spent: Map<FormulaRef, number>
}

/** Steps between two looks at the clock (a look costs about as much as 50 steps). */
const CLOCK_EVERY = 4096

let active: Meter | null = null
const NONE: FormulaRef = { path: '(root)' }

/** Runs `work` (one evaluation) under one budget shared by every formula it runs. Throws FormulaBudgetExceeded. */
export function withinBudget<T>(work: () => T, budget: Budget = FORMULA_BUDGET): T {
  const outer = active
  active = { budget, used: 0, deadline: performance.now() + budget.ms, nextClockCheck: CLOCK_EVERY, formula: NONE, formulaStart: 0, spent: new Map() }
  try {
    return work()
  } finally {
    active = outer
  }
}

/** Runs one formula, the steps it takes credited to it; alone (no evaluation around it) it gets a budget of its own. */
export function runFormula<A, T>(ref: FormulaRef, run: (arg: A) => T, arg: A): T {
  if (!active) return withinBudget(() => runFormula(ref, run, arg))
  const meter = active
  meter.formula = ref
  meter.formulaStart = meter.used
  try {
    return run(arg)
  } finally {
    meter.spent.set(ref, (meter.spent.get(ref) ?? 0) + meter.used - meter.formulaStart)
    meter.formula = NONE
    meter.formulaStart = meter.used
  }
}

/** Steps the current evaluation has taken so far (0 outside one). */
export function stepsUsed(): number {
  return active?.used ?? 0
}

/** One operation applied: a step, plus the length of the array or string it built. Returns the value untouched. */
export function chargeStep<T>(value: T): T {
  const meter = active
  if (meter) {
    meter.used += 1 + (Array.isArray(value) || typeof value === 'string' ? value.length : 0)
    check(meter)
  }
  return value
}

/** An iterating operation about to walk over `items`: one step per item. Returns the items untouched. */
export function chargeItems<T>(items: T): T {
  const meter = active
  if (meter && (Array.isArray(items) || typeof items === 'string')) {
    meter.used += items.length
    check(meter)
  }
  return items
}

function check(meter: Meter): void {
  if (meter.used > meter.budget.steps) exceeded(meter, 'steps')
  if (meter.used >= meter.nextClockCheck) {
    meter.nextClockCheck = meter.used + CLOCK_EVERY
    if (performance.now() > meter.deadline) exceeded(meter, 'time')
  }
}

/** Names the formula that spent the most, counting the running one's steps so far. */
function exceeded(meter: Meter, reason: 'steps' | 'time'): never {
  const spent = new Map(meter.spent)
  spent.set(meter.formula, (spent.get(meter.formula) ?? 0) + meter.used - meter.formulaStart)
  let worst = meter.formula
  for (const [ref, steps] of spent) if (steps > (spent.get(worst) ?? 0)) worst = ref
  throw new FormulaBudgetExceeded(worst, reason, meter.used, meter.budget)
}
