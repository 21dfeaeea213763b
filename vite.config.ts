import { vitePlugin as remix } from "@remix-run/dev";
import { installGlobals } from "@remix-run/node";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

installGlobals({ nativeFetch: true });

// The Shopify CLI passes HOST; Remix wants SHOPIFY_APP_URL (as in Shopify's template).
if (process.env.HOST && (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;

// HMR_PORT: another port for the local dev server's HMR socket, so that two local servers (tests) can run at once.
const localHmrPort = Number(process.env.HMR_PORT) || 64999;
const hmrConfig =
  host === "localhost" || host === "127.0.0.1"
    ? { protocol: "ws", host: "localhost", port: localHmrPort, clientPort: localHmrPort }
    : {
        protocol: "wss",
        host,
        port: parseInt(process.env.FRONTEND_PORT!) || 8002,
        clientPort: 443,
      };

/**
 * The libraries every admin page runs (React, Remix, Polaris, App Bridge) in one chunk of the client build (Rollup
 * puts it with the client entry), instead of the 20-odd chunks Rollup cuts them into by which routes share which
 * component: a page asks for 8 to 12 scripts instead of 22 to 27. Polaris-viz (the charts, loaded lazily) and zod
 * (the forms' schemas) stay in chunks of their own, fetched only by the pages that use them. The server build is
 * left as it was. docs/decisions/042-admin-page-loads.md.
 */
const VENDOR =
  /\/node_modules\/(react|react-dom|scheduler|@remix-run|react-router|react-router-dom|turbo-stream|@shopify\/polaris|@shopify\/polaris-icons|@shopify\/app-bridge-react|@shopify\/shopify-app-remix)\//;

function clientChunk(id: string): string | undefined {
  if (id.includes("polaris-viz")) return undefined;
  if (VENDOR.test(id)) return "vendor";
  return undefined;
}

export default defineConfig(
  ({ isSsrBuild }) =>
    ({
      server: {
        allowedHosts: [host],
        cors: { preflightContinue: true },
        port: Number(process.env.PORT || 3000),
        hmr: hmrConfig,
        fs: { allow: ["app", "node_modules"] },
      },
      plugins: [
        remix({
          ignoredRouteFiles: ["**/.*"],
          future: {
            v3_fetcherPersist: true,
            v3_relativeSplatPath: true,
            v3_throwAbortReason: true,
            v3_lazyRouteDiscovery: true,
            v3_singleFetch: false,
            v3_routeConfig: true,
          },
        }),
        tsconfigPaths(),
      ],
      build: {
        assetsInlineLimit: 0,
        rollupOptions: isSsrBuild ? {} : { output: { manualChunks: clientChunk } },
      },
      optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
    }) satisfies UserConfig,
);
