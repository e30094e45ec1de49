import type { Transition } from '../../workflows/stages.js'
import type { Db } from '../db/database.js'
import type { EvaluationRow } from '../db/schema.js'
import { ApiError } from '../errors.js'
import { projectTransition } from './transition.projection.js'

/** How long the API keeps trying to show a recorded transition before it answers 503 (the workflow's projection goes on). */
const WRITE_THROUGH_MS = 10_000

/**
 * Writes the transition the evaluation's workflow has just recorded to the read model, before the
 * API answers: so every API instance shows the action at once. It is the same guarded, exactly-once
 * write the workflow's own projection makes (whichever comes second finds it "already" there), so
 * a caller that dies here loses nothing. While the database is away or an earlier version is still
 * on its way, it retries with back-off; in the end it answers 503 — the action stands, and shows
 * as soon as the workflow's projection gets through.
 */
export async function writeThrough(db: Db, t: Transition, seen: EvaluationRow): Promise<void> {
  const until = Date.now() + WRITE_THROUGH_MS
  let row: EvaluationRow | undefined = seen
  for (let wait = 25; ; wait = Math.min(wait * 2, 1000)) {
    try {
      if ((await projectTransition(db, t, row)) !== 'conflict') return
      throw conflicting()
    } catch (err) {
      if (err instanceof ApiError || Date.now() + wait > until) throw err instanceof ApiError ? err : notVisibleYet()
    }
    row = undefined
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

const notVisibleYet = () =>
  new ApiError(
    503,
    'RECORDED_NOT_SHOWN',
    'Thao tác đã được ghi nhận nhưng chưa hiển thị được do cơ sở dữ liệu gián đoạn; kết quả sẽ tự cập nhật. Không cần thực hiện lại.',
    'The action is recorded but cannot be shown yet (the database is interrupted); it will appear by itself. Do not repeat it.',
  )

const conflicting = () =>
  new ApiError(
    503,
    'PROJECTION_CONFLICT',
    'Thao tác đã được ghi nhận nhưng dữ liệu hiển thị đang lệch; bộ phận vận hành đã được báo. Không cần thực hiện lại.',
    'The action is recorded but the read model disagrees with it; the operators are alerted. Do not repeat it.',
  )
