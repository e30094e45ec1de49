import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'
import { isDatabaseUnavailable } from './db-errors.js'
import * as initial from './migrations/2026-11-22-001-initial.js'
import * as worklog from './migrations/2026-11-22-002-worklog.js'
import * as projection from './migrations/2026-12-01-001-projection.js'
import * as auditChain from './migrations/2026-12-01-002-audit-chain.js'
import * as prefilledProducts from './migrations/2026-12-01-004-prefilled-products.js'
import * as sessions from './migrations/2026-12-01-003-sessions.js'
import * as worklogIndexes from './migrations/2026-12-01-005-worklog-indexes.js'
import * as readModelScale from './migrations/2026-12-01-006-read-model-scale.js'
import * as notificationDigests from './migrations/2026-12-01-007-notification-digests.js'
import * as calendar from './migrations/2026-12-01-008-calendar.js'
import * as integrations from './migrations/2026-12-01-009-integrations.js'
import * as petitions from './migrations/2026-12-01-010-petitions.js'
import * as indicators from './migrations/2026-12-01-011-indicators.js'
import * as delegations from './migrations/2026-12-01-012-delegations.js'
import * as annual from './migrations/2026-12-01-013-annual.js'
import * as unitEvaluations from './migrations/2026-12-01-014-unit-evaluations.js'
import * as columnTypes from './migrations/2026-12-01-015-column-types.js'
import * as resultsOrder from './migrations/2026-12-01-016-results-order.js'
import * as orgVersion from './migrations/2026-12-03-017-org-version.js'
import * as currentScores from './migrations/2026-12-04-018-current-scores.js'

export type Db = Kysely<Database>

/** The migrations, in order. Imported statically so bundlers and tsx agree. */
const migrations: Record<string, Migration> = {
  '2026-11-22-001-initial': initial,
  '2026-11-22-002-worklog': worklog,
  '2026-12-01-001-projection': projection,
  '2026-12-01-002-audit-chain': auditChain,
  '2026-12-01-004-prefilled-products': prefilledProducts,
  '2026-12-01-003-sessions': sessions,
  '2026-12-01-005-worklog-indexes': worklogIndexes,
  '2026-12-01-006-read-model-scale': readModelScale,
  '2026-12-01-007-notification-digests': notificationDigests,
  '2026-12-01-008-calendar': calendar,
  '2026-12-01-009-integrations': integrations,
  '2026-12-01-010-petitions': petitions,
  '2026-12-01-011-indicators': indicators,
  '2026-12-01-012-delegations': delegations,
  '2026-12-01-013-annual': annual,
  '2026-12-01-014-unit-evaluations': unitEvaluations,
  '2026-12-01-015-column-types': columnTypes,
  '2026-12-01-016-results-order': resultsOrder,
  '2026-12-03-017-org-version': orgVersion,
  '2026-12-04-018-current-scores': currentScores,
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) }

/** A migrator over the product's migrations (tests migrate to a given one, then on). */
export const migratorOf = (db: Db): Migrator => new Migrator({ db, provider })

/**
 * How both drivers read the types the code base sees as plain JS values: a `date` as its
 * 'yyyy-mm-dd' text (a calendar day, not an instant at some process's midnight) and a `numeric`
 * (scores, numeric(6,2)) as a number — two decimals are exact enough in a double.
 */
const DATE_OID = 1082
const NUMERIC_OID = 1700
const asDay = (v: string): string => v
const asNumber = (v: string): number => Number(v)

/** pg's parsers for this pool only: pg's global parsers (other pools, other libraries) stay as they are. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === DATE_OID) return asDay
    if (format !== 'binary' && oid === NUMERIC_OID) return asNumber
    return pg.types.getTypeParser(oid, format)
  }) as typeof pg.types.getTypeParser,
}

/** Opens PostgreSQL when a URL is given, else embedded PGlite persisted under dataDir. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, types: pgTypes })
    // An idle connection the server closed (restart, failover, terminated session) is reported here:
    // without a listener it would kill the process. The pool drops it and opens a new one when asked.
    pool.on('error', (err) => console.warn(`PostgreSQL: idle connection lost (${err.message}); it will be replaced`))
    // A connection the server ends while it is checked out also emits 'error' (besides failing its
    // query); without a listener that event would end the process. The query's caller handles the failure.
    pool.on('connect', (client) => client.on('error', (err) => console.warn(`PostgreSQL: connection lost (${err.message})`)))
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  }
  const { PGlite } = await import('@electric-sql/pglite')
  mkdirSync(options.dataDir, { recursive: true })
  const pglite = await PGlite.create(join(options.dataDir, 'pglite'), { parsers: { [DATE_OID]: asDay, [NUMERIC_OID]: asNumber } })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgliteAsPool(pglite) }) })
}

/**
 * Runs every pending migration; throws with the failing migration's name. A process starting
 * while the database is unreachable (restart, failover) waits for it, up to `waitMs`.
 */
export async function migrate(db: Db, waitMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const { error, results } = await migratorOf(db).migrateToLatest()
    if (!error) return
    if (isDatabaseUnavailable(error) && Date.now() < deadline) {
      console.warn(`PostgreSQL unreachable (${(error as Error).message}); retrying in 1 s`)
      await new Promise((r) => setTimeout(r, 1000))
      continue
    }
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error })
  }
}

type PGliteInstance = import('@electric-sql/pglite').PGlite

/**
 * PGlite has one connection: a pool of one, handed out under a lock, so a kysely
 * transaction owns the connection until it releases it.
 */
function pgliteAsPool(pglite: PGliteInstance): any {
  let queue: Promise<void> = Promise.resolve()
  const client = {
    async query(text: string, params: unknown[]) {
      const r = await pglite.query(text, params)
      const command = text.trimStart().split(/\s+/, 1)[0]!.toUpperCase()
      return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows }
    },
    release: () => {},
  }
  return {
    async connect() {
      let release!: () => void
      const previous = queue
      queue = new Promise<void>((resolve) => (release = resolve))
      await previous
      return { ...client, release }
    },
    async end() {
      await pglite.close()
    },
  }
}
