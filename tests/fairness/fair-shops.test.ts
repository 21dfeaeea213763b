import "../writeback/isolated-database";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { enqueueCustomerResegment, enqueueShopRecompute } from "../../app/queues/segments.server";
import { enqueueBackfill } from "../../app/queues/sync.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { BULK_PRIORITY, QUEUE } from "../../app/queues/names";
import { createWorker } from "../../app/queues/backend.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers } from "../../app/workers/runtime.server";
import { logger } from "../../app/utils/logger.server";
import { testQueueBackends } from "../helpers/queue-backends";
import { freePort } from "../helpers/free-port";
import { useWebhookRoutes } from "../helpers/route-server";
import { APP_SECRET, waitFor } from "../helpers/sim-app";
import { recordInstallation } from "../../app/ingest/install.server";
import { backfillDirectly, expectedTags, recomputeFinished } from "../writeback/helpers";

const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();
const FAST_API = { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 0 };

/** Shop A's simulated store with 200,000 generated orders, in its own process (simulator/main.ts). */
async function bigStoreProcess() {
  const domain = "big-import.myshopify.com";
  const accessToken = "shpat_bigimport";
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "simulator/main.ts",
      ...["--port", String(port), "--shop", domain, "--token", accessToken, "--secret", APP_SECRET],
      ...["--customers", "40000", "--orders", "200000", "--seed", "1", "--timezone", "UTC", "--currency", "USD"],
      ...["--start", "2022-01-01T00:00:00Z", "--end", "2025-12-31T00:00:00Z"],
      ...["--restore-rate", "1000000", "--bucket-size", "10000000", "--webhook-url", "http://127.0.0.1:9"],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = await waitFor(async () => /Shopify simulator on (\S+)/.exec(output)?.[1], "shop A's simulator", 120_000);
  step(`shop A's simulator: ${/Generated store: (.*)/.exec(output)?.[1] ?? "?"}`);
  return { domain, accessToken, url, child };
}

/** Shop B: a small store, synced, tagged, and its write-back's webhooks processed; a prospect customer's id. */
async function syncedSmallShop(
  small: Awaited<ReturnType<ReturnType<typeof useWebhookRoutes>["store"]>>,
  registry: QueueRegistry,
): Promise<string> {
  // Shop B: a small store, synced and tagged.
  small.sim.generate(small.domain, {
    seed: 5,
    customers: 200,
    orders: 800,
    startDate: "2024-01-01",
    endDate: "2025-12-31",
    discountShare: 0.2,
    seasonality: 0.3,
  });
  step("shop B generated");
  await backfillDirectly(small);
  step("shop B backfilled");
  const since = new Date();
  await enqueueShopRecompute(registry, { shop: small.domain, reason: "backfill" });
  await recomputeFinished(small.shopId, since);
  step("shop B recomputed");
  const prospect = await prisma.segmentMembership.findFirstOrThrow({
    where: { shopId: small.shopId, segments: { has: "rfm/prospects" } },
  });
  const customerId = String(prospect.customerId);
  await waitFor(
    async () =>
      small.sim.customerTags(small.domain, customerId).includes("seg:rfm-prospects") ||
      // the shop's write-back after its recompute
      undefined,
    "shop B's tags",
    60_000,
  );

  // B's write-back changed 200 customers' tags: Shopify answers with as many
  // customers/update webhooks. B's own echo is not what is measured here.
  await waitFor(
    async () => {
      const counts = await registry.get(QUEUE.webhooks).getJobCounts("waiting", "active", "delayed");
      return counts.waiting + counts.active + counts.delayed === 0;
    },
    "shop B's webhooks to drain",
    120_000,
  );
  step("shop B tagged and quiet");
  return customerId;
}

