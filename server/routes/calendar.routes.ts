import type { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../http/context.js'

/** Routes of the calendar feature. */
export function calendarRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
