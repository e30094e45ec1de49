import { contentCache, contentKey, type ContentCache } from './content.cache.js'
import { programOf, type EngineName, type Fn } from './program.js'
import type { Level, RuleSetDefinition, Text } from './ruleset.types.js'

export const LEVEL_NAMES: Record<Level, Text> = {
  HTXS: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent' },
  HTT: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good' },
  HT: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed' },
  KHT: { vi: 'Không hoàn thành nhiệm vụ', en: 'Not completed' },
}

export const BAND_LABEL: Text = { vi: 'Xếp loại theo điểm', en: 'Level by score' }

/** One computed value, ready to run: its formula (or weights), its checks, how it is rounded and shown. */
export interface ComputedStep {
  key: string
  label: Text
  /** The compiled formula; null for a weighted value. */
  formula: Fn | null
  /** Σ weight × value / 100 over these paths (split once), in the order the rule set lists them. */
  weights: { path: string[]; weight: number }[] | null
  nullable: boolean
  scale: { min: number; max: number } | undefined
  /** Rounded as computed: later formulas see the rounded value. */
  round: boolean
  /** Rounded for display only: values and the trace show it rounded, later formulas see the full value. */
  display: boolean
  /** `label: ` in each language, the start of the value's trace line. */
  prefix: Text
}

/** A note's text cut at its {placeholders}: literal text, or the index of the named value to show. */
export type TemplatePart = string | number

export interface NoteStep {
  key: string
  text: Text
  /** Path of the input array the note runs over, split once; null: once, on the whole scope. */
  each: string[] | null
  when: Fn
  values: Fn[]
  vi: TemplatePart[]
  en: TemplatePart[]
}

/**
 * The computed values of a rule set, ready to run. Built once per content of what it reads (the
 * computed list and the rounding): rule sets differing only in what follows — bands, overrides,
 * requirements, notes, as a simulation's candidate often does — share one, and evaluateRuleSets
 * computes their values once.
 */
export interface ValuesPlan {
  computed: ComputedStep[]
  precision: number
}

/** A rule set prepared for evaluation: built once per rule set, so an evaluation only runs formulas and fills in. */
export interface Plan {
  values: ValuesPlan
  totalKey: string
  requirements: { code: string; message: Text; failsWhen: Fn }[]
  overrides: { code: string; level: Level; label: Text; when: Fn; text: Text }[]
  /** Highest minimum first. */
  bands: { level: Level; min: number | null }[]
  /** The text of the band line for each level. */
  bandText: Record<Level, Text>
  notes: NoteStep[]
}

/** The plan of a rule set, built once per content (a rule set read again from the database is not compiled again). */
export function planOf(def: RuleSetDefinition, engine: EngineName = 'compiled'): Plan {
  return plans[engine].get(def)
}

/**
 * Everything a plan reads from the rule set, key order kept (weights are summed and note values
 * run in the order written). Whatever else a rule set holds (schemas, tests, quota) is not read.
 */
const planKey = (def: RuleSetDefinition) => contentKey([def.computed, def.requirements, def.overrides, def.notes, def.bands, def.rounding, def.totalKey])

const plans: Record<EngineName, ContentCache<RuleSetDefinition, Plan>> = {
  compiled: contentCache({ key: planKey, build: (def) => build(def, 'compiled') }),
  interpreted: contentCache({ key: planKey, build: (def) => build(def, 'interpreted') }),
}

/** What a values plan reads from the rule set. */
const valuesKey = (def: RuleSetDefinition) => contentKey([def.computed, def.rounding])

const valuePlans: Record<EngineName, ContentCache<RuleSetDefinition, ValuesPlan>> = {
  compiled: contentCache({ key: valuesKey, build: (def) => buildValues(def, 'compiled') }),
  interpreted: contentCache({ key: valuesKey, build: (def) => buildValues(def, 'interpreted') }),
}

function buildValues(def: RuleSetDefinition, engine: EngineName): ValuesPlan {
  const program = programOf(def, engine)
  const roundKeys = new Set(def.rounding.keys)
  const displayKeys = new Set(def.rounding.display ?? [])
  return {
    computed: def.computed.map((item, i) => ({
      key: item.key,
      label: item.label,
      formula: 'weights' in item ? null : program.computed[i]!,
      weights: 'weights' in item ? Object.entries(item.weights).map(([path, weight]) => ({ path: path.split('.'), weight })) : null,
      nullable: 'formula' in item && Boolean(item.nullable),
      scale: item.scale,
      round: roundKeys.has(item.key),
      display: !roundKeys.has(item.key) && displayKeys.has(item.key),
      prefix: { vi: `${item.label.vi}: `, en: `${item.label.en}: ` },
    })),
    precision: def.rounding.precision,
  }
}

function build(def: RuleSetDefinition, engine: EngineName): Plan {
  const program = programOf(def, engine)
  return {
    values: valuePlans[engine].get(def),
    totalKey: def.totalKey,
    requirements: def.requirements.map((r, i) => ({ code: r.code, message: r.message, failsWhen: program.requirements[i]! })),
    overrides: def.overrides.map((o, i) => ({
      code: o.code,
      level: o.level,
      label: o.label,
      when: program.overrides[i]!,
      text: { vi: `Xếp loại ${o.level} do: ${o.label.vi}`, en: `Rated ${o.level} because: ${o.label.en}` },
    })),
    bands: [...def.bands].sort((x, y) => (y.min ?? -Infinity) - (x.min ?? -Infinity)),
    bandText: Object.fromEntries(
      (Object.keys(LEVEL_NAMES) as Level[]).map((l) => [l, { vi: `${BAND_LABEL.vi}: ${l} (${LEVEL_NAMES[l].vi})`, en: `${BAND_LABEL.en}: ${l} (${LEVEL_NAMES[l].en})` }]),
    ) as Record<Level, Text>,
    notes: (def.notes ?? []).map((note, i) => {
      const names = Object.keys(note.values ?? {})
      return {
        key: `note:${i}`,
        text: note.text,
        each: note.each ? note.each.split('.') : null,
        when: program.notes[i]!.when,
        values: program.notes[i]!.values.map(([, f]) => f),
        vi: template(note.text.vi, names),
        en: template(note.text.en, names),
      }
    }),
  }
}

/**
 * Cuts a text at its {name} placeholders, as `text.replace(/\{(\w+)\}/g, …)` with `name in named`
 * would fill it: a named value's index; a name the values lack stays as written, unless a plain
 * object has it (`{constructor}`), which shows what String() makes of it.
 */
function template(text: string, names: string[]): TemplatePart[] {
  const parts: TemplatePart[] = []
  let literal = ''
  let last = 0
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    literal += text.slice(last, m.index)
    last = m.index + m[0].length
    const name = m[1]!
    const at = names.indexOf(name)
    if (at >= 0) {
      parts.push(literal, at)
      literal = ''
    } else {
      literal += name in {} ? String(({} as Record<string, unknown>)[name]) : m[0]
    }
  }
  parts.push(literal + text.slice(last))
  return parts
}
