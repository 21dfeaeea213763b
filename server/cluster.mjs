// Production web entry (`npm start`): Remix's own server (remix-serve) in
// WEB_CONCURRENCY processes sharing one port (default: one per core), so
// webhook bursts use every core. A process that dies is replaced.
import cluster from "node:cluster";
import os from "node:os";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const workers = Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
const build = process.argv[2] ?? "build/server/index.js";

cluster.setupPrimary({ exec: require.resolve("@remix-run/serve/dist/cli.js"), args: [build] });
for (let i = 0; i < workers; i++) cluster.fork();
let stopping = false;
cluster.on("exit", (worker, code) => {
  if (!stopping && code !== 0) cluster.fork();
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    // Signal the processes directly: worker.kill() would first wait for open keep-alive connections.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
