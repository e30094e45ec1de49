import { z } from '@hono/zod-openapi'
import { instant } from '../http/openapi.js'

/**
 * What the integrations' and indicators' routes answer, as zod schemas: the OpenAPI document and
 * the web app's typed client are generated from them (issue 16.5).
 */

const day = z.string().openapi({ format: 'date', example: '2026-12-31' })

/** A row a connected system sent that was refused, with the reason. */
export const RejectedRow = z
  .object({
    row: z.number().int().openapi({ description: 'its index in the batch (or line of the file)' }),
    externalId: z.string().nullable(),
    code: z.string(),
    message: z.string(),
    messageEn: z.string(),
  })
  .openapi('RejectedRow')

export const KeyView = z
  .object({
    id: z.number().int(),
    prefix: z.string().openapi({ description: 'the first characters of the key, to recognise it' }),
    createdAt: instant,
    expiresAt: instant.nullable().openapi({ description: 'after a rotation: the end of its 24 h grace' }),
    revokedAt: instant.nullable(),
    lastUsedAt: instant.nullable(),
    state: z.enum(['active', 'expiring', 'expired', 'revoked']),
  })
  .openapi('ApiKey')

export const SystemView = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), requireSignature: z.boolean(), active: z.boolean(), createdAt: instant, keys: z.array(KeyView) })
  .openapi('ConnectedSystem')

export const IssuedKey = z
  .object({ keyId: z.number().int(), key: z.string(), signingSecret: z.string(), prefix: z.string() })
  .openapi('IssuedKey', { description: 'An API key and its signing secret, shown this once' })

export const CallView = z
  .object({
    id: z.number().int(),
    systemId: z.number().int().nullable(),
    systemCode: z.string().nullable(),
    endpoint: z.string(),
    status: z.number().int(),
    errorCode: z.string().nullable(),
    rows: z.number().int(),
    accepted: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedRow),
    at: instant,
  })
  .openapi('IntegrationCall')

export const TaskBatchResult = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedRow),
    items: z.array(z.object({ externalId: z.string(), workItemId: z.number().int().nullable(), outcome: z.enum(['created', 'updated', 'unchanged', 'dryRun']) })).openapi({ description: 'the work items of the accepted rows, by external id' }),
  })
  .openapi('TaskBatchResult')

export const IndicatorBatchResult = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedRow.extend({ status: z.union([z.literal(400), z.literal(404), z.literal(409)]) })).openapi({ description: 'refused rows, late ones (409 PERIOD_LOCKED) included' }),
  })
  .openapi('IndicatorBatchResult')

/** A person or unit an indicator value is for. */
const Subject = z.object({ subject: z.string().openapi({ description: '`staff:<id>` or `unit:<id>`' }), name: z.string(), handle: z.string().openapi({ description: 'username or unit code' }), unitName: z.string().nullable() })

export const IndicatorCoverage = z
  .object({
    system: z.string(),
    systemName: z.string().nullable(),
    code: z.string(),
    unit: z.string(),
    scope: z.enum(['person', 'unit']),
    label: z.object({ vi: z.string(), en: z.string() }).nullable(),
    paths: z.array(z.string()),
    closingDate: day,
    closesAt: instant.openapi({ description: '23:59:59 Asia/Ho_Chi_Minh of the closing date: the values lock' }),
    locked: z.boolean(),
    expected: z.number().int(),
    received: z.array(z.object({ subject: Subject, value: z.number(), receivedAt: instant, updatedAt: instant })),
    missing: z.array(Subject),
    late: z.array(z.object({ subject: Subject, value: z.number(), at: instant, hasValue: z.boolean() })).openapi({ description: 'values refused because they came after the closing date' }),
    counts: z.object({ received: z.number().int(), missing: z.number().int(), late: z.number().int() }).openapi({ description: 'how many each list holds in all: the lists carry their first `limit` rows (by name); the CSV export has every row' }),
  })
  .openapi('IndicatorCoverage')

const coverageFields = { periodStart: day, periodEnd: day, indicators: z.array(IndicatorCoverage), missing: z.number().int(), late: z.number().int() }

/** Missing and late indicator values of a launch (a preview). */
export const Coverage = z.object(coverageFields).openapi('IndicatorsCoverage')

/** The same of a launched cycle. */
export const CycleCoverage = z.object({ cycleId: z.number().int(), ...coverageFields }).openapi('CycleIndicatorsCoverage')

export const recordStatus = z.enum(['pending', 'sent', 'refused', 'invalid'])

/** A cycle's delivery to the national database as the admin sees it. */
export const SyncStatus = z
  .object({
    cycleId: z.number().int(),
    cycleName: z.string(),
    cycleStatus: z.string().openapi({ example: 'CLASSIFIED' }),
    decision: z.object({ number: z.string(), date: day }).nullable(),
    startedAt: instant.nullable(),
    dueAt: instant.nullable(),
    finishedAt: instant.nullable(),
    overdue: z.boolean(),
    counts: z.object({ sent: z.number().int(), refused: z.number().int(), invalid: z.number().int(), pending: z.number().int() }),
    records: z.array(
      z.object({
        staffId: z.number().int(),
        fullName: z.string(),
        username: z.string(),
        record: z.record(z.string(), z.unknown()).openapi({ description: 'the record as sent (the national database fields)' }),
        status: recordStatus,
        reason: z.string().nullable(),
        attempts: z.number().int(),
        sentAt: instant.nullable(),
        updatedAt: instant,
      }),
    ),
  })
  .openapi('NationalDbSyncStatus')

/** The exported records (`?format=json`). */
export const NationalDbExport = z.object({ records: z.array(z.record(z.string(), z.unknown())) }).openapi('NationalDbExport')

/** How a connected system's call is authenticated (the API-key routes' description in the OpenAPI document). */
export const KEY_AUTH_DESCRIPTION =
  'Authenticated by the system\'s API key (X-KPI-Key), not a session. A signature, when sent or required: X-KPI-Timestamp and X-KPI-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body" with the signing secret>, over the body exactly as sent.'

/** The sending system's code in a batch: optional, and when sent, the key's. */
export const sendingSystem = z.string().max(40).optional().openapi({ description: "the sending system's code; when sent, must be the key's" })
