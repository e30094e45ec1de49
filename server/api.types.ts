import type { apiRoutes } from './api.routes.js'

/**
 * What the web app's typed client (`hc<ApiType>`, admin-ui/src/client.ts) knows of the API: every
 * route defined with @hono/zod-openapi, its input and its answers. Types only: the web app imports
 * it with `import type`, so no server code reaches the bundle.
 */
export type ApiType = ReturnType<typeof apiRoutes>
