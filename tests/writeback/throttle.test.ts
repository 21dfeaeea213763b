import "./isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import { QUEUE } from "../../app/queues/names";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore, startAppWorkers } from "../helpers/sim-app";
import { backfillDirectly, recomputeFinished, tagMismatches } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];

describe("write-back under hard throttling", () => {
  it("completes with nothing lost and no THROTTLED error reaching the merchant", async () => {
    // A 40-point bucket refilling 60 points/s: every document waits for the bucket.
    const store = await simulatedStore({
      domain: "throttled.myshopify.com",
      simulator: { bucketSize: 40, restoreRate: 60 },
    });
    store.sim.generate(store.domain, {
      seed: 11,
      customers: 250,
      orders: 1_200,
      startDate: "2024-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.4,
    });
    // Not through the backfill queue: its reconciliation would crawl through the tiny bucket.
    await backfillDirectly(store);
    const app = startAppWorkers(redis, store, [QUEUE.segments, QUEUE.writeback]);
    try {
      store.sim.resetCounters();
      const started = new Date();
      await enqueueShopRecompute(app.registry, {
        shop: store.domain,
        reason: "backfill",
        asOf: new Date("2026-01-01T00:00:00Z"),
      });
      const run = await recomputeFinished(store.shopId, started, 400_000);
      const counts = store.sim.callCounts(store.domain);
      // The scenario really throttled, and the small differences went through batched calls.
      expect(counts.throttled).toBeGreaterThan(0);
      expect(counts.bulkOperations.mutation).toBe(0);
      expect(run.error).toBeNull();
      const writeback = (run.progress as any).writeback;
      expect(writeback.failedCustomers).toBe(0);
      expect(writeback.changedCustomers).toBeGreaterThan(200);
      const check = await tagMismatches(store.sim, store.domain, store.shopId, "seg:");
      expect(check.mismatches).toEqual([]);
      expect(check.tagged).toBeGreaterThan(200);
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 600_000);
});
