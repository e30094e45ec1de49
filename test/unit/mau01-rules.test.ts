import { beforeAll, describe, expect, it } from 'vitest'
import { screenMessages } from '../../admin-ui/src/i18n.js'
import { approvalBody, authorityGeneral, uiWithoutKeys, withoutKeys } from '../../admin-ui/src/form/evaluation-form.js'
import { assessmentComplete, assessmentFields, criteriaProblems, formatScore, generalCriteria, generalScore, groupScore, withValue } from '../../admin-ui/src/form/mau01.model.js'
import { nd335FlatRuleSet, nd335RuleSet } from '../../rules/defaults.js'
import { evaluateRuleSet } from '../../rules/evaluate.js'
import { validateInputs } from '../../rules/inputs.validate.js'
import { effectiveInputs } from '../../server/evaluations/effective-inputs.js'
import { scoreDocument } from '../../server/evaluations/scoring.js'
import { assessment, doc, general } from '../support/documents.js'

const def = nd335RuleSet()
type Schema = { properties: Record<string, Schema>; title?: string; maximum?: number; minimum?: number; multipleOf?: number; type?: string; required?: string[] }
const schema = def.inputSchema as unknown as Schema

const workedExample = {
  role: 'staff',
  general: general(9),
  assessment,
  products: [
    { code: 'VB', k: 1, assigned: 10, done: 9, qualityFailures: 0, delays: 1 },
    { code: 'BC', k: 2.5, assigned: 2, done: 2, qualityFailures: 1, delays: 0 },
  ],
}


// The form's messages are in the screens' catalogue (loaded with the first screen in the app).
beforeAll(screenMessages)

