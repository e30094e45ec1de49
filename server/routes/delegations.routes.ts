import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the delegations feature (slot). */
export function delegationsRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
