import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** The national-database routes (decision, send, status, export). */
export function nationalDbRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
