import { FailureType } from '../../workflows/stages.js'
import { ApiError } from '../errors.js'

/** 409: the petition window is not open (not published yet, closed, or the results are locked). */
export const windowClosed = () =>
  new ApiError(409, 'PETITION_WINDOW_CLOSED', 'Không trong thời hạn kiến nghị: kết quả chưa công bố hoặc đã hết hạn kiến nghị (kết quả đã khóa).', 'Outside the petition window: the results are not published yet, or the window has closed (results locked).')

/** 409: a petition on this evaluation waits for its answer, or the re-review it led to is not over. */
export const petitionOpen = () =>
  new ApiError(409, 'PETITION_OPEN', 'Bạn đã có một kiến nghị về kết quả này đang chờ trả lời hoặc đang được xem xét lại.', 'You already have a petition on this result waiting for its answer or under review.')

/** 409: the petition has been answered. */
export const answered = () => new ApiError(409, 'PETITION_ANSWERED', 'Kiến nghị đã được trả lời.', 'The petition has been answered already.')

/** The cycle workflow's refusals of a petition Update, as the API answers them. */
export const petitionErrors: Record<string, () => ApiError> = {
  [FailureType.petitionWindowClosed]: windowClosed,
  [FailureType.petitionOpen]: petitionOpen,
  [FailureType.petitionAnswered]: answered,
}
