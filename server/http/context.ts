import type { Client } from '@temporalio/client'
import type { TimingVariables } from 'hono/timing'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'

/** The signed-in user, as every route sees them. */
export interface SessionUser {
  id: number
  username: string
  fullName: string
  roles: string[]
  unitId: number | null
}

/** What the routes need from the world. */
export interface AppDeps {
  db: Db
  client: Client
  config: Pick<Config, 'taskQueue' | 'actionDeadlineMs'> & Partial<Pick<Config, 'unitActionMsPerEvaluation'>>
}

export type AppEnv = { Variables: { user: SessionUser; requestId: string } & TimingVariables }
