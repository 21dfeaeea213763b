import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { QUEUE } from "../../app/queues/names";
import { enqueueShopInstalled } from "../../app/queues/shop-lifecycle.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers } from "../../app/workers/runtime.server";
import { logger } from "../../app/utils/logger.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { startSimulator } from "../../simulator";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe.each(testQueueBackends())("shop.installed end to end on $kind", (backend) => {
  it("is processed by the worker and recorded in the database; a repeat is deduplicated", async () => {
    const shop = `install-${backend.kind}.myshopify.com`;
    // The install reads the shop's time zone and currency from Shopify.
    const sim = await startSimulator({ appSecret: "secret" });
    sim.createShop(shop, { timezone: "Asia/Tokyo", currency: "JPY" });
    sim.installApp(shop, { accessToken: "shpat_install", scopes: "read_orders", webhookUrl: "http://127.0.0.1:9" });
    const adminApi = async (domain: string) =>
      new AdminApi({ shop: domain, accessToken: "shpat_install", origin: sim.url, logger });
    const registry = new QueueRegistry(backend);
    const runtime = startWorkers({
      backend,
      // Only the shop-lifecycle queue: the backfill it enqueues is another test's subject.
      processors: pick(buildProcessors({ db: prisma, queues: registry, adminApi }), QUEUE.shopLifecycle),
      concurrency: 2,
      logger,
    });
    try {
      const installedAt = new Date("2026-11-01T10:00:00Z");
      const queue = registry.get(QUEUE.shopLifecycle);
      const id = await enqueueShopInstalled(registry, { shop, scopes: "read_orders", installedAt });
      // The same install again (Shopify may call afterAuth twice) is the same job.
      expect(await enqueueShopInstalled(registry, { shop, scopes: "read_orders", installedAt })).toBe(id);
      expect(id).not.toContain(":");

      const job = await queue.getJob(id);
      expect(job).toBeDefined();
      await waitUntil(async () => (await queue.getJob(id))?.finishedOn !== undefined);
      const finished = await queue.getJob(id);
      expect(finished?.failedReason).toBeUndefined();

      const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
      expect(row.status).toBe("installed");
      expect(row.installedAt?.toISOString()).toBe(installedAt.toISOString());
      expect(row.scopes).toBe("read_orders");
      expect([row.timezone, row.currency]).toEqual(["Asia/Tokyo", "JPY"]);
      const runs = await prisma.jobRun.findMany({ where: { shopId: row.id, kind: "install" } });
      expect(runs).toHaveLength(1);
      expect(runs[0].status).toBe("completed");
      expect(await queue.getJobCounts("completed")).toMatchObject({ completed: 1 });
      // ...and it handed over to the backfill.
      expect(await registry.get(QUEUE.shopSync).getJobCounts("waiting")).toMatchObject({ waiting: 1 });
    } finally {
      await runtime.close();
      await registry.close();
      await sim.close();
    }
  });
});

function pick<T extends Record<string, unknown>>(map: T, key: string): T {
  return { [key]: map[key] } as T;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the job");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
