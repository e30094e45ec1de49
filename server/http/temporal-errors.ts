import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common'
import { isGrpcDeadlineError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client'
import { ApiError } from '../errors.js'

const byType: Record<string, { status: 400 | 403 | 409; vi: string; en: string }> = {
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này với bản đánh giá.', en: 'You may not do this on this evaluation.' },
  WRONG_STAGE: { status: 409, vi: 'Thao tác không hợp lệ ở bước hiện tại (có thể người khác vừa xử lý).', en: 'Not allowed in the current stage (someone may have just acted).' },
  CONFLICT: { status: 409, vi: 'Bản đánh giá vừa được người khác xử lý; hãy tải lại.', en: 'The evaluation was just changed by someone else; reload it.' },
  VALIDATION_FAILED: { status: 400, vi: 'Dữ liệu đánh giá không hợp lệ.', en: 'Invalid evaluation data.' },
  NOTHING_ASSIGNED: { status: 400, vi: 'Chưa có sản phẩm nào được giao trong kỳ: không thể nộp.', en: 'Nothing was assigned in the period: cannot submit.' },
  UNIT_NOT_READY: { status: 409, vi: 'Đơn vị còn bản đánh giá chưa sẵn sàng để ký duyệt.', en: 'The unit still has evaluations not ready for sign-off.' },
  CYCLE_NOT_OPEN: { status: 409, vi: 'Kỳ đánh giá không ở trạng thái đang mở.', en: 'The cycle is not open.' },
}

/** Turns a workflow's refusal (validator or handler failure) into the API's error. */
export function toApiError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) {
    return new ApiError(
      503,
      'WORKFLOW_TIMEOUT',
      'Hệ thống chưa xác nhận được thao tác (quy trình đang bận hoặc tạm dừng). Hãy tải lại để kiểm tra trước khi thử lại.',
      'The action was not confirmed in time (the workflow is busy or paused). Reload to check before retrying.',
    )
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'CYCLE_NOT_OPEN', 'Quy trình của bản đánh giá đã kết thúc.', 'The workflow has already finished.')
  }
  if (!(err instanceof WorkflowUpdateFailedError)) return err
  let cause: unknown = err.cause
  while (cause && !(cause instanceof ApplicationFailure) && (cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause
  const type = cause instanceof ApplicationFailure ? (cause.type ?? '') : ''
  const known = byType[type]
  if (!known) return err
  return new ApiError(known.status, type, known.vi, `${known.en} (${(cause as Error).message})`)
}

/** Runs a Temporal call with the configured deadline, mapping refusals and time-outs to ApiErrors. */
export async function viaWorkflow<T>(deps: { client: Client; config: { actionDeadlineMs: number } }, call: () => Promise<T>): Promise<T> {
  try {
    return await deps.client.withDeadline(Date.now() + deps.config.actionDeadlineMs, call)
  } catch (err) {
    throw toApiError(err)
  }
}
