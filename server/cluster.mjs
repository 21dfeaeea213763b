// Production web entry (`npm start`): WEB_CONCURRENCY web processes
// (server/web.mjs: the Remix build on a lean node:http server) sharing one
// port (default: one per core), so webhook bursts use every core. A process
// that dies is replaced. See docs/decisions/013-lean-web-server.md.
import cluster from "node:cluster";
import os from "node:os";
import { fileURLToPath } from "node:url";

const workers = Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
const build = process.argv[2] ?? "build/server/index.js";

// A larger young generation than V8's default (16 MB semi-spaces): each request
// allocates its Request, headers, payload and job objects, and fewer, larger
// scavenges cost less per request. NODE_OPTIONS or node flags given to this
// process still win.
const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
const execArgv = flags.some((flag) => flag.startsWith("--max-semi-space-size"))
  ? process.execArgv
  : [...process.execArgv, "--max-semi-space-size=32"];
cluster.setupPrimary({ exec: fileURLToPath(new URL("./web.mjs", import.meta.url)), args: [build], execArgv });
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
