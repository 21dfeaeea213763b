// One production web process: the Remix server build behind server/http.mjs.
// server/cluster.mjs (`npm start`) runs one per core; it also runs alone:
// `node server/web.mjs build/server/index.js`. PORT (default 3000) and HOST
// as remix-serve read them. Logs are JSON lines (pino), errors and start-up
// only: no line per request.
import path from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { createRequestHandler } from "@remix-run/node";
import { closeGracefully, createWebServer, staticFiles } from "./http.mjs";

process.env.NODE_ENV ??= "production";
const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.SERVICE_NAME ?? "segments-web" },
});

const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
let build;
try {
  build = await import(pathToFileURL(buildPath).href);
} catch (error) {
  // The app validates its environment as it loads (app/config/env.server.ts):
  // say what is wrong in one line and stop; server/cluster.mjs then stops too.
  if (error instanceof Error && error.name === "EnvError") {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const handleRequest = createRequestHandler(build, process.env.NODE_ENV);
// Node 22's own fetch API (Request, Response, Headers) serves Remix here, as
// in development and the tests; remix-serve installed Remix's polyfill instead.
const server = createWebServer({
  handle: (request) => handleRequest(request),
  assets: staticFiles(path.resolve(build.assetsBuildDirectory ?? "build/client"), build.publicPath ?? "/"),
  onError: (error, req) => logger.error({ err: error, method: req.method, url: req.url }, "request failed"),
});

// Before listening: the queue connection, the session storage and the webhook
// route warmed up (app/ingest/warm-up.server.ts), so a freshly started
// process answers its first deliveries as fast as later ones. WEB_WARM_UP=0
// skips it.
if (process.env.WEB_WARM_UP !== "0" && typeof build.entry?.module?.warmUp === "function") {
  try {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("warm-up took over 20 s")), 20_000);
    });
    await Promise.race([build.entry.module.warmUp((request) => handleRequest(request)), limit]).finally(() =>
      clearTimeout(timer),
    );
  } catch (error) {
    // A warm-up that fails (Redis not reachable yet) leaves a cold process, not a dead one.
    logger.warn({ err: error }, "warm-up failed; starting cold");
  }
}

const port = Number(process.env.PORT) || 3000;
server.listen(port, process.env.HOST, () => {
  logger.info({ port, pid: process.pid }, "web process listening");
  process.send?.("listening");
});
server.on("error", (error) => {
  logger.fatal({ err: error }, "web server error");
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await closeGracefully(server);
    process.exit(0);
  });
}
