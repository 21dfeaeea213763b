import "./isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { writeBackShop } from "../../app/writeback/writeback.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore, startAppWorkers } from "../helpers/sim-app";
import { backfillDirectly, recomputeFinished, tagMismatches } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];

// ADR 066 through the write-back job against the simulator: the first
// write-back compares every customer, the next ones the customers logged
// since; a customer Shopify refuses stays logged and is tried again, as a
// comparison of every customer would.
describe("the shop write-back with the tag sync log", () => {
  it("compares the logged customers after the first pass, and tries a refused customer again", async () => {
    const store = await simulatedStore({ domain: "tag-sync-writeback.myshopify.com" });
    store.sim.generate(store.domain, {
      seed: 5,
      customers: 60,
      orders: 300,
      startDate: "2024-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.4,
    });
    await backfillDirectly(store);
    const app = startAppWorkers(redis, store, [QUEUE.segments, QUEUE.writeback]);
    const ctx = { db: prisma, queues: app.registry, adminApi: async () => store.api() };
    try {
      const started = new Date();
      await enqueueShopRecompute(app.registry, { shop: store.domain, reason: "backfill" });
      const first = (await recomputeFinished(store.shopId, started)).progress as any;
      expect(first.writeback).toMatchObject({ compared: "all", failedCustomers: 0 });
      expect(first.writeback.changedCustomers).toBeGreaterThan(40);

      // In sync: the next pass compares no one and sends nothing.
      store.sim.resetCounters();
      expect(await writeBackShop(ctx, { shop: store.domain }, { finalAttempt: true })).toMatchObject({
        writeback: { compared: "logged", changedCustomers: 0, apiCalls: 0 },
      });

      // Customer a: its app tags taken off in Shopify, as the customers webhook records it. Customer b: deleted in
      // Shopify (the app not told), its recorded tags lost, so the write-back has tags to add that Shopify refuses.
      const [a, b] = await prisma.customer.findMany({
        where: { shopId: store.shopId, NOT: { appTags: { isEmpty: true } } },
        orderBy: { id: "asc" },
        take: 2,
      });
      store.sim.redactCustomer(store.domain, String(b.id));
      await prisma.customer.updateMany({
        where: { shopId: store.shopId, id: { in: [a.id, b.id] } },
        data: { appTags: [] },
      });
      await store
        .api()
        .requestBuiltDocument(
          `mutation RemoveTags($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { userErrors { message } } }`,
          { id: `gid://shopify/Customer/${a.id}`, tags: a.appTags },
        );
      const refused = await writeBackShop(ctx, { shop: store.domain }, { finalAttempt: true });
      expect(refused).toMatchObject({ writeback: { compared: "logged", changedCustomers: 2, failedCustomers: 1 } });
      expect((refused as any).writeback.failedExamples).toEqual([
        { customerId: String(b.id), message: expect.stringMatching(/does not exist/) },
      ]);
      // a's tags are back in Shopify; b is tried again by the next pass.
      const check = await tagMismatches(store.sim, store.domain, store.shopId, "seg:");
      expect(check.mismatches.map((m) => m.id)).toEqual([String(b.id)]);
      const again = await writeBackShop(ctx, { shop: store.domain }, { finalAttempt: true });
      expect(again).toMatchObject({ writeback: { compared: "logged", changedCustomers: 1, failedCustomers: 1 } });
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 300_000);
});