describe('the default NĐ 335 rule set follows Mẫu số 01', () => {
  it('groups the general criteria as I (5 + 5), II (4 × 2.5), III (4 × 2.5): 30 points, every figure in the schema', () => {
    const groups = schema.properties['general']!.properties
    const shape = Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, Object.fromEntries(Object.entries(g.properties).map(([c, s]) => [c, s.maximum]))]))
    expect(shape).toEqual({
      ethics: { politics: 5, discipline: 5 },
      competence: { expertise: 2.5, taskResponse: 2.5, responsibility: 2.5, serviceAttitude: 2.5 },
      innovation: { renewal: 2.5, creativity: 2.5, daringThought: 2.5, daringAction: 2.5 },
    })
    for (const g of Object.values(groups)) {
      expect(g.title).toMatch(/^[A-ZĐÂ]/)
      for (const c of Object.values(g.properties)) expect(c).toMatchObject({ type: 'number', minimum: 0, multipleOf: 0.25, title: expect.any(String) })
    }
    expect(groups['ethics']!.properties['politics']!.title).toBe('Phẩm chất chính trị, đạo đức, văn hóa công vụ')
    expect(groups['competence']!.properties['serviceAttitude']!.title).toBe('Thái độ phục vụ Nhân dân, doanh nghiệp và tinh thần phối hợp')
  })

  it('scores each group as the sum of its criteria and the general score as the sum of the groups, and says so in the trace', () => {
    const inputs = { ...workedExample, general: { ethics: { politics: 4.75, discipline: 4.5 }, competence: { expertise: 2.5, taskResponse: 2.25, responsibility: 2.5, serviceAttitude: 2 }, innovation: { renewal: 1.75, creativity: 2, daringThought: 1.5, daringAction: 2.25 } } }
    const r = evaluateRuleSet(def, inputs)
    expect(r.values).toMatchObject({ ethicsScore: 9.25, competenceScore: 9.25, innovationScore: 7.5, generalScore: 26 })
    expect(r.trace.slice(0, 5).map((l) => l.text.vi)).toEqual([
      'Tổng sản phẩm quy đổi được giao: 15',
      'Điểm nhóm I: phẩm chất chính trị, đạo đức, văn hóa công vụ và ý thức kỷ luật, kỷ cương: 9,25',
      'Điểm nhóm II: năng lực, trách nhiệm và thái độ phục vụ: 9,25',
      'Điểm nhóm III: đổi mới, sáng tạo, dám nghĩ, dám làm: 7,5',
      'Điểm tiêu chí chung: 26',
    ])
  })

  it('keeps the worked example of domain.md: general 27 (9 per group) → 90.97, HTXS', () => {
    expect(evaluateRuleSet(def, workedExample)).toMatchObject({ total: 90.97, level: 'HTXS', values: { generalScore: 27, a: 93.33, b: 89.17, c: 91.67, task: 63.97 } })
    // The shared test document keeps 3·g points: doc(9, 10) = 27 + 70.
    expect(evaluateRuleSet(def, { ...doc(9, 10), role: 'staff' })).toMatchObject({ total: 97, values: { generalScore: 27 } })
  })

  it('refuses a score above its criterion, off its step, or a review longer than 2,000 characters, naming the path', () => {
    const paths = (inputs: Record<string, unknown>) => validateInputs(def, inputs).map((e) => `${e.path}: ${e.message}`)
    expect(paths({ ...workedExample, general: { ...general(9), ethics: { politics: 5.25, discipline: 4 } } })).toEqual(['general.ethics.politics: must be <= 5'])
    expect(paths({ ...workedExample, general: { ...general(9), competence: { expertise: 2.1, taskResponse: 2, responsibility: 2, serviceAttitude: 2 } } })).toEqual(['general.competence.expertise: must be multiple of 0.25'])
    expect(paths({ ...workedExample, assessment: { ...assessment, strengths: 'x'.repeat(2001) } })).toEqual(['assessment.strengths: must NOT have more than 2000 characters'])
    expect(paths({ ...workedExample, assessment: { ...assessment, proposedLevel: 'XS' } })).toEqual(['assessment.proposedLevel: must be equal to one of the allowed values'])
  })

  it('blocks submission until strengths, weaknesses and the proposed level are given (a draft may lack them)', () => {
    const { proposedLevel: _p, ...withoutLevel } = assessment
    for (const own of [undefined, { ...assessment, strengths: '' }, { ...assessment, weaknesses: '' }, withoutLevel]) {
      const draft = { ...workedExample, assessment: own }
      expect(validateInputs(def, draft)).toEqual([])
      expect(evaluateRuleSet(def, draft).failures.map((f) => f.code)).toEqual(['ASSESSMENT_INCOMPLETE'])
    }
    expect(evaluateRuleSet(def, workedExample).failures).toEqual([])
  })

  it("scores the authority's adjusted criteria, keeps the person's own review, and checks the authority's", () => {
    const { role: _r, ...data } = workedExample
    const adjustments = { general: { innovation: { renewal: 1 } }, assessment: { comment: 'Cần chủ động đổi mới', proposedLevel: 'HTT' } }
    const inputs = effectiveInputs(data, adjustments, 'staff')
    expect(inputs['general']).toEqual({ ...general(9), innovation: { ...general(9).innovation, renewal: 1 } })
    expect(inputs['assessment']).toEqual(assessment)
    expect(inputs['review']).toEqual(adjustments.assessment)
    const scored = scoreDocument(def, data, adjustments, 'staff')
    expect(scored.ok && scored.result.values).toMatchObject({ innovationScore: 7.75, generalScore: 25.75, total: 89.72 })
    const bad = scoreDocument(def, data, { assessment: { proposedLevel: 'GIỎI' } }, 'staff')
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['review.proposedLevel'])
  })

  it('keeps earlier documents with the content they were launched on: three boxes there, refused by Mẫu 01', () => {
    const flatDoc = { general: { ethics: 9, competence: 9, innovation: 9 }, products: workedExample.products }
    const old = scoreDocument(nd335FlatRuleSet(), flatDoc, { general: { innovation: 8 } }, 'staff')
    expect(old.ok && old.result).toMatchObject({ total: 89.97, values: { generalScore: 26 } })
    const refused = scoreDocument(def, flatDoc, null, 'staff')
    expect(refused.ok ? [] : refused.errors.map((e) => e.path)).toEqual(['general.ethics', 'general.competence', 'general.innovation'])
  })
})

