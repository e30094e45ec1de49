/** Error codes the API returns; a string-literal union so clients can switch on them. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_A_WEEKEND'
  | 'PETITION_WINDOW_CLOSED'
  | 'PETITION_OPEN'
  | 'PETITION_ANSWERED'
  | 'NO_WORKING_DAY'
  | 'RECORDED_NOT_SHOWN'
  | 'PROJECTION_CONFLICT'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'WRONG_STAGE'
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'NOTHING_ASSIGNED'
  | 'UNKNOWN_PRODUCT'
  | 'PRODUCT_NOT_FOR_POSITION'
  | 'WORKLOG_READ_ONLY'
  | 'REASON_REQUIRED'
  | 'UNIT_NOT_READY'
  | 'CYCLE_NOT_OPEN'
  | 'STALE'
  | 'SIGN_OFF_IN_PROGRESS'
  | 'UNIT_BUSY'
  | 'WORKFLOW_TIMEOUT'
  | 'WORKFLOW_FAILED'
  | 'TEMPORAL_UNAVAILABLE'
  | 'LAUNCH_PENDING'
  | 'DATABASE_UNAVAILABLE'
  | 'CSRF'
  | 'TOO_MANY_ATTEMPTS'
  | 'FORMULA_BUDGET_EXCEEDED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL'

/** The one error type: an HTTP status, a code, and the message in Vietnamese and English. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503,
    readonly code: ErrorCode | (string & {}),
    readonly vi: string,
    readonly en: string,
    readonly details?: unknown,
  ) {
    super(en)
  }
}

/** 404; `what` is "Vietnamese noun / English noun". */
export const notFound = (what: string, id: string | number) => {
  const [vi, en = vi] = what.split(' / ')
  return new ApiError(404, 'NOT_FOUND', `Không tìm thấy ${vi} #${id}.`, `No ${en} #${id}.`)
}

export const forbidden = (vi: string, en: string) => new ApiError(403, 'FORBIDDEN', vi, en)

export const wrongStage = (stage: string, action: string) =>
  new ApiError(409, 'WRONG_STAGE', `Không thể "${action}" khi bản đánh giá đang ở bước ${stage}.`, `Cannot "${action}" while the evaluation is in stage ${stage}.`)

/** 409 STALE: the caller acted on a version the evaluation has moved on from. */
export const stale = (current: number) =>
  new ApiError(409, 'STALE', `Bản đánh giá đã thay đổi (hiện là phiên bản ${current}); hãy tải lại trước khi thao tác.`, `The evaluation has moved on (now version ${current}); reload before acting.`, { version: current })
