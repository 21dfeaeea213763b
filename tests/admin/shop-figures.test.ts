// A big shop's admin figures (ADR 054): from ADMIN_FIGURES_STORED_FROM
// members the overview, the segment list and a segment's page read the
// figures the worker stored, with their time, instead of aggregating every
// membership and order per view; below it every view aggregates, and nothing
// is stored. Old figures, or figures from before a customer's erasure, ask the
// worker for a refresh (the insights queue, on both backends), which stores
// what the aggregation gives then. Real PostgreSQL and queues; the size is
// lowered so that a 40-customer shop counts as big.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loadOverview } from "../../app/admin/overview.server";
import { loadSegmentList } from "../../app/admin/segments.server";
import {
  computeShopFigures,
  refreshShopFigures,
  REFRESH_AFTER_MS,
  shopFigures,
} from "../../app/admin/shop-figures.server";
import { setProcessEnv } from "../../app/config/env.server";
import { enqueueFiguresRefresh } from "../../app/queues/insights.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { processChunk } from "../../app/recompute/chunk.server";
import { fitShopStep } from "../../app/recompute/fit.server";
import { loadShopConfig } from "../../app/settings/settings.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { adminFiguresStore, readStoredFigures, storeFigures } from "../../app/stores/admin-figures.server";
import { logger } from "../../app/utils/logger.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers } from "../../app/workers/runtime.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { seedCustomersAndOrders } from "../helpers/synthetic-shop";

const DOMAIN = "figures.myshopify.com";
const asOf = new Date("2026-06-30T12:00:00Z");
let client: pg.Client;
let shop: { id: string; domain: string };

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const row = await prisma.shop.create({
    data: { domain: DOMAIN, status: "installed", timezone: "UTC", currency: "USD" },
  });
  shop = { id: row.id, domain: DOMAIN };
  // 40 customers with 1 to 6 orders over two years.
  await seedCustomersAndOrders(shop.id, { asOf, customers: 40, cycle: 6, beforeMs: 3_600_000 });
  const config = await loadShopConfig(prisma, shop.id);
  const fit = await fitShopStep(client, config, asOf, { chunkSize: 1000 });
  for (const range of fit.ranges) {
    await processChunk(client, { config, cutoffs: fit.cutoffs, asOf, range, recordTransitions: false });
  }
});

