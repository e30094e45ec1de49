import type { RuleSetDefinition } from '../../rules/ruleset.types.js'
import { ApiError } from '../errors.js'

/**
 * The periods of an annual evaluation are the record's (filled at launch from the classified
 * period results): a saved self-assessment keeps them whatever the request says.
 */
export function keepRecordedPeriods(definition: RuleSetDefinition, stored: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  return definition.annual ? { ...data, periods: stored['periods'] ?? [] } : data
}

/** Nor may a reviewer's adjustments change them (adjustments are merged over the person's data). */
export function refuseAdjustedPeriods(definition: RuleSetDefinition, adjustments: Record<string, unknown> | null | undefined): void {
  if (definition.annual && adjustments && 'periods' in adjustments) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'Kết quả các kỳ trong năm lấy từ các kỳ đã xếp loại, không điều chỉnh được.', 'The year’s period results come from the classified periods and cannot be adjusted.')
  }
}
