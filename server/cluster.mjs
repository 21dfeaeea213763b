// Production web entry (`npm start`): WEB_CONCURRENCY web processes
// (server/web.mjs: the Remix build on a lean node:http server) sharing one
// port (default: one per core), so webhook bursts use every core. A process
// that dies is replaced. See docs/decisions/013-lean-web-server.md.
// The primary loads the build once to validate the environment through the
// app's env module (a missing METRICS_TOKEN, say, stops here with one message
// instead of every process failing in turn), and answers its processes'
// requests for the cluster's metrics (prom-client's AggregatorRegistry), so
// /metrics reports every process whichever one serves the scrape.
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AggregatorRegistry } from "prom-client";

const buildArg = process.argv[2] ?? "build/server/index.js";
let build;
try {
  build = await import(pathToFileURL(path.resolve(buildArg)).href);
} catch (error) {
  // The app validates its environment as it loads: one line, no stack trace.
  if (error instanceof Error && error.name === "EnvError") {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
/** @type {any} */
const runtime = build.entry?.module?.serverRuntime;
let configured;
try {
  configured = runtime?.config().webConcurrency;
} catch (error) {
  console.error(error instanceof Error && error.name === "EnvError" ? error.message : error);
  process.exit(1);
}
const workers = configured ?? (Number(process.env.WEB_CONCURRENCY) || os.availableParallelism());

// A larger young generation than V8's default (16 MB semi-spaces): each request
// allocates its Request, headers, payload and job objects, and fewer, larger
// scavenges cost less per request. NODE_OPTIONS or node flags given to this
// process still win.
const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
const execArgv = flags.some((flag) => flag.startsWith("--max-semi-space-size"))
  ? process.execArgv
  : [...process.execArgv, "--max-semi-space-size=32"];
cluster.setupPrimary({ exec: fileURLToPath(new URL("./web.mjs", import.meta.url)), args: [buildArg], execArgv });

// The protocol of app/observability/metrics.server.ts (processMetricsText).
const aggregator = new AggregatorRegistry();
cluster.on("message", (worker, message) => {
  if (message?.type !== "segments:metrics-request") return;
  aggregator.clusterMetrics().then(
    (text) => worker.send({ type: "segments:metrics-reply", id: message.id, text }),
    (error) => worker.send({ type: "segments:metrics-reply", id: message.id, error: error.message }),
  );
});

for (let i = 0; i < workers; i++) cluster.fork();
let stopping = false;
const listening = new Set();
cluster.on("message", (worker, message) => {
  if (message === "listening") listening.add(worker.id);
});
cluster.on("exit", (worker, code) => {
  if (stopping || code === 0) return;
  if (listening.has(worker.id)) {
    cluster.fork();
    return;
  }
  // It never started (configuration, build): neither would a replacement.
  stopping = true;
  for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
  process.exitCode = 1;
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    // Signal the processes directly: worker.kill() would first wait for open
    // keep-alive connections. Each finishes its requests in flight and exits.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
