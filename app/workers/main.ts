/**
 * The worker process (`npm run worker`): processes every queue. Never started
 * inside the web server (docs/decisions/002-web-and-worker-processes.md).
 */
import { env, EnvError } from "../config/env.server";
import { describeQueueBackend, resolveQueueBackend } from "../queues/backend.server";
import { logger } from "../utils/logger.server";
import { checkDatabase } from "../utils/database-check.server";
import { QueueRegistry } from "../queues/registry.server";
import { buildProcessors } from "./processors";
import { exitGracefullyOnSignals, startWorkers } from "./runtime.server";

async function main(): Promise<void> {
  const config = env();
  await checkDatabase(config.DATABASE_URL);
  const backend = await resolveQueueBackend({
    redisUrl: config.REDIS_URL,
    databaseUrl: config.DATABASE_URL,
    prefix: config.QUEUE_PREFIX,
  });
  logger.info(`queue backend: ${describeQueueBackend(backend)}`);
  const { default: db } = await import("../db.server");
  // Loaded after the checks above so a configuration problem is reported in one line.
  const { adminApiForShop } = await import("../shopify/admin-for-shop.server");
  const registry = new QueueRegistry(backend);
  const runtime = startWorkers({
    backend,
    processors: buildProcessors({ db, registry, adminApi: adminApiForShop }),
    concurrency: config.WORKER_CONCURRENCY,
    logger,
  });
  await Promise.all(runtime.workers.map((worker) => worker.waitUntilReady()));
  exitGracefullyOnSignals(runtime, logger, async () => {
    await registry.close();
    await db.$disconnect();
  });
  logger.info(`worker ready: ${runtime.workers.map((w) => w.name).join(", ")}`);
}

main().catch((error: unknown) => {
  // One clear line for configuration and connectivity problems, no stack trace.
  if (error instanceof EnvError || (error instanceof Error && error.name === "ServiceUnavailableError")) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
