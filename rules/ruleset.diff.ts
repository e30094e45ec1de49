import type { RuleSetDefinition, Text } from './ruleset.types.js'

export interface RuleSetChange {
  path: string
  change: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
  /** One readable line, e.g. "Ngưỡng HTXS: 90 → 85". */
  summary: Text
}

/** The changes from one rule-set version to another, with a readable line for each. */
export function diffRuleSets(before: RuleSetDefinition, after: RuleSetDefinition): RuleSetChange[] {
  const raw: Omit<RuleSetChange, 'summary'>[] = []
  walk(before, after, '', raw)
  return raw.map((c) => ({ ...c, summary: summarise(c, before, after) }))
}

function walk(a: unknown, b: unknown, path: string, out: Omit<RuleSetChange, 'summary'>[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return
  // Formulas, labels and test inputs are compared whole: a changed formula is one change, not fifty.
  const atomic = /(formula|when|failsWhen|label|message|text|inputs|expect|name|description)$/.test(path) || /^tests\[\d+\]$/.test(path)
  if (!atomic && isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k, out)
    return
  }
  if (!atomic && Array.isArray(a) && Array.isArray(b)) {
    const keyed = a.every(hasKey) && b.every(hasKey)
    if (keyed) {
      const byKey = (list: { key: string }[]) => new Map(list.map((x) => [x.key, x]))
      const ma = byKey(a)
      const mb = byKey(b)
      for (const k of new Set([...ma.keys(), ...mb.keys()])) walk(ma.get(k), mb.get(k), `${path}[${k}]`, out)
      return
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out)
    return
  }
  out.push({ path, change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed', ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) })
}

function summarise(c: Omit<RuleSetChange, 'summary'>, before: RuleSetDefinition, after: RuleSetDefinition): Text {
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'object' ? 'JSON' : `${v as string | number | boolean}`)
  const arrow = `${show(c.before)} → ${show(c.after)}`
  const band = c.path.match(/^bands\[(\d+)\]\.min$/)
  if (band) {
    const level = (after.bands[Number(band[1])] ?? before.bands[Number(band[1])])?.level
    return { vi: `Ngưỡng ${level}: ${arrow}`, en: `${level} threshold: ${arrow}` }
  }
  const computed = c.path.match(/^computed\[(\w+)\](?:\.(\w+))?(?:\.(\w+))?/)
  if (computed) {
    const key = computed[1]!
    const item = after.computed.find((x) => x.key === key) ?? before.computed.find((x) => x.key === key)
    const label = item?.label ?? { vi: key, en: key }
    if (!computed[2]) return c.change === 'added' ? { vi: `Thêm chỉ tiêu "${label.vi}"`, en: `Added "${label.en}"` } : { vi: `Bỏ chỉ tiêu "${label.vi}"`, en: `Removed "${label.en}"` }
    if (computed[2] === 'formula') return { vi: `Công thức "${label.vi}" thay đổi`, en: `Formula of "${label.en}" changed` }
    if (computed[2] === 'weights') return { vi: `Trọng số "${computed[3] ?? ''}" của "${label.vi}": ${arrow}`, en: `Weight "${computed[3] ?? ''}" in "${label.en}": ${arrow}` }
    return { vi: `"${label.vi}" — ${computed.slice(2).filter(Boolean).join('.')}: ${arrow}`, en: `"${label.en}" — ${computed.slice(2).filter(Boolean).join('.')}: ${arrow}` }
  }
  if (c.path === 'quota.cap') return { vi: `Tỷ lệ HTXS tối đa: ${arrow}`, en: `Excellent-rating cap: ${arrow}` }
  if (c.path.startsWith('overrides')) return { vi: `Trường hợp xếp KHT (${c.path}) thay đổi`, en: `Override (${c.path}) changed` }
  if (c.path.startsWith('tests')) return { vi: `Ca kiểm thử (${c.path}) ${c.change === 'added' ? 'được thêm' : c.change === 'removed' ? 'bị bỏ' : 'thay đổi'}`, en: `Test case (${c.path}) ${c.change}` }
  if (c.path.startsWith('inputSchema')) return { vi: `Biểu mẫu tự đánh giá (${c.path}) thay đổi`, en: `Self-assessment form (${c.path}) changed` }
  return { vi: `${c.path}: ${arrow}`, en: `${c.path}: ${arrow}` }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const hasKey = (v: unknown): v is { key: string } => isObject(v) && typeof v['key'] === 'string'
