import "../writeback/isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import { defaultFormValues } from "../../app/act/discount-form";
import { createSegmentDiscount } from "../../app/act/discounts.server";
import { isHeldOut } from "../../app/act/segment-discount-function";
import prisma from "../../app/db.server";
import { runBackfill } from "../../app/ingest/backfill.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { updateShopSettings } from "../../app/settings/settings.server";
import { discountGroupRows, findSegmentDiscount } from "../../app/stores/discounts.server";
import { segmentSizes } from "../../app/stores/memberships.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { startAppWorkers, waitFor } from "../helpers/sim-app";
import { recomputeFinished } from "../writeback/helpers";
import { discountStore } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];

describe("the act step in the pipeline", () => {
  it("follows every write-back: records the hold-out groups, keeps them across recomputes, pauses a discount whose segment is disabled", async () => {
    // A generous API rate: this test is about the order of the steps, not Shopify's throttling.
    const store = await discountStore("act-pipeline.myshopify.com", {
      timezone: "UTC",
      simulator: { restoreRate: 100_000, bucketSize: 1_000_000 },
    });
    store.sim.generate(store.domain, {
      seed: 21,
      customers: 600,
      orders: 3_000,
      startDate: "2024-06-01",
      endDate: "2025-12-31",
      discountShare: 0.1,
      seasonality: 0.3,
    });
    const backfillRun = await prisma.jobRun.create({ data: { shopId: store.shopId, kind: "backfill" } });
    await runBackfill({ db: prisma, api: store.api, shopId: store.shopId, runId: backfillRun.id, pollIntervalMs: 50 });
    const app = startAppWorkers(redis, store, [QUEUE.segments, QUEUE.writeback, QUEUE.act]);
    const registry = new QueueRegistry(redis);
    const actsDone = async () => (await registry.get(QUEUE.act).getJobCounts("completed")).completed;
    const recompute = async (reason: "backfill" | "settings") => {
      const acts = await actsDone();
      const started = new Date();
      await enqueueShopRecompute(registry, { shop: store.domain, reason });
      await recomputeFinished(store.shopId, started);
      // The write-back enqueued the act step as its next step.
      await waitFor(async () => (await actsDone()) > acts, "the act step after the write-back", 60_000);
      console.log(`[act pipeline] ${reason} recompute, write-back and act step: ${Date.now() - started.getTime()} ms`);
    };
    try {
      await recompute("backfill");
      const sizes = await segmentSizes(prisma, store.shopId);
      const [segment, size] = [...sizes].sort((a, b) => b[1] - a[1])[0];
      expect(size).toBeGreaterThan(50);

      const created = await createSegmentDiscount(
        { ...(await store.deps()), queues: registry },
        {
          ...defaultFormValues("2026-01-01", segment),
          title: "Biggest segment",
          rewardValue: "10",
          holdoutPercentage: "25",
        },
      );
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      const discountId = created.discount.id;
      // Creating a discount enqueues the act step too: its groups are there before the next recompute.
      const first = await waitFor(async () => {
        const rows = await discountGroupRows(prisma, store.shopId, discountId);
        return rows.length > 0 ? rows : null;
      }, "the discount's groups");
      const members = await prisma.segmentMembership.findMany({
        where: { shopId: store.shopId, segments: { has: segment } },
        select: { customerId: true },
      });
      expect(first.map((r) => String(r.customerId)).sort()).toEqual(members.map((m) => String(m.customerId)).sort());
      for (const row of first) {
        expect(row.until).toBeNull();
        expect(row.group).toBe(isHeldOut(String(row.customerId), discountId, 25) ? "holdout" : "treated");
      }

      await recompute("backfill");
      expect(await discountGroupRows(prisma, store.shopId, discountId)).toEqual(first);

      await updateShopSettings(prisma, store.shopId, { writeback: { disabledSegments: [segment] } });
      await recompute("settings");
      expect(await findSegmentDiscount(prisma, store.shopId, discountId)).toMatchObject({
        status: "paused",
        pausedReason: "segments-unavailable",
        notice: { kind: "paused-segments-unavailable", segments: [segment] },
      });
      const shopifyDiscount = store.sim.discounts(store.domain)[0];
      expect(shopifyDiscount.endsAt).toBeLessThanOrEqual(store.sim.now() / 1000);
      const closed = await discountGroupRows(prisma, store.shopId, discountId);
      expect(closed.every((r) => r.until !== null)).toBe(true);
    } finally {
      await app.close();
      await registry.close();
      await store.sim.close();
    }
  }, 300_000);
});
