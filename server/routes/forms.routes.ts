import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the forms feature. */
export function formsRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
