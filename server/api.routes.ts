import { calendarRoutes } from './calendar/calendar.routes.js'
import { delegationsRoutes } from './delegations/delegations.routes.js'
import type { AppDeps } from './http/context.js'
import { featureApp } from './http/openapi.js'
import { indicatorsRoutes } from './indicators/indicators.routes.js'
import { integrationsRoutes } from './integrations/integrations.routes.js'
import { nationalDbRoutes } from './integrations/national-db.routes.js'
import { notificationsRoutes } from './notifications/notifications.routes.js'
import { petitionsRoutes } from './petitions/petitions.routes.js'

/**
 * The routes defined with @hono/zod-openapi, one sub-app per feature, chained so their types add
 * up for the web app's client (`ApiType`, server/api.types.ts). A converted feature is added here;
 * app.ts mounts the result and merges its OpenAPI document into /api/openapi.json.
 */
export function apiRoutes(deps: AppDeps) {
  return featureApp()
    .route('/', delegationsRoutes(deps))
    .route('/', petitionsRoutes(deps))
    .route('/', notificationsRoutes(deps))
    .route('/', calendarRoutes(deps))
    .route('/', integrationsRoutes(deps))
    .route('/', nationalDbRoutes(deps))
    .route('/', indicatorsRoutes(deps))
}
