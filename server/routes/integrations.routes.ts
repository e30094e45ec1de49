import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the integrations feature. */
export function integrationsRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