afterAll(async () => {
  setProcessEnv({ ADMIN_FIGURES_STORED_FROM: undefined });
  await client?.end();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const storedFrom = (members: number) => setProcessEnv({ ADMIN_FIGURES_STORED_FROM: String(members) });

/** Refreshes asked by the pages, instead of the queue. */
function refreshLog() {
  const asked: string[] = [];
  return { asked, refresh: async (domain: string) => void asked.push(domain) };
}

/** Takes one customer out of the memberships (as a re-segmentation that found no orders would). */
async function dropOneMember(customerId: bigint) {
  await prisma.segmentMembership.delete({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
}

describe("admin figures", () => {
  it("are aggregated per view and never stored below the size", async () => {
    storedFrom(41);
    const { asked, refresh } = refreshLog();
    const view = await shopFigures(prisma, shop, "all", { refresh });
    expect(view.asOf).toBeNull();
    expect(view.shop.customers).toBe(40);
    expect({ ...view, asOf: undefined }).toEqual({ ...(await computeShopFigures(shop.id)), asOf: undefined });
    // The segment pages' views aggregate the totals only.
    const totals = await shopFigures(prisma, shop, "totals", { refresh });
    expect(totals).toEqual({ ...view, rfm: [], clv: { edges: [], max: 0, counts: [] } });
    expect(await readStoredFigures(prisma, shop.id)).toBeNull();
    expect(await refreshShopFigures(prisma, DOMAIN)).toEqual({ customers: 40, stored: false });
    expect(await readStoredFigures(prisma, shop.id)).toBeNull();
    expect(asked).toEqual([]);
    expect((await loadSegmentList(prisma, DOMAIN)).figuresAsOf).toBeNull();
  });

  it("from the size, are stored whole by the first view and read with their time by the next", async () => {
    storedFrom(10);
    const { asked, refresh } = refreshLog();
    // The first view is a segment page's (totals only): what it stores is every figure all the same.
    const first = await shopFigures(prisma, shop, "totals", { refresh });
    expect(first.asOf).toBeNull();
    const stored = await readStoredFigures(prisma, shop.id);
    expect(stored).toMatchObject({ customers: 40, stale: false });
    const { asOf: _computedNow, ...firstFigures } = first;
    expect(stored!.figures).toEqual(firstFigures);

    expect(firstFigures).toEqual(await computeShopFigures(shop.id, "all"));
    expect(firstFigures.rfm.length).toBeGreaterThan(0);

    const second = await shopFigures(prisma, shop, "all", { refresh });
    expect(second.asOf).toEqual(stored!.computedAt);
    expect(second.segments).toEqual(first.segments);
    expect(asked).toEqual([]);

    // The pages show the stored figures and say when they were computed.
    const list = await loadSegmentList(prisma, DOMAIN);
    const overview = await loadOverview(prisma, DOMAIN, asOf);
    expect(list.figuresAsOf).toBe(stored!.computedAt.toISOString());
    expect(overview.figuresAsOf).toBe(stored!.computedAt.toISOString());
    expect(overview.totals.customers).toBe(40);
    const inSegments = list.segments.reduce((sum, s) => sum + (s.family === "rfm" ? s.customers : 0), 0);
    expect(inSegments).toBe(40);
  });

  it("stay as stored until refreshed; old or erased-since figures ask the worker, whose refresh stores the new", async () => {
    storedFrom(10);
    await refreshShopFigures(prisma, DOMAIN);
    const before = (await readStoredFigures(prisma, shop.id))!;
    await dropOneMember(40n);
    const { asked, refresh } = refreshLog();

    // Fresh: shown as stored (the dropped member still counted), no refresh asked.
    const fresh = await shopFigures(prisma, shop, "all", { refresh });
    expect(fresh.shop.customers).toBe(40);
    expect(asked).toEqual([]);
    // Older than the refresh interval: still shown, a refresh asked.
    const later = new Date(before.computedAt.getTime() + REFRESH_AFTER_MS + 1_000);
    expect((await shopFigures(prisma, shop, "all", { refresh, now: later })).shop.customers).toBe(40);
    expect(asked).toEqual([DOMAIN]);

    expect(await refreshShopFigures(prisma, DOMAIN)).toEqual({ customers: 39, stored: true });
    const after = await shopFigures(prisma, shop, "all", { refresh });
    expect(after.asOf!.getTime()).toBeGreaterThanOrEqual(before.computedAt.getTime());
    expect(after.shop.customers).toBe(39);
    expect({ ...after, asOf: null }).toEqual({ ...(await computeShopFigures(shop.id)), asOf: null });

    // A customer's erasure marks them stale: the next view asks for a refresh at once.
    await prisma.$transaction((tx) =>
      adminFiguresStore.eraseCustomer(tx, { shop: { id: shop.id, domain: DOMAIN }, customerId: 39n, orderIds: [] }),
    );
    expect((await readStoredFigures(prisma, shop.id))!.stale).toBe(true);
    await shopFigures(prisma, shop, "all", { refresh });
    expect(asked).toEqual([DOMAIN, DOMAIN]);
    await refreshShopFigures(prisma, DOMAIN);
    expect((await readStoredFigures(prisma, shop.id))!.stale).toBe(false);
  });

  it("are not replaced by an aggregation that began earlier than the stored one", async () => {
    storedFrom(10);
    await refreshShopFigures(prisma, DOMAIN);
    const stored = (await readStoredFigures(prisma, shop.id))!;
    const older = { ...stored.figures, shop: { ...stored.figures.shop, customers: 1234 } };
    await storeFigures(prisma, shop.id, older, new Date(stored.computedAt.getTime() - 1_000));
    expect(await readStoredFigures(prisma, shop.id)).toEqual(stored);
  });

  it("are gone with the shop's erasure", async () => {
    storedFrom(10);
    await refreshShopFigures(prisma, DOMAIN);
    await prisma.$transaction((tx) => adminFiguresStore.eraseShop(tx, { id: shop.id, domain: DOMAIN }));
    expect(await readStoredFigures(prisma, shop.id)).toBeNull();
  });
});

describe.each(testQueueBackends())("the refresh job on $kind", (backend) => {
  it("is one job per shop while it waits, and the insights worker stores the figures", async () => {
    storedFrom(10);
    await prisma.adminFigures.deleteMany({ where: { shopId: shop.id } });
    const registry = new QueueRegistry(backend);
    await enqueueFiguresRefresh(registry, { shop: DOMAIN });
    await enqueueFiguresRefresh(registry, { shop: DOMAIN });
    expect(await registry.get(QUEUE.insights).getJobCounts("waiting")).toEqual({ waiting: 1 });
    const all = buildProcessors({
      db: prisma,
      queues: registry,
      adminApi: async (domain) =>
        new AdminApi({ shop: domain, accessToken: "unused", origin: "http://127.0.0.1:9", logger }),
    });
    const runtime = startWorkers({
      backend,
      processors: { [QUEUE.insights]: all[QUEUE.insights] },
      concurrency: 1,
      logger,
    });
    try {
      await expect.poll(() => readStoredFigures(prisma, shop.id), { timeout: 15_000, interval: 100 }).not.toBeNull();
      const stored = (await readStoredFigures(prisma, shop.id))!;
      expect(stored.figures).toEqual(await computeShopFigures(shop.id));
    } finally {
      await runtime.close();
      await registry.close();
    }
  });
});
