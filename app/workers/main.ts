/**
 * The worker (`npm run worker`): processes every queue. Never started inside
 * the web server (docs/decisions/002-web-and-worker-processes.md). Runs
 * WORKER_PROCESSES processes (default one per core): a job's JavaScript runs
 * on one core, so chunks of a big recompute need processes to use them all.
 */
import cluster from "node:cluster";
import os from "node:os";
import { env, EnvError, runtimeEnv } from "../config/env.server";
import { describeQueueBackend, resolveQueueBackend } from "../queues/backend.server";
import { logger } from "../utils/logger.server";
import { checkDatabase } from "../utils/database-check.server";
import { QueueRegistry } from "../queues/registry.server";
import { scheduleWebhookReplay } from "../queues/webhooks.server";
import { scheduleRetentionSweep } from "../queues/maintenance.server";
import { buildProcessors } from "./processors";
import { lacksWorkerSettings, workerEnv, workerExecArgv } from "./node-flags";
import { exitGracefullyOnSignals, startWorkers, type ProcessorMap } from "./runtime.server";
import { closePgPool } from "../stores/pg/pool.server";
import { startWorkerMetricsServer } from "../observability/worker-metrics.server";

/** The worker's /metrics (METRICS_PORT; 0 turns it off): in the supervisor, or in the only process. */
function serveMetrics(aggregate: boolean): void {
  const config = env();
  if (config.METRICS_PORT === 0) return;
  startWorkerMetricsServer({ port: config.METRICS_PORT, token: config.METRICS_TOKEN, logger, aggregate });
}

/** The processors of the queues WORKER_QUEUES names (all when unset); an unknown name stops the start. */
function selectQueues(all: ProcessorMap, names: string | undefined): ProcessorMap {
  if (!names) return all;
  const wanted = names.split(",");
  const unknown = wanted.filter((name) => !(name in all));
  if (unknown.length) {
    throw new EnvError([
      `WORKER_QUEUES names unknown queues: ${unknown.join(", ")} (known: ${Object.keys(all).join(", ")})`,
    ]);
  }
  return Object.fromEntries(wanted.map((name) => [name, all[name]]));
}

async function main(): Promise<void> {
  const config = env();
  await checkDatabase(config.DATABASE_URL);
  if (cluster.isPrimary) serveMetrics(false);
  const backend = await resolveQueueBackend(config);
  logger.info(`queue backend: ${describeQueueBackend(backend)}`);
  const { default: db } = await import("../db.server");
  // Loaded after the checks above so a configuration problem is reported in one line.
  const { adminApiForShop } = await import("../shopify/admin-for-shop.server");
  const queues = new QueueRegistry(backend);
  const all = buildProcessors({ db, queues, adminApi: adminApiForShop });
  const runtime = startWorkers({
    backend,
    processors: selectQueues(all, config.WORKER_QUEUES),
    concurrency: config.WORKER_CONCURRENCY,
    logger,
  });
  await Promise.all(runtime.workers.map((worker) => worker.waitUntilReady()));
  await scheduleWebhookReplay(queues);
  await scheduleRetentionSweep(queues);
  exitGracefullyOnSignals(runtime, logger, async () => {
    await queues.close();
    await closePgPool();
    await db.$disconnect();
  });
  logger.info(`worker ready: ${runtime.workers.map((w) => w.name).join(", ")}`);
  process.send?.("ready");
}

/**
 * The primary only supervises: it forks the worker processes, replaces one
 * that dies, and on SIGTERM/SIGINT passes the signal on and exits when they
 * have finished their jobs in flight.
 */
function supervise(processes: number): void {
  let stopping = false;
  let exitCode = 0;
  const ready = new Set<number>();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  cluster.on("message", (worker, message) => {
    if (message === "ready") ready.add(worker.id);
  });
  const settings = runtimeEnv();
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, settings.NODE_OPTIONS) });
  // Each process's environment is the supervisor's and the variables the worker needs at start (ADR 062).
  const fork = () => cluster.fork(workerEnv(settings));
  for (let i = 0; i < processes; i++) fork();
  try {
    serveMetrics(true);
  } catch {
    // a configuration error: the processes report it and stop
  }
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping && !ready.has(worker.id)) {
      // It failed to start (configuration, database, queue): so would the others.
      exitCode = 1;
      stop("SIGTERM");
    } else if (!stopping) {
      logger.error({ pid: worker.process.pid, code, signal }, "worker process died; starting another");
      setTimeout(fork, 1_000);
      return;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));
}

function processCount(): number {
  try {
    return env().WORKER_PROCESSES ?? os.availableParallelism();
  } catch {
    return 1; // the process itself reports the configuration error
  }
}

/** One process started without the worker's flags or environment is supervised too, so that the process running the jobs has them. */
function needsFlags(): boolean {
  try {
    return lacksWorkerSettings(process.execArgv, runtimeEnv().NODE_OPTIONS, runtimeEnv());
  } catch {
    return false; // the process itself reports the configuration error
  }
}

const processes = cluster.isPrimary ? processCount() : 1;
if (cluster.isPrimary && (processes > 1 || needsFlags())) supervise(processes);
else
  main().catch((error: unknown) => {
    // One clear line for configuration and connectivity problems, no stack trace.
    if (error instanceof EnvError || (error instanceof Error && error.name === "ServiceUnavailableError")) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exit(1);
  });
