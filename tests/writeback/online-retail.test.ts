import "./isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CUSTOMER_TAGS_ADD_BULK } from "../../app/graphql/admin/customer-tags.server";
import { FIRST_CUSTOMERS } from "../../app/graphql/admin/test-support.server";
import { QUEUE } from "../../app/queues/names";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { enqueueBackfill } from "../../app/queues/sync.server";
import { updateShopSettings } from "../../app/settings/settings.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { ONLINE_RETAIL, simulatedStore, startAppWorkers, waitFor } from "../helpers/sim-app";
import { mutationCount, recomputeFinished, tagMismatches } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];
const AS_OF = new Date("2011-12-10T12:00:00Z");

describe("write-back on the Online Retail store", () => {
  it("makes the simulator's tags under the prefix equal the memberships, leaves other tags alone, and sends nothing the second time", async () => {
    const store = await simulatedStore({ domain: "or-writeback.myshopify.com" });
    await store.sim.loadOnlineRetail(store.domain, ONLINE_RETAIL);
    const api = store.api();
    // Merchant tags, and one stale app tag, before the app syncs.
    const page = await api.request(FIRST_CUSTOMERS, { first: 3 });
    const [a, b, c] = page.customers.nodes.map((n) => n.id);
    // The merchant's tagsAdd is the app's own (single-customer) document.
    await api.request(CUSTOMER_TAGS_ADD_BULK, { id: a, tags: ["VIP", "wholesale"] });
    await api.request(CUSTOMER_TAGS_ADD_BULK, { id: b, tags: ["segment-fan", "seg:stale-segment"] });
    await api.request(CUSTOMER_TAGS_ADD_BULK, { id: c, tags: ["seg"] });

    const app = startAppWorkers(redis, store, [QUEUE.shopSync, QUEUE.segments, QUEUE.writeback]);
    try {
      const beforeBackfill = new Date();
      await enqueueBackfill(app.registry, store.domain);
      await waitFor(
        () => prisma.jobRun.findFirst({ where: { shopId: store.shopId, kind: "backfill", status: "completed" } }),
        "backfill",
        180_000,
      );
      // The end of the backfill may already have requested a recompute (as of now); this request is then coalesced into it.
      await enqueueShopRecompute(app.registry, { shop: store.domain, reason: "backfill" });
      const first = await recomputeFinished(store.shopId, beforeBackfill);
      const firstProgress = first.progress as Record<string, any>;
      expect(firstProgress.customersDone).toBe(firstProgress.customersTotal);
      expect(firstProgress.writeback.changedCustomers).toBeGreaterThan(4000);
      expect(firstProgress.writeback.bulkOperations).toBeGreaterThan(0);
      expect(firstProgress.writeback.failedCustomers).toBe(0);
      expect(firstProgress.writeback.compared).toBe("all");
      expect(firstProgress.keptRead).toBe(false);
      // The recompute asked for the shop's admin figures (ADR 054), the write-back for the day's snapshot (no insights
      // worker here: they wait).
      const insightsJobs = await app.registry.get(QUEUE.insights).getJobs(["waiting"]);
      expect(insightsJobs.map((job) => job.name).sort()).toEqual(["insights.figures", "insights.snapshot"]);
      // The first recompute analysed the memberships it wrote (this database's only shop): the planner knows them.
      const [planned] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = '"SegmentMembership"'::regclass`,
      );
      expect(planned.n).toBe(await prisma.segmentMembership.count({ where: { shopId: store.shopId } }));

      // As of the day after the data ends, so the segments are meaningful.
      const started = new Date();
      await enqueueShopRecompute(app.registry, { shop: store.domain, reason: "manual", asOf: AS_OF });
      const run = await recomputeFinished(store.shopId, started);
      expect((run.progress as any).writeback.failedCustomers).toBe(0);
      // Only the customers whose segments moved were compared (ADR 066); the tags checked below are all right.
      expect((run.progress as any).writeback.compared).toBe("logged");
      // Nothing changed since the first recompute read the orders (the write-back's app tags do not count):
      // fitted from its kept read, through the jobs (ADR 051).
      expect((run.progress as any).keptRead).toBe(true);

      // The data set has no journey data (every order's source is "web"): no one
      // is "acquired via direct", the acquisition segments are simply unavailable.
      const acquired = await prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM "SegmentMembership", unnest(segments) s
        WHERE "shopId" = ${store.shopId} AND s LIKE 'marketing/acquired-%'`;
      expect(acquired[0].n).toBe(0);

      const check = await tagMismatches(store.sim, store.domain, store.shopId, "seg:");
      expect(check.mismatches.slice(0, 5)).toEqual([]);
      expect(check.tagged).toBeGreaterThan(4000);
      const idOf = (gid: string) => gid.split("/").pop()!;
      expect(store.sim.customerTags(store.domain, idOf(a))).toEqual(expect.arrayContaining(["VIP", "wholesale"]));
      expect(store.sim.customerTags(store.domain, idOf(b))).toEqual(expect.arrayContaining(["segment-fan"]));
      expect(store.sim.customerTags(store.domain, idOf(b))).not.toContain("seg:stale-segment");
      expect(store.sim.customerTags(store.domain, idOf(c))).toContain("seg");

      // Metafields for Liquid and Functions.
      const metafields = store.sim.metafields(store.domain, a);
      expect(metafields.map((m: any) => m.key).sort()).toEqual(expect.arrayContaining(["handles"]));

      // Unchanged data: zero mutations.
      const transitionsBefore = await prisma.segmentTransition.count({ where: { shopId: store.shopId } });
      store.sim.resetCounters();
      const again = new Date();
      await enqueueShopRecompute(app.registry, { shop: store.domain, reason: "nightly", asOf: AS_OF });
      const second = await recomputeFinished(store.shopId, again);
      expect((second.progress as any).writeback.changedCustomers).toBe(0);
      expect(mutationCount(store.sim, store.domain)).toBe(0);
      expect(await prisma.segmentTransition.count({ where: { shopId: store.shopId } })).toBe(transitionsBefore);

      // Changing the prefix moves the tags; disabling a segment removes its tags; a mirror appears.
      await updateShopSettings(prisma, store.shopId, {
        writeback: { tagPrefix: "rs-", disabledSegments: ["usage/light"], mirrors: ["rfm/champions"] },
      });
      const third = new Date();
      await enqueueShopRecompute(app.registry, { shop: store.domain, reason: "settings", asOf: AS_OF });
      const settingsRun = await recomputeFinished(store.shopId, third);
      expect((settingsRun.progress as any).writeback.compared).toBe("all");
      const moved = await tagMismatches(store.sim, store.domain, store.shopId, "rs-");
      expect(moved.mismatches.slice(0, 5)).toEqual([]);
      const allTags = (
        await prisma.customer.findMany({ where: { shopId: store.shopId }, select: { id: true } })
      ).flatMap(({ id }) => store.sim.customerTags(store.domain, String(id)));
      expect(allTags.filter((t) => t.startsWith("seg:"))).toEqual([]);
      expect(allTags.filter((t) => t === "rs-usage-light")).toEqual([]);
      expect(allTags.filter((t) => t === "rs-rfm-champions").length).toBeGreaterThan(0);
      const mirrors = store.sim.segments(store.domain);
      expect(mirrors.map((s: any) => s.query)).toEqual(["customer_tags CONTAINS 'rs-rfm-champions'"]);
      const shop = await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } });
      expect((shop.settings as any).writeback.previousPrefixes).toEqual([]);
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 600_000);
});
