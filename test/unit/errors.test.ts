import { ApplicationFailure } from '@temporalio/common'
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client'
import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from '../../server/db/db-errors.js'
import { ApiError } from '../../server/errors.js'
import { toApiError } from '../../server/http/temporal-errors.js'

const failed = (type: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: 'refused', nonRetryable: true }))
const code = (err: unknown) => {
  const mapped = toApiError(err)
  return mapped instanceof ApiError ? `${mapped.status} ${mapped.code}` : 'unmapped'
}

describe('the right code every time', () => {
  it('maps a workflow refusal to its 4xx and any other failed Update to 503, never 500', () => {
    expect(code(failed('WRONG_STAGE'))).toBe('409 WRONG_STAGE')
    expect(code(failed('STALE'))).toBe('409 STALE')
    expect(code(failed('SIGN_OFF_IN_PROGRESS'))).toBe('409 SIGN_OFF_IN_PROGRESS')
    expect(code(failed('FORBIDDEN'))).toBe('403 FORBIDDEN')
    expect(code(failed('SOMETHING_UNEXPECTED'))).toBe('503 WORKFLOW_FAILED')
    expect(code(new WorkflowUpdateFailedError('Workflow Update failed', new Error('handler threw')))).toBe('503 WORKFLOW_FAILED')
  })

  it('recognises an unreachable Temporal server through the errors the client wraps it in', () => {
    const grpc = Object.assign(new Error('tcp connect error'), { code: 14, details: 'tcp connect error', metadata: {} })
    expect(code(new ServiceError('Workflow Update failed', { cause: grpc }))).toBe('503 TEMPORAL_UNAVAILABLE')
    expect(code(new Error('a bug'))).toBe('unmapped')
  })

  it('tells a lost database from a bad request', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true)
    expect(isDatabaseUnavailable(new Error('database "x" is not currently accepting connections'))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false)
  })
})
