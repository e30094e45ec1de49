import type { NationalDbConfig } from '../config.js'
import type { NationalDbRecord } from './national-db.mapping.js'

/** The receiver's answer for one record. */
export interface RecordResult {
  personalId: string
  ok: boolean
  reason?: string
}

/** The receiver could not be reached or did not answer properly: the whole batch is retried later. */
export class NationalDbUnavailable extends Error {}

/**
 * The default adapter: POSTs `{"records":[…]}` to NATIONAL_DB_URL (Bearer NATIONAL_DB_TOKEN,
 * `Idempotency-Key` = the batch key, the same on every retry of the batch) and reads
 * `{"results":[{personalId, ok, reason?}]}`. Any HTTP error, timeout or unreadable answer throws
 * NationalDbUnavailable (the activity retries it with back-off).
 */
export async function sendRecords(config: Pick<NationalDbConfig, 'url' | 'token' | 'timeoutMs'>, records: NationalDbRecord[], batchKey: string): Promise<RecordResult[]> {
  if (!config.url) throw new NationalDbUnavailable('NATIONAL_DB_URL is not set: results wait until it is')
  let res: Response
  try {
    res = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': batchKey, ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) },
      body: JSON.stringify({ records }),
      signal: AbortSignal.timeout(config.timeoutMs),
    })
  } catch (err) {
    throw new NationalDbUnavailable(`national database unreachable: ${String(err)}`)
  }
  const text = await res.text().catch(() => '')
  if (!res.ok) throw new NationalDbUnavailable(`national database answered HTTP ${res.status}: ${text.slice(0, 200)}`)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new NationalDbUnavailable('national database answered no JSON')
  }
  const results = (body as { results?: unknown }).results
  if (!Array.isArray(results)) throw new NationalDbUnavailable('national database answered without "results"')
  return results.flatMap((r: unknown) => {
    const x = r as { personalId?: unknown; ok?: unknown; reason?: unknown }
    if (typeof x.personalId !== 'string' || typeof x.ok !== 'boolean') return []
    return [{ personalId: x.personalId, ok: x.ok, ...(typeof x.reason === 'string' ? { reason: x.reason.slice(0, 1000) } : {}) }]
  })
}
