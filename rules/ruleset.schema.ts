import { z } from 'zod'

/**
 * The rule-set model: one zod schema, from which the TypeScript types are inferred and the JSON
 * Schema served to the editor (`GET /api/rulesets/schema`) is generated. Deeper checks (operation
 * allow-list, var paths, weights, limits, test cases) live in ruleset.validate.ts.
 */
export const text = z.object({ vi: z.string().min(1).max(2000), en: z.string().min(1).max(2000) }).meta({ title: 'Nhãn (vi / en)' })
export const level = z.enum(['HTXS', 'HTT', 'HT', 'KHT'])
const logic = z.unknown().meta({ title: 'Công thức JSON Logic', format: 'json-logic' })
const key = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/, 'chữ, số, _ (tối đa 41 ký tự) / letters, digits, _')
const code = z.string().regex(/^[A-Z0-9_]{2,60}$/, 'CHỮ_IN_HOA / UPPER_CASE')
const scale = z.object({ min: z.number(), max: z.number() }).meta({ title: 'Thang điểm' })

export const formulaValue = z
  .object({
  key,
  label: text,
  formula: logic,
  scale: scale.optional(),
  nullable: z.boolean().optional().meta({ title: 'Có thể không áp dụng (null)' }),
  })
  .meta({ title: 'Giá trị tính bằng công thức' })

export const weightedValue = z
  .object({
  key,
  label: text,
  /** value = Σ weight × value / 100 over earlier computed keys or input paths (`planned.volume`); weights sum to 100. */
  weights: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,5}$/, 'tên hoặc đường dẫn / name or path'), z.number().min(0).max(100)),
  scale: scale.optional(),
  })
  .meta({ title: 'Nhóm tiêu chí có trọng số' })

export const computedValue = z.union([formulaValue, weightedValue])

export const note = z.object({
  /** Path of an array in the inputs: the note is evaluated for each of its items. */
  each: z.string().max(100).optional(),
  when: logic,
  text,
  /** Named values for {placeholders} in the text, as JSON Logic on the item (or the whole scope). */
  values: z.record(key, logic).optional(),
})

export const testCase = z.object({
  name: z.string().min(1).max(200),
  inputs: z.record(z.string(), z.unknown()),
  expect: z.object({
    total: z.number().optional(),
    level: level.optional(),
    values: z.record(key, z.number().nullable()).optional(),
    /** Code of a requirement expected to block submission. */
    failure: code.optional(),
  }),
})

/** A test of the quota on one unit: candidates with their level before quota and values; the final levels expected. */
export const quotaTestCase = z.object({
  name: z.string().min(1).max(200),
  candidates: z.array(z.object({ id: z.string().min(1).max(40), level, values: z.record(key, z.number()), positionCode: z.string().max(20).optional() })).min(1).max(500),
  /** A leadership exception's cap for the unit, when the test is about one. */
  cap: z.number().min(0).max(10).optional(),
  expect: z.record(z.string(), level),
})

export const quotaPolicy = z.object({
  level,
  ofLevel: level,
  cap: z.number().min(0).max(10),
  cutTo: level,
  tieBreak: z.array(key).min(1).max(10),
  positionGroups: z.record(z.string(), z.string()).optional(),
  /** The highest cap leadership may grant a unit as an exception (with a written reason). */
  exceptionMaxCap: z.number().min(0).max(10).optional(),
})

/**
 * An input filled by a connected system, not by the person (issue 15): its value per person or unit
 * and period comes in through `POST /api/integrations/indicators`, and locks at the end (23:59:59
 * Asia/Ho_Chi_Minh) of day `closingDay` of the month after the period's end (31 = that month's last day).
 */
export const externalInput = z
  .object({
    /** The input path it fills, e.g. `indicators.oneStopOnTime` (a number in the input schema). */
    path: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,5}$/, 'đường dẫn / path'),
    /** The connected system's code (Kết nối hệ thống). */
    system: z.string().regex(/^[A-Za-z0-9_.-]{2,40}$/, 'mã hệ thống / system code'),
    /** The indicator's code in that system, e.g. TTHC_DUNG_HAN. */
    code: z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'mã chỉ số / indicator code'),
    unit: z.string().min(1).max(20).meta({ title: 'Đơn vị tính' }),
    scope: z.enum(['person', 'unit']),
    closingDay: z.number().int().min(1).max(31).meta({ title: 'Ngày khóa số liệu (ngày của tháng sau kỳ)' }),
    label: text.optional(),
  })
  .meta({ title: 'Chỉ số từ hệ thống kết nối' })