describe('the Mẫu 01 screen, read from the schema', () => {
  const ui = def.uiSchema ?? {}
  const criteria = generalCriteria(def.inputSchema, ui)!

  it('lists groups and criteria in the rule set order with titles and maxima (groups: the sum of theirs)', () => {
    expect(criteria.maximum).toBe(30)
    expect(criteria.groups.map((g) => [g.path.join('.'), g.maximum, g.criteria.length])).toEqual([
      ['general.ethics', 10, 2],
      ['general.competence', 10, 4],
      ['general.innovation', 10, 4],
    ])
    expect(criteria.groups[2]!.criteria.map((c) => c.path[2])).toEqual(['renewal', 'creativity', 'daringThought', 'daringAction'])
    expect(criteria.groups[0]!.criteria[0]).toMatchObject({ title: 'Phẩm chất chính trị, đạo đức, văn hóa công vụ', maximum: 5, minimum: 0, step: 0.25 })
  })

  it('reads the three boxes of earlier rule sets as groups of one', () => {
    const flat = generalCriteria(nd335FlatRuleSet().inputSchema, nd335FlatRuleSet().uiSchema)!
    expect(flat.groups.map((g) => [g.single, g.maximum, g.criteria[0]!.path.join('.')])).toEqual([
      [true, 10, 'general.ethics'],
      [true, 10, 'general.competence'],
      [true, 10, 'general.innovation'],
    ])
    expect(generalScore({ general: { ethics: 9, competence: 8, innovation: 7.5 } }, flat)).toBe(24.5)
  })

  it('sums groups and totals, shows them with a decimal comma, and leaves an unfinished total blank', () => {
    const doc9 = { general: general(9.5, 9.25, 8) }
    expect(groupScore(doc9, criteria.groups[1]!)).toBe(9.25)
    expect(generalScore(doc9, criteria)).toBe(26.75)
    expect(formatScore(26.75, 'vi')).toBe('26,75')
    expect(formatScore(62.416666, 'vi')).toBe('62,42')
    expect(formatScore(null, 'vi')).toBe('—')
    expect(generalScore(withValue(doc9, ['general', 'ethics', 'politics'], null), criteria)).toBeNull()
  })

  it('marks a score out of range or off its step, in Vietnamese', () => {
    let d: Record<string, unknown> = { general: general(9) }
    d = withValue(d, ['general', 'ethics', 'politics'], 6)
    d = withValue(d, ['general', 'competence', 'expertise'], 2.1)
    d = withValue(d, ['general', 'innovation', 'renewal'], null)
    expect(Object.fromEntries(criteriaProblems(d, criteria, 'vi'))).toEqual({
      'general.ethics.politics': 'phải ≤ 5',
      'general.competence.expertise': 'phải là bội của 0,25',
      'general.innovation.renewal': 'bắt buộc nhập',
    })
  })

  it("finds the person's review and the authority's in the schema, and when the review is complete", () => {
    const fields = assessmentFields(def.inputSchema)
    expect(fields).toMatchObject({ strengths: { title: 'Ưu điểm', maxLength: 2000 }, weaknesses: { maxLength: 2000 }, proposedLevel: { levels: ['HTXS', 'HTT', 'HT', 'KHT'] }, review: { levels: ['HTXS', 'HTT', 'HT', 'KHT'] } })
    expect(assessmentComplete({ assessment }, fields)).toBe(true)
    expect(assessmentComplete({ assessment: { ...assessment, weaknesses: '  ' } }, fields)).toBe(false)
    expect(assessmentFields(nd335FlatRuleSet().inputSchema)).toEqual({ strengths: null, weaknesses: null, proposedLevel: null, review: null })
  })

  it('leaves the general criteria and the review to the table, the rest to the generated form', () => {
    const rest = withoutKeys(def.inputSchema, ['general', 'assessment'])
    expect(Object.keys(rest.properties ?? {})).toEqual(['role', 'products', 'leader', 'overrides', 'review'])
    expect(rest.required).toEqual(['role', 'products'])
    expect(uiWithoutKeys(ui, ['general', 'assessment'])['ui:order']).toEqual(['products', '*'])
  })

  it("sends the authority's scores whole when they differ, with the comment and level; nothing when they agree", () => {
    const data = { general: general(9), assessment }
    const authority = withValue(authorityGeneral(data, null), ['general', 'innovation', 'renewal'], 1.5)
    expect(approvalBody(data, authority, { comment: ' Tốt ', proposedLevel: 'HTT' })).toEqual({
      comment: 'Tốt',
      adjustments: { general: authority['general'], assessment: { comment: 'Tốt', proposedLevel: 'HTT' } },
    })
    expect(approvalBody(data, authorityGeneral(data, null), { comment: '', proposedLevel: '' })).toEqual({})
    // An earlier approval's adjustments are replaced when the authority now agrees.
    expect(approvalBody(data, authorityGeneral(data, null), null, { general: { innovation: { renewal: 1 } } })).toEqual({ adjustments: {} })
    expect(authorityGeneral(data, { general: { innovation: { renewal: 1 } } })['general']).toEqual({ ...general(9), innovation: { ...general(9).innovation, renewal: 1 } })
  })
})
