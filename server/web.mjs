// One production web process: the Remix server build behind server/http.mjs.
// server/cluster.mjs (`npm start`) runs one per core; it also runs alone:
// `node server/web.mjs build/server/index.js`. Its settings (PORT, HOST,
// LOG_LEVEL, ...) come from the app's env module (app/config/env.server.ts)
// through the build's entry (`serverRuntime`); a build without it (the tests'
// minimal builds) falls back to the same variables read here. Logs are JSON
// lines (pino), errors and start-up only: no line per request. Every answer
// carries an X-Request-Id (the caller's, when it is a plain token), which the
// app's log lines of that request carry too.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { createRequestHandler } from "@remix-run/node";
import { closeGracefully, createWebServer, staticFiles } from "./http.mjs";

process.env.NODE_ENV ??= "production";
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
/** @type {any} */
const runtime = build.entry?.module?.serverRuntime;

function settings() {
  if (runtime) return runtime.config();
  return {
    port: Number(process.env.PORT) || 3000,
    host: process.env.HOST,
    logLevel: process.env.LOG_LEVEL ?? "info",
    serviceName: process.env.SERVICE_NAME ?? "segments-web",
  };
}

let config;
try {
  config = settings();
} catch (error) {
  // EnvError: one line per bad variable, no stack trace.
  console.error(error instanceof Error && error.name === "EnvError" ? error.message : error);
  process.exit(1);
}
const logger = pino({ level: config.logLevel, base: { service: config.serviceName } });

const handleRequest = createRequestHandler(build, process.env.NODE_ENV);
const REQUEST_ID = /^[\w.-]{1,64}$/;
const requestIdOf = (header) => (typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID());
const opsPrefix = runtime?.opsBasePath;
// The webhook routes (those whose action is the app's webhookAction): their
// POSTs are answered on node's request and response (receiveWebhookNode), with
// no Fetch API Request, route matching or Response in between (ADR 041).
const webhookPaths = new Set(
  runtime?.webhookAction
    ? Object.values(build.routes ?? {})
        .filter((route) => route.module?.action === runtime.webhookAction && route.path)
        .map((route) => `/${route.path}`)
    : [],
);

// Node 22's own fetch API (Request, Response, Headers) serves Remix here, as
// in development and the tests; remix-serve installed Remix's polyfill instead.
const server = createWebServer({
  handle: async (request) => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const response = runtime
      ? await runtime.withRequestContext(requestId, () => handleRequest(request))
      : await handleRequest(request);
    if (!response.headers.has("x-request-id")) {
      try {
        response.headers.set("x-request-id", requestId);
      } catch {
        // immutable headers (a fetched Response passed through): sent without the id
      }
    }
    return response;
  },
  // Node's request and response as they are, before any Request is made:
  // webhook deliveries, and the operator dashboard (bull-board, an express app
  // of its own).
  intercept: runtime
    ? (req, res) => {
        const pathname = req.url?.split("?", 1)[0] ?? "/";
        let answer;
        let what;
        if (req.method === "POST" && webhookPaths.has(pathname)) {
          answer = runtime.receiveWebhookNode;
          what = "webhook delivery";
        } else if (opsPrefix && (pathname === opsPrefix || pathname.startsWith(`${opsPrefix}/`))) {
          answer = runtime.handleOpsRequest;
          what = "operator dashboard";
        } else return false;
        const requestId = requestIdOf(req.headers["x-request-id"]);
        res.setHeader("x-request-id", requestId);
        runtime
          .withRequestContext(requestId, () => answer(req, res, requestId))
          .catch((error) => {
            logger.error({ err: error, requestId }, `${what} failed`);
            if (!res.headersSent) res.writeHead(500).end();
            else res.destroy();
          });
        return true;
      }
    : undefined,
  assets: staticFiles(path.resolve(build.assetsBuildDirectory ?? "build/client"), build.publicPath ?? "/"),
  onError: (error, req) => logger.error({ err: error, method: req.method, url: req.url }, "request failed"),
});

// Before listening: the queue connection and the webhook route warmed up (app/ingest/warm-up.server.ts), so a freshly started
// process answers its first deliveries as fast as later ones. WEB_WARM_UP=0
// skips it.
if (process.env.WEB_WARM_UP !== "0" && typeof build.entry?.module?.warmUp === "function") {
  try {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("warm-up took over 20 s")), 20_000);
    });
    await Promise.race([build.entry.module.warmUp(), limit]).finally(() => clearTimeout(timer));
  } catch (error) {
    // A warm-up that fails (Redis not reachable yet) leaves a cold process, not a dead one.
    logger.warn({ err: error }, "warm-up failed; starting cold");
  }
}

server.listen(config.port, config.host, () => {
  logger.info({ port: config.port, pid: process.pid }, "web process listening");
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
