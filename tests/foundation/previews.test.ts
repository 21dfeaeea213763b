// The previews queue (ADR 052): an admin page's dry run or rule preview is a
// job of the worker, and the page waits for its answer. On both queue
// backends: the answer is the computation's own, a failed job and a worker
// that does not answer in time come back as PreviewUnavailableError (the page's
// 503), and a timed-out job is not left for a worker to compute later; the
// settings and rule pages then answer with their message.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { seedCustomersAndOrders } from "../helpers/synthetic-shop";
import { QUEUE } from "../../app/queues/names";
import { PreviewUnavailableError, runPreview } from "../../app/queues/previews.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { dryRunSettings } from "../../app/recompute/dry-run.server";
import { fitShopStep } from "../../app/recompute/fit.server";
import { processChunk } from "../../app/recompute/chunk.server";
import { previewRuleForm } from "../../app/settings/custom-segments.server";
import { newCondition } from "../../app/settings/rule-form";
import { settingsFormValues } from "../../app/settings/settings-form";
import { dryRunSettingsForm } from "../../app/settings/settings-page.server";
import { loadShopConfig } from "../../app/settings/settings.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { logger } from "../../app/utils/logger.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers } from "../../app/workers/runtime.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";

const asOf = new Date("2026-06-30T12:00:00Z");
let client: pg.Client;
let shopId: string;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const shop = await prisma.shop.create({
    data: { domain: "previews.myshopify.com", status: "installed", timezone: "UTC", currency: "USD" },
  });
  shopId = shop.id;
  // 40 customers with 1 to 6 orders over two years.
  await seedCustomersAndOrders(shopId, { asOf, customers: 40, cycle: 6, beforeMs: 3_600_000 });
  const config = await loadShopConfig(prisma, shopId);
  const fit = await fitShopStep(client, config, asOf, { chunkSize: 1000 });
  for (const range of fit.ranges) {
    await processChunk(client, { config, cutoffs: fit.cutoffs, asOf, range, recordTransitions: false });
  }
});

afterAll(async () => {
  await client?.end();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

function previewWorker(backend: Parameters<typeof startWorkers>[0]["backend"], registry: QueueRegistry) {
  const all = buildProcessors({
    db: prisma,
    queues: registry,
    adminApi: async (shop) => new AdminApi({ shop, accessToken: "unused", origin: "http://127.0.0.1:9", logger }),
  });
  return startWorkers({ backend, processors: { [QUEUE.previews]: all[QUEUE.previews] }, concurrency: 1, logger });
}

describe.each(testQueueBackends())("previews on $kind", (backend) => {
  const input = { segmentation: { loyalty: { loyalMinOrders: 5 } } };
  const dryRunJob = (shop: { shop?: string; shopId?: string } = {}) => ({
    shop: "previews.myshopify.com",
    shopId,
    input,
    asOf: asOf.toISOString(),
    ...shop,
  });

  it("answers with the worker's computation: a dry run as computed in place", async () => {
    const registry = new QueueRegistry(backend);
    const runtime = previewWorker(backend, registry);
    try {
      const answer = await runPreview(registry, "settings.dry-run", dryRunJob());
      expect(answer).toEqual(await dryRunSettings(prisma, client, shopId, input, asOf));
      expect(answer.recomputed).toBe(true);
      expect(answer.customersChanged).toBeGreaterThan(0);
      // Read and removed: nothing of it stays in the queue.
      const counts = await registry.get(QUEUE.previews).getJobCounts("completed", "failed", "waiting", "active");
      expect(counts).toEqual({ completed: 0, failed: 0, waiting: 0, active: 0 });
    } finally {
      await runtime.close();
      await registry.close();
    }
  });

  it("says a failed preview is unavailable, with the job's reason", async () => {
    const registry = new QueueRegistry(backend);
    const runtime = previewWorker(backend, registry);
    try {
      const failure = runPreview(
        registry,
        "settings.dry-run",
        dryRunJob({ shop: "gone.myshopify.com", shopId: "no-such-shop" }),
      );
      await expect(failure).rejects.toBeInstanceOf(PreviewUnavailableError);
      await expect(failure).rejects.toThrow(/The preview failed: No shop no-such-shop/);
    } finally {
      await runtime.close();
      await registry.close();
    }
  });

  it.each([
    { ending: "no worker answers in time", wait: () => ({ waitMs: 400 }), message: "did not finish within 0.4 s" },
    {
      ending: "the page's request goes",
      wait: () => ({ signal: AbortSignal.timeout(100) }),
      message: "The preview's request went away",
    },
  ])("stops waiting when $ending, and takes its job back", async ({ wait, message }) => {
    const registry = new QueueRegistry(backend);
    try {
      const started = Date.now();
      await expect(runPreview(registry, "settings.dry-run", dryRunJob(), wait())).rejects.toThrow(message);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await registry.get(QUEUE.previews).getJobCounts("waiting", "prioritized")).toEqual({
        waiting: 0,
        prioritized: 0,
      });
    } finally {
      await registry.close();
    }
  });

  it("makes the pages answer that the preview is unavailable, with nothing stored", async () => {
    const registry = new QueueRegistry(backend);
    try {
      const deps = { db: prisma, queues: async () => registry, previewWaitMs: 300 };
      const settingsBefore = (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings;
      const values = settingsFormValues(await loadShopConfig(prisma, shopId));
      const changed = { ...values, thresholds: { ...values.thresholds, "loyalty.loyalMinOrders": "5" } };
      // The prefix is the app's own, so the store's tags are not read: no Admin API needed.
      const admin = {} as Parameters<typeof dryRunSettingsForm>[0]["admin"];
      expect(await dryRunSettingsForm({ ...deps, admin }, "previews.myshopify.com", changed, { asOf })).toEqual({
        ok: false,
        errors: {
          form: "The preview of these settings is not available right now; try again in a minute. Nothing has been saved.",
        },
        unavailable: true,
      });
      const root = {
        id: "root",
        kind: "group",
        negate: false,
        mode: "all",
        children: [{ ...newCondition("orders"), value: "2" }],
      };
      const rule = { handle: "x", title: "X", description: "", root: root as never };
      expect(await previewRuleForm(deps, "previews.myshopify.com", rule)).toEqual({
        ok: false,
        errors: { form: "The preview is not available right now; try again in a minute." },
        unavailable: true,
      });
      expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toEqual(settingsBefore);
      expect(await registry.get(QUEUE.previews).getJobCounts("waiting")).toEqual({ waiting: 0 });
    } finally {
      await registry.close();
    }
  });
});
