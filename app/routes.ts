import { flatRoutes } from "@remix-run/fs-routes";

// Colocated tests, benches and server helpers never become routes.
export default flatRoutes({
  ignoredRouteFiles: ["**/.*", "**/*.test.*", "**/*.bench.*", "**/*.server.*"],
});
