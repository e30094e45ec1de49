import { auditRoutes } from './audit/audit.routes.js'
import { authRoutes } from './auth/auth.routes.js'
import { calendarRoutes } from './calendar/calendar.routes.js'
import { cyclesRoutes } from './cycles/cycles.routes.js'
import { delegationsRoutes } from './delegations/delegations.routes.js'
import { evaluationsRoutes } from './evaluations/evaluations.routes.js'
import type { AuthConfig } from './config.js'
import type { AppDeps } from './http/context.js'
import { formsRoutes } from './forms/forms.routes.js'
import { featureApp } from './http/openapi.js'
import { indicatorsRoutes } from './indicators/indicators.routes.js'
import { integrationsRoutes } from './integrations/integrations.routes.js'
import { nationalDbRoutes } from './integrations/national-db.routes.js'
import { notificationsRoutes } from './notifications/notifications.routes.js'
import { orgRoutes } from './org/org.routes.js'
import { petitionsRoutes } from './petitions/petitions.routes.js'
import { ruleSetsRoutes } from './rulesets/rulesets.routes.js'
import { unitEvaluationsRoutes } from './units/unit-evaluations.routes.js'
import { worklogRoutes } from './worklog/worklog.routes.js'

/**
 * The routes defined with @hono/zod-openapi, one sub-app per feature, chained so their types add
 * up for the web app's client (`ApiType`, server/api.types.ts). A new feature is added here;
 * app.ts mounts the result and serves its OpenAPI document as /api/openapi.json. `auth`: the sign-in
 * settings app.ts authenticates with.
 */
export function apiRoutes(deps: AppDeps, auth: AuthConfig) {
  return featureApp()
    .route('/', delegationsRoutes(deps))
    .route('/', evaluationsRoutes(deps))
    .route('/', unitEvaluationsRoutes(deps))
    .route('/', formsRoutes(deps))
    .route('/', petitionsRoutes(deps))
    .route('/', notificationsRoutes(deps))
    .route('/', calendarRoutes(deps))
    .route('/', integrationsRoutes(deps))
    .route('/', nationalDbRoutes(deps))
    .route('/', indicatorsRoutes(deps))
    .route('/', cyclesRoutes(deps))
    .route('/', orgRoutes(deps))
    .route('/', ruleSetsRoutes(deps))
    .route('/', worklogRoutes(deps))
    .route('/', authRoutes(deps, auth))
    .route('/', auditRoutes(deps))
}
