import { resolve } from 'node:path'

/** The one configuration module: every environment variable the product reads. */
export interface Config {
  port: number
  dataDir: string
  databaseUrl: string | undefined
  /** MIGRATION_DATABASE_URL: the schema owner, used only to migrate; DATABASE_URL is then a role that owns no table. */
  migrationDatabaseUrl: string | undefined
  temporalAddress: string | undefined
  temporalNamespace: string
  taskQueue: string
  adminPassword: string | undefined
  seedDemo: boolean
  temporalCliPath: string | undefined
  /** How long an API request waits for a workflow to take an action before answering 503. */
  actionDeadlineMs: number
  /**
   * What a leadership action over a whole unit (sign-off, return) adds to that deadline per evaluation of
   * the unit: it runs one or two Updates per evaluation, 32 at a time (a unit of 2,000 signs off in about
   * 70 s on two cores with PGlite). UNIT_ACTION_MS_PER_EVALUATION, default 100.
   */
  unitActionMsPerEvaluation: number
  /**
   * SERVER_TIMING=1: every API answer carries a `Server-Timing` header (session check, evaluation read,
   * scoring, the workflow's Update, the read-model write), read by the browser's developer tools and by
   * `npm run bench -- cycle`. Off by default: timings are for operators, not for every client.
   */
  serverTiming: boolean
  /** Serve (and on first start build) the web app beside the API; WEB_APP=0 runs the API alone. */
  serveWebApp: boolean
  /** Sign-in throttling, session lifetimes and cookie rules. */
  auth: AuthConfig
  /**
   * PAYLOAD_KEY (base64, 32 bytes): encrypts every Temporal payload; PAYLOAD_OLD_KEYS (comma-separated)
   * still decrypt what earlier keys sealed. Unset: `npm start` makes one in the data folder.
   */
  payloadKey: string | undefined
  payloadOldKeys: string[]
  /** CODEC_PORT: the loopback port of the Temporal Web UI's codec endpoint (`npm start` and `npm run codec-server`). */
  codecPort: number
  /** TEMPORAL_UI_ORIGIN: the Web UI origin the codec endpoint answers (CORS). */
  temporalUiOrigin: string
  /** Delivery of results to the national cán bộ, công chức, viên chức database. */
  nationalDb: NationalDbConfig
}

/** Where and how results go to the national database (read by the worker's activities). */
export interface NationalDbConfig {
  /** NATIONAL_DB_URL: the endpoint receiving `{"records":[…]}`; unset → nothing is sent (records stay pending, health degrades once due). */
  url: string | undefined
  /** NATIONAL_DB_TOKEN: sent as `Authorization: Bearer …` (the credentials the national database issues). */
  token: string | undefined
  /** NATIONAL_DB_AGENCY_CODE: the agency's code in the national list; unset → the code of the person's top-level unit. */
  agencyCode: string | undefined
  /** NATIONAL_DB_BATCH_SIZE (default 100): records per request. */
  batchSize: number
  /** NATIONAL_DB_TIMEOUT_SECONDS (default 30): one request's time limit (a timeout is retried with back-off). */
  timeoutMs: number
}

/** How sign-in is guarded and how long a session lives. */
export interface AuthConfig {
  /** TRUST_PROXY=1: the client address is the left-most X-Forwarded-For, HTTPS is X-Forwarded-Proto. */
  trustProxy: boolean
  /** COOKIE_SECURE=1: the session cookie is always `Secure`, even when the request looks like plain HTTP. */
  cookieSecure: boolean
  /** A session unused this long ends (SESSION_IDLE_MINUTES, default 120). */
  sessionIdleMs: number
  /** A session ends this long after sign-in, used or not (SESSION_ABSOLUTE_HOURS, default 12). */
  sessionAbsoluteMs: number
  /** Failed sign-ins per account before back-off starts (SIGN_IN_FREE_ATTEMPTS, default 5). */
  accountFreeAttempts: number
  /** Failed sign-ins per client address before back-off starts (SIGN_IN_ADDRESS_FREE_ATTEMPTS, default 50: an office shares one address). */
  addressFreeAttempts: number
  /** The first back-off, doubled per further failure (SIGN_IN_BACKOFF_SECONDS, default 15). */
  firstBackoffMs: number
  /** The longest back-off (SIGN_IN_BACKOFF_MAX_SECONDS, default 900). */
  maxBackoffMs: number
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env['PORT'] ?? 3000),
    dataDir: resolve(env['DATA_DIR'] ?? './data'),
    databaseUrl: env['DATABASE_URL'] || undefined,
    migrationDatabaseUrl: env['MIGRATION_DATABASE_URL'] || undefined,
    temporalAddress: env['TEMPORAL_ADDRESS'] || undefined,
    temporalNamespace: env['TEMPORAL_NAMESPACE'] ?? 'default',
    taskQueue: env['TASK_QUEUE'] ?? 'kpi-cong-vu',
    adminPassword: env['ADMIN_PASSWORD'] || undefined,
    seedDemo: env['SEED_DEMO'] !== '0',
    temporalCliPath: env['TEMPORAL_CLI_PATH'] || undefined,
    actionDeadlineMs: Number(env['ACTION_DEADLINE_SECONDS'] ?? 60) * 1000,
    unitActionMsPerEvaluation: Number(env['UNIT_ACTION_MS_PER_EVALUATION'] ?? 100),
    serverTiming: env['SERVER_TIMING'] === '1',
    serveWebApp: env['WEB_APP'] !== '0',
    auth: loadAuthConfig(env),
    payloadKey: env['PAYLOAD_KEY'] || undefined,
    payloadOldKeys: (env['PAYLOAD_OLD_KEYS'] ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    codecPort: Number(env['CODEC_PORT'] ?? 8888),
    temporalUiOrigin: env['TEMPORAL_UI_ORIGIN'] ?? 'http://localhost:8233',
    nationalDb: loadNationalDbConfig(env),
  }
}

export function loadNationalDbConfig(env: NodeJS.ProcessEnv = process.env): NationalDbConfig {
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback)
    return Number.isFinite(value) && value > 0 ? value : fallback
  }
  return {
    url: env['NATIONAL_DB_URL'] || undefined,
    token: env['NATIONAL_DB_TOKEN'] || undefined,
    agencyCode: env['NATIONAL_DB_AGENCY_CODE'] || undefined,
    batchSize: Math.min(1000, Math.floor(positive('NATIONAL_DB_BATCH_SIZE', 100))),
    timeoutMs: positive('NATIONAL_DB_TIMEOUT_SECONDS', 30) * 1000,
  }
}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback)
    return Number.isFinite(value) && value > 0 ? value : fallback
  }
  return {
    trustProxy: env['TRUST_PROXY'] === '1',
    cookieSecure: env['COOKIE_SECURE'] === '1',
    sessionIdleMs: positive('SESSION_IDLE_MINUTES', 120) * 60_000,
    sessionAbsoluteMs: positive('SESSION_ABSOLUTE_HOURS', 12) * 3_600_000,
    accountFreeAttempts: positive('SIGN_IN_FREE_ATTEMPTS', 5),
    addressFreeAttempts: positive('SIGN_IN_ADDRESS_FREE_ATTEMPTS', 50),
    firstBackoffMs: positive('SIGN_IN_BACKOFF_SECONDS', 15) * 1000,
    maxBackoffMs: positive('SIGN_IN_BACKOFF_MAX_SECONDS', 900) * 1000,
  }
}
