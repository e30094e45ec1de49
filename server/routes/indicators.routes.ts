import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the indicators feature (slot). */
export function indicatorsRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
