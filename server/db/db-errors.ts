/** SQLSTATE classes and codes that mean "the database is not there right now", not "the request is wrong". */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007'])
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])

/** Whether an error came from losing the database (restart, failover, terminated session), so the answer is 503 and a retry may succeed. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const e = err as { code?: unknown; message?: unknown }
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_NODE.has(e.code))) return true
  const message = typeof e.message === 'string' ? e.message : ''
  return /Connection terminated|terminating connection|not currently accepting connections|Client has encountered a connection error|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(message)
}