const t0 = Date.now();
const step = (what: string) => console.log(`[fairness] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

describe("fairness across shops", () => {
  it("a new order of shop B reaches its tags in under 10 s while shop A imports 200,000 orders", async () => {
    // Shop A's store in a simulator process of its own, as Shopify is another
    // machine: building a 200,000-order export would otherwise hold up this
    // process, where shop B's simulator, the app's routes and workers run.
    const big = await bigStoreProcess();
    const small = await routes.store({ domain: "small-shop.myshopify.com", timezone: "UTC", simulator: FAST_API });
    const stores = new Map<string, { url: string; accessToken: string }>([
      [big.domain, big],
      [small.domain, { url: small.sim.url, accessToken: small.accessToken }],
    ]);
    const registry = new QueueRegistry(redis);
    // Every queue of the app, as the worker runs them, each shop's calls to its own simulated store.
    // The per-order path's queues in this process; bulk work (shop-sync) on a
    // worker process of its own, as deployed (WORKER_QUEUES, ADR 035).
    const bulkWorker = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/sync-worker.ts"], {
      env: {
        ...process.env,
        TEST_QUEUE_BACKEND: JSON.stringify(redis),
        TEST_QUEUES: QUEUE.shopSync,
        SIM_URL: big.url,
        SIM_ACCESS_TOKEN: big.accessToken,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let bulkOutput = "";
    bulkWorker.stdout!.on("data", (chunk) => (bulkOutput += chunk));
    bulkWorker.stderr!.on("data", (chunk) => (bulkOutput += chunk));
    const { [QUEUE.shopSync]: _bulk, ...perOrderQueues } = buildProcessors({
      db: prisma,
      queues: registry,
      adminApi: async (shop) => {
        const store = stores.get(shop)!;
        return new AdminApi({ shop, accessToken: store.accessToken, origin: store.url, logger });
      },
      pollIntervalMs: 50,
    });
    const runtime = startWorkers({
      backend: redis,
      processors: perOrderQueues,
      concurrency: 4,
      logger,
      workerOptions: { lockDuration: 10_000, stalledInterval: 5_000 },
    });
    try {
      const customerId = await syncedSmallShop(small, registry);

      // Shop A: 200,000 orders, imported by the app's backfill job.
      const bigShop = await recordInstallation(
        prisma,
        new AdminApi({ shop: big.domain, accessToken: big.accessToken, origin: big.url, logger }),
        {
          shop: big.domain,
          scopes: "read_orders,read_all_orders,read_customers,write_customers",
          installedAt: new Date(),
        },
      );
      await waitFor(async () => bulkOutput.includes("ready"), "the bulk worker process", 60_000);
      await enqueueBackfill(registry, big.domain);
      const importing = async () =>
        prisma.jobRun.findFirst({ where: { shopId: bigShop.shopId, kind: "backfill", status: "running" } });
      await waitFor(importing, "shop A's import to start", 60_000);
      step("shop A's import started");
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      // Shop B: a new order, delivered by the simulator's webhook to the app's route.
      const ordered = Date.now();
      small.sim.createOrder(small.domain, {
        customerId,
        lineItems: [{ quantity: 3, price: 40 }],
        processedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      const tags = await waitFor(
        async () => {
          const want = (await expectedTags(small.shopId)).get(customerId) ?? [];
          const have = small.sim
            .customerTags(small.domain, customerId)
            .filter((tag) => tag.startsWith("seg:"))
            .sort();
          return !have.includes("seg:rfm-prospects") && have.length > 0 && have.join() === want.join() ? have : null;
        },
        "shop B's new order to reach its tags",
        30_000,
      ).catch(async (error) => {
        const events = await prisma.webhookEvent.findMany({ where: { shopDomain: small.domain } });
        const counts = await Promise.all(
          [QUEUE.webhooks, QUEUE.segments, QUEUE.writeback].map(async (name) =>
            JSON.stringify([name, await registry.get(name).getJobCounts()]),
          ),
        );
        const memberships = await prisma.segmentMembership.findFirst({
          where: { shopId: small.shopId, customerId: BigInt(customerId) },
        });
        throw new Error(
          `${(error as Error).message}; events ${JSON.stringify(events)}; queues ${counts.join(" ")}; ` +
            `membership ${JSON.stringify(memberships?.segments)}; tags ${small.sim.customerTags(small.domain, customerId)}`,
        );
      });
      const elapsed = Date.now() - ordered;
      const aRun = await importing();
      const aOrders = await prisma.order.count({ where: { shopId: bigShop.shopId } });
      const depth = await registry.get(QUEUE.shopSync).getJobCounts("active", "waiting");
      console.log(
        `[fairness] shop B's order reached its tags in ${elapsed} ms (${tags.join(" ")}); ` +
          `shop A's import ${aRun ? "still running" : "finished"} (run ${aRun?.step ?? "-"}, ` +
          `${aOrders} orders stored so far, shop-sync active ${depth.active})`,
      );
      expect(aRun, "shop A's import was still running").not.toBeNull();
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      bulkWorker.kill("SIGKILL");
      // Jobs still running (shop A's recompute, if it started) are not waited for.
      await Promise.all(runtime.workers.map((worker) => worker.close(true)));
      await registry.close();
      await small.sim.close();
      big.child.kill("SIGTERM");
    }
  }, 290_000);

  it("a worker takes another shop's re-segmentation before a full recompute enqueued earlier", async () => {
    const registry = new QueueRegistry(redis);
    const taken: string[] = [];
    try {
      // Shop A's recompute (and a write-back) enqueued first, then B's customer jobs.
      await enqueueShopRecompute(registry, { shop: "a-big.myshopify.com", reason: "manual" });
      await enqueueCustomerResegment(registry, { shop: "b-small.myshopify.com", customerId: "7" });
      const queue = registry.get(QUEUE.segments);
      // The debounced job's delay is over at once (a worker would promote it when due).
      await queue.promoteJobs();
      expect((await queue.getJobs(["prioritized"])).map((job) => [job.name, job.opts.priority])).toEqual([
        ["recompute.shop", BULK_PRIORITY],
      ]);
      // One slot: the order in which a real worker takes the jobs.
      const worker = createWorker(redis, QUEUE.segments, async (job) => void taken.push(job.name), { concurrency: 1 });
      await waitFor(async () => taken.length === 2, "both jobs taken", 10_000);
      await worker.close();
      expect(taken).toEqual(["resegment.customer", "recompute.shop"]);
    } finally {
      await registry.close();
    }
  });
});