/**
 * A rule set that classifies a year (issue 14): its inputs carry the person's classified period
 * results (`periods`, filled at launch, read-only); months per period kind weigh them, and fewer
 * months worked than `minMonths` leaves the person "không xếp loại".
 */
export const annualPolicy = z
  .object({
    minMonths: z.number().int().min(1).max(12).meta({ title: 'Số tháng công tác tối thiểu để xếp loại' }),
    monthsPerPeriod: z
      .object({ month: z.number().min(0).max(12).optional(), quarter: z.number().min(0).max(12).optional() })
      .meta({ title: 'Số tháng tính cho mỗi kỳ (tháng, quý)' }),
  })
  .meta({ title: 'Xếp loại cuối năm' })

export const ruleSetDefinitionSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9-]{2,60}$/, 'chữ thường, số, - / lowercase, digits, -'),
    name: text,
    description: text.optional(),
    appliesTo: z
      .object({
        roles: z.array(z.enum(['staff', 'leader'])).max(2).optional(),
        positionCodes: z.array(z.string().min(1).max(20)).max(100).optional(),
        unitCodes: z.array(z.string().min(1).max(40)).max(500).optional(),
      })
      .optional(),
    inputSchema: z.record(z.string(), z.unknown()),
    uiSchema: z.record(z.string(), z.unknown()).optional(),
    /** The self-assessment every evaluation starts from (the work log pre-fills products on top). */
    initialInputs: z.record(z.string(), z.unknown()).optional(),
    reviewerOnly: z.array(z.string().min(1).max(60)).max(50).optional(),
    /** Inputs whose values a connected system sends (read-only for staff, pre-filled from the indicator values). */
    externalInputs: z.array(externalInput).max(50).optional(),
    /** Present: the rule set classifies a year from its period results (cycles with periodKind "year"). */
    annual: annualPolicy.optional(),
    /** Who is evaluated: staff (default) or units — a unit rule set launches a unit cycle, one evaluation per unit, filled by its head (issue 14.2). */
    subject: z.enum(['staff', 'unit']).optional().meta({ title: 'Đối tượng đánh giá (cán bộ / đơn vị)' }),
    requirements: z.array(z.object({ code, failsWhen: logic, message: text })).max(50),
    computed: z.array(computedValue).min(1).max(200),
    totalKey: key,
    bands: z.array(z.object({ level, min: z.number().nullable() })).min(1).max(4),
    overrides: z.array(z.object({ code, when: logic, level, label: text })).max(50),
    notes: z.array(note).max(100).optional(),
    quota: quotaPolicy,
    /**
     * `keys`: rounded as they are computed, and later formulas use the rounded value (e.g. the total,
     * before banding). `display`: shown and stored rounded, but later formulas use the full value, so
     * only the keys are ever rounded in the arithmetic (NĐ 335 from its Mẫu 01 version on).
     */
    rounding: z.object({
      // At most two decimals: the record keeps totals as numeric(6,2) (Mẫu 01 shows two).
      precision: z.number().int().min(0).max(2),
      mode: z.literal('half-up'),
      keys: z.array(key).max(200),
      display: z.array(key).max(200).optional().meta({ title: 'Chỉ làm tròn khi hiển thị (tính tiếp bằng giá trị đầy đủ)' }),
    }),
    tests: z.array(testCase).max(200).optional(),
    quotaTests: z.array(quotaTestCase).max(50).optional(),
  })
  .meta({ title: 'Bộ quy tắc chấm điểm / Rule set' })

export type RuleSetDefinition = z.infer<typeof ruleSetDefinitionSchema>
export type ComputedValue = z.infer<typeof computedValue>
export type WeightedValue = z.infer<typeof weightedValue>
export type QuotaPolicy = z.infer<typeof quotaPolicy>
export type TestCase = z.infer<typeof testCase>
export type QuotaTestCase = z.infer<typeof quotaTestCase>
export type Note = z.infer<typeof note>
export type ExternalInput = z.infer<typeof externalInput>
export type AnnualPolicy = z.infer<typeof annualPolicy>

/** The JSON Schema of a rule set (draft-07, as react-jsonschema-form validates), for the schema-driven editor. */
export function ruleSetJsonSchema(): object {
  return z.toJSONSchema(ruleSetDefinitionSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' })
}
