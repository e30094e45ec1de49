import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common'
import { isGrpcDeadlineError, isGrpcServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client'
import { ApiError } from '../errors.js'

const byType: Record<string, { status: 400 | 403 | 409; vi: string; en: string }> = {
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này với bản đánh giá.', en: 'You may not do this on this evaluation.' },
  WRONG_STAGE: { status: 409, vi: 'Thao tác không hợp lệ ở bước hiện tại (có thể người khác vừa xử lý).', en: 'Not allowed in the current stage (someone may have just acted).' },
  CONFLICT: { status: 409, vi: 'Bản đánh giá vừa được người khác xử lý; hãy tải lại.', en: 'The evaluation was just changed by someone else; reload it.' },
  STALE: { status: 409, vi: 'Bản đánh giá đã thay đổi so với phiên bản bạn đang xem; hãy tải lại trước khi thao tác.', en: 'The evaluation has moved on from the version you saw; reload before acting.' },
  SIGN_OFF_IN_PROGRESS: { status: 409, vi: 'Đơn vị đang được ký duyệt; bản đánh giá tạm khóa.', en: 'The unit is being signed off; the evaluation is held meanwhile.' },
  UNIT_BUSY: { status: 409, vi: 'Đang có thao tác khác của lãnh đạo trên đơn vị này; hãy thử lại sau giây lát.', en: 'Another leadership action on this unit is running; retry in a moment.' },
  VALIDATION_FAILED: { status: 400, vi: 'Dữ liệu đánh giá không hợp lệ.', en: 'Invalid evaluation data.' },
  NOTHING_ASSIGNED: { status: 400, vi: 'Chưa có sản phẩm nào được giao trong kỳ: không thể nộp.', en: 'Nothing was assigned in the period: cannot submit.' },
  UNIT_NOT_READY: { status: 409, vi: 'Đơn vị còn bản đánh giá chưa sẵn sàng để ký duyệt.', en: 'The unit still has evaluations not ready for sign-off.' },
  CYCLE_NOT_OPEN: { status: 409, vi: 'Kỳ đánh giá không ở trạng thái đang mở.', en: 'The cycle is not open.' },
}

const timeout = () =>
  new ApiError(
    503,
    'WORKFLOW_TIMEOUT',
    'Hệ thống chưa xác nhận được thao tác (quy trình đang bận hoặc tạm dừng). Hãy tải lại để kiểm tra trước khi thử lại.',
    'The action was not confirmed in time (the workflow is busy or paused). Reload to check before retrying.',
  )

/** gRPC status UNAVAILABLE: the Temporal server cannot be reached. */
const UNAVAILABLE = 14

/** Turns a workflow's refusal (validator or handler failure) or an unreachable Temporal into the API's error. */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return timeout()
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'CYCLE_NOT_OPEN', 'Quy trình của bản đánh giá chưa bắt đầu (kỳ đang khởi tạo) hoặc đã kết thúc; hãy tải lại.', 'The evaluation\'s workflow has not started yet (the cycle is launching) or has finished; reload.')
  }
  if (err instanceof WorkflowUpdateFailedError) {
    let cause: unknown = err.cause
    while (cause && !(cause instanceof ApplicationFailure && byType[cause.type ?? '']) && (cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause
    const type = cause instanceof ApplicationFailure ? (cause.type ?? '') : ''
    const known = byType[type]
    if (known) return new ApiError(known.status, type, known.vi, `${known.en} (${(cause as Error).message})`, cause instanceof ApplicationFailure && cause.details?.length ? cause.details : undefined)
    return new ApiError(503, 'WORKFLOW_FAILED', 'Quy trình không thực hiện được thao tác; chưa có gì thay đổi. Hãy thử lại sau.', `The workflow could not carry out the action; nothing changed. Retry later. (${err.message})`)
  }
  if (unreachable(err)) {
    return new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Máy chủ quy trình (Temporal) tạm thời không liên lạc được; chưa có gì thay đổi. Hãy thử lại sau ít phút.', 'The workflow server (Temporal) is unreachable for now; nothing changed. Retry in a few minutes.')
  }
  return err
}

/** Whether the error, or one it wraps (the client wraps gRPC errors in a ServiceError), says the server cannot be reached. */
function unreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && (e.code as number) === UNAVAILABLE) return true
    if ((e as { code?: unknown }).code === UNAVAILABLE) return true
    if (e instanceof Error && /tcp connect error|ECONNREFUSED|Connection refused/i.test(e.message)) return true
  }
  return false
}

/** What a unit-wide action may add to the deadline per evaluation when the configuration does not say. */
const UNIT_ACTION_MS_PER_EVALUATION = 100

/** How long an action may wait for its workflow: the configured deadline, plus each evaluation's allowance for an action over a unit. */
export function actionDeadline(config: { actionDeadlineMs: number; unitActionMsPerEvaluation?: number }, evaluations = 0): number {
  return config.actionDeadlineMs + evaluations * (config.unitActionMsPerEvaluation ?? UNIT_ACTION_MS_PER_EVALUATION)
}

/**
 * Runs a Temporal call with the configured deadline, mapping refusals and time-outs to ApiErrors.
 * `evaluations`: how many evaluations an action over a unit acts on; each adds its allowance, so a
 * large unit's sign-off is given the time it takes instead of a 503 while it is still running.
 */
export async function viaWorkflow<T>(deps: { client: Client; config: { actionDeadlineMs: number; unitActionMsPerEvaluation?: number } }, call: () => Promise<T>, evaluations = 0): Promise<T> {
  try {
    return await deps.client.withDeadline(Date.now() + actionDeadline(deps.config, evaluations), call)
  } catch (err) {
    throw toApiError(err)
  }
}
