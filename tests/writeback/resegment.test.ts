import "./isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueCustomerResegment, enqueueShopRecompute } from "../../app/queues/segments.server";
import { upsertOrders } from "../../app/stores/orders.server";
import { orderFromWebhook } from "../../app/ingest/order-record";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore, startAppWorkers, waitFor } from "../helpers/sim-app";
import { backfillDirectly, expectedTags, recomputeFinished, tagMismatches } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];

describe("per-customer re-segmentation", () => {
  it("reflects a new order in that customer's memberships and tags within seconds, once for a burst of requests", async () => {
    const store = await simulatedStore({ domain: "resegment.myshopify.com", timezone: "UTC" });
    store.sim.generate(store.domain, {
      seed: 3,
      customers: 400,
      orders: 2_000,
      startDate: "2024-01-01",
      endDate: "2025-12-31",
      discountShare: 0.2,
      seasonality: 0.3,
    });
    await backfillDirectly(store);
    const app = startAppWorkers(redis, store, [QUEUE.segments, QUEUE.writeback]);
    const registry = new QueueRegistry(redis);
    try {
      const started = new Date();
      await enqueueShopRecompute(registry, { shop: store.domain, reason: "backfill" });
      await recomputeFinished(store.shopId, started);

      // A customer without orders ("prospect") buys.
      const prospect = await prisma.segmentMembership.findFirstOrThrow({
        where: { shopId: store.shopId, segments: { has: "rfm/prospects" } },
      });
      const customerId = String(prospect.customerId);
      const payload = store.sim.createOrder(store.domain, {
        customerId,
        lineItems: [{ quantity: 3, price: 40 }],
        processedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      await upsertOrders(prisma, store.shopId, [orderFromWebhook(payload)]);
      const requested = Date.now();
      for (let i = 0; i < 3; i++) await enqueueCustomerResegment(registry, { shop: store.domain, customerId });
      const jobs = await registry.get(QUEUE.segments).getJobs(["delayed", "waiting", "active"]);
      expect(jobs.filter((j) => j.name === "resegment.customer")).toHaveLength(1);

      await waitFor(
        async () =>
          !(await prisma.segmentMembership.findFirst({
            where: { shopId: store.shopId, customerId: BigInt(customerId), segments: { has: "rfm/prospects" } },
          })),
        "the customer to leave the prospects",
        30_000,
      );
      const tags = await waitFor(async () => {
        const want = (await expectedTags(store.shopId)).get(customerId) ?? [];
        const have = store.sim
          .customerTags(store.domain, customerId)
          .filter((t) => t.startsWith("seg:"))
          .sort();
        return have.join() === want.join() && !have.includes("seg:rfm-prospects") ? have : null;
      }, "the customer's tags to follow");
      console.log(`[resegment] reflected ${Date.now() - requested} ms after the request (reported, not asserted)`);
      expect(tags.length).toBeGreaterThan(1);
      const transitions = await prisma.segmentTransition.findMany({
        where: { shopId: store.shopId, customerId: BigInt(customerId) },
      });
      expect(transitions.map((t) => `${t.change} ${t.segment}`)).toContain("left rfm/prospects");
      // Nobody else was touched.
      expect((await tagMismatches(store.sim, store.domain, store.shopId, "seg:")).mismatches).toEqual([]);
    } finally {
      await app.close();
      await registry.close();
      await store.sim.close();
    }
  }, 300_000);
});
