import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the petitions feature. */
export function petitionsRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
