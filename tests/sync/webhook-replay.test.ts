import { afterAll, describe, expect, it } from "vitest";
import prisma, { createPrismaClient } from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueWebhookJob, replayFailedWebhooks, scheduleWebhookReplay } from "../../app/queues/webhooks.server";
import { logger } from "../../app/utils/logger.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers } from "../../app/workers/runtime.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { waitFor } from "../helpers/sim-app";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

/** The webhook-events worker of the app, on the given database. */
function webhookWorker(registry: QueueRegistry, db: typeof prisma) {
  const processors = buildProcessors({
    db,
    queues: registry,
    adminApi: () => Promise.reject(new Error("no Admin API call expected")),
  });
  return startWorkers({
    backend: registry.backend,
    processors: { [QUEUE.webhooks]: processors[QUEUE.webhooks] },
    concurrency: 4,
    logger,
    workerOptions: { lockDuration: 4_000, stalledInterval: 1_000 },
  });
}

describe.each(testQueueBackends())("failed webhook jobs replayed on a schedule ($kind)", (backend) => {
  it("an uninstall and a customer redaction that failed through a database outage are applied once it is over", async () => {
    const registry = new QueueRegistry(backend);
    const domain = `outage-${backend.kind}.myshopify.com`;
    const shop = await prisma.shop.create({ data: { domain, status: "installed", installedAt: new Date(0) } });
    await prisma.customer.create({ data: { shopId: shop.id, id: 4242n } });
    const queue = registry.get(QUEUE.webhooks);

    // The deliveries as the route enqueues them, with their attempts shortened
    // so that they run out within the test (the app's: 8, about two minutes).
    await enqueueWebhookJob(registry, {
      shop: domain,
      topic: "customers/redact",
      eventId: `redact-${backend.kind}`,
      data: { kind: "customer-redact", customerId: "4242", orderIds: [] },
    });
    await enqueueWebhookJob(registry, {
      shop: domain,
      topic: "app/uninstalled",
      eventId: `uninstall-${backend.kind}`,
      triggeredAt: new Date().toISOString(),
      data: { kind: "uninstalled" },
    });
    for (const job of await queue.getJobs(["waiting"])) {
      const { name, data, id, opts } = job;
      await job.remove();
      await queue.add(name, data, { ...opts, jobId: id, attempts: 2, backoff: { type: "fixed", delay: 100 } });
    }

    // The outage: the worker's database does not exist.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = "/no_such_database_outage";
    const unreachable = createPrismaClient(url.toString());
    const during = webhookWorker(registry, unreachable);
    try {
      await waitFor(async () => (await queue.getFailedCount()) === 2 || null, "both jobs failed", 60_000);
    } finally {
      await during.close();
      await unreachable.$disconnect().catch(() => undefined);
    }
    // Kept, not removed, and nothing applied.
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).status).toBe("installed");
    expect(await prisma.customer.count({ where: { shopId: shop.id, id: 4242n } })).toBe(1);

    // The outage is over: the scheduled replay puts them back.
    const after = webhookWorker(registry, prisma);
    try {
      await scheduleWebhookReplay(registry, 500);
      await waitFor(
        async () => (await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).status === "uninstalled" || null,
        "the uninstall applied",
        60_000,
      );
      await waitFor(
        async () => (await prisma.customer.count({ where: { shopId: shop.id, id: 4242n } })) === 0 || null,
        "the customer redacted",
        60_000,
      );
      expect(await queue.getFailedCount()).toBe(0);
      expect(await replayFailedWebhooks(registry)).toBe(0);
    } finally {
      await queue.removeJobScheduler("webhooks-replay-failed");
      await after.close();
      await registry.close();
    }
  });
});
