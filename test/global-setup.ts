import type { TestProject } from 'vitest/node'
import { findTemporalCli, startDevServer, type DevServer } from '../server/temporal/temporal-cli.js'
import { adminDatabaseUrl } from './support/database.js'
import { TEST_NAMESPACES } from './support/namespaces.js'
import pg from 'pg'

let devServer: DevServer | undefined

/**
 * Starts one real Temporal dev server (in memory) for the whole run and checks PostgreSQL.
 * Fails loudly — never skips — when either cannot be had.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = adminDatabaseUrl()
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
    await client.query('select 1')
  } catch (err) {
    throw new Error(`PostgreSQL is required by the test suite and is not reachable at ${url} (set DATABASE_URL): ${String(err)}`, { cause: err })
  } finally {
    await client.end().catch(() => {})
  }
  let cli: string
  try {
    cli = findTemporalCli(process.env['TEMPORAL_CLI_PATH'])
  } catch (err) {
    throw new Error(`The Temporal CLI is required by the test suite: ${String(err)}`, { cause: err })
  }
  devServer = await startDevServer({ cliPath: cli, logLevel: 'never', namespaces: TEST_NAMESPACES })
  project.provide('temporalAddress', devServer.address)
  return async () => {
    await devServer?.stop()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string
  }
}
