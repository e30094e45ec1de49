import { resolve } from 'node:path'

/** The one configuration module: every environment variable the product reads. */
export interface Config {
  port: number
  dataDir: string
  databaseUrl: string | undefined
  temporalAddress: string | undefined
  temporalNamespace: string
  taskQueue: string
  adminPassword: string | undefined
  seedDemo: boolean
  temporalCliPath: string | undefined
  /** How long an API request waits for a workflow to take an action before answering 503. */
  actionDeadlineMs: number
  /** Serve (and on first start build) the web app beside the API; WEB_APP=0 runs the API alone. */
  serveWebApp: boolean
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env['PORT'] ?? 3000),
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    databaseUrl: env['DATABASE_URL'] || undefined,
    temporalAddress: env['TEMPORAL_ADDRESS'] || undefined,
    temporalNamespace: env['TEMPORAL_NAMESPACE'] ?? 'default',
    taskQueue: env['TASK_QUEUE'] ?? 'kpi-cong-vu',
    adminPassword: env['ADMIN_PASSWORD'] || undefined,
    seedDemo: env['SEED_DEMO'] !== '0',
    temporalCliPath: env['TEMPORAL_CLI_PATH'] || undefined,
    actionDeadlineMs: Number(env['ACTION_DEADLINE_SECONDS'] ?? 60) * 1000,
    serveWebApp: env['WEB_APP'] !== '0',
  }
}
