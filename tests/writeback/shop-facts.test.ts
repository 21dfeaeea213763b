import "./isolated-database";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { nightlySchedulerId } from "../../app/queues/segments.server";
import { enqueueBackfill } from "../../app/queues/sync.server";
import { updateShopSettings } from "../../app/settings/settings.server";
import { membershipRowsWithReasons } from "../../app/recompute/reasons-when-read.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { startAppWorkers, waitFor } from "../helpers/sim-app";
import { recomputeFinished } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();

/**
 * Three shops whose calendars are ahead of UTC. One customer's only order is
 * placed at 00:30 on Saturday 14 June 2025, shop time: still Friday 13 June in
 * UTC. Two one-day occasion windows tell which day the app counted it on.
 */
const SHOPS = [
  { timezone: "Europe/London", currency: "GBP", utc: "2025-06-13T23:30:00Z", price: 42.5, decimals: 2 },
  { timezone: "Asia/Tokyo", currency: "JPY", utc: "2025-06-13T15:30:00Z", price: 4250, decimals: 0 },
  { timezone: "Asia/Kuwait", currency: "KWD", utc: "2025-06-13T21:30:00Z", price: 12.345, decimals: 3 },
] as const;

const WINDOWS = [
  { handle: "friday-13-june", title: "Friday 13 June", from: "2025-06-13", to: "2025-06-13" },
  { handle: "saturday-14-june", title: "Saturday 14 June", from: "2025-06-14", to: "2025-06-14" },
];

/** An amount as the app writes it: the currency's own number of decimals. */
const amountPattern = (decimals: number) => (decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${decimals}}$`));

async function nightlyTimeZone(app: ReturnType<typeof startAppWorkers>, domain: string) {
  const schedulers = await app.registry.get(QUEUE.segments).getJobSchedulers(0, -1);
  return schedulers.find((s) => s.key === nightlySchedulerId(domain))?.tz;
}

describe.each(SHOPS)("a $timezone shop in $currency", (shop) => {
  it("is segmented on its own calendar, writes its amounts with its currency's decimals, and follows shop/update", async () => {
    const domain = `facts-${shop.currency.toLowerCase()}.myshopify.com`;
    const store = await routes.store({
      domain,
      timezone: shop.timezone,
      currency: shop.currency,
      simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 20 },
    });
    // The install service read the facts from the simulated shop.
    const row = await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } });
    expect([row.timezone, row.currency]).toEqual([shop.timezone, shop.currency]);

    store.sim.generate(domain, {
      seed: 11,
      customers: 250,
      orders: 2_500,
      startDate: "2024-01-01",
      endDate: "2025-11-30",
      discountShare: 0.2,
      seasonality: 0.3,
    });
    const customerId = 9_300_000_001;
    store.sim.createOrder(domain, {
      customerId,
      lineItems: [{ sku: "MIDNIGHT", quantity: 2, price: shop.price }],
      processedAt: shop.utc,
    });
    await updateShopSettings(prisma, store.shopId, { segmentation: { occasion: { windows: WINDOWS } } });

    const app = startAppWorkers(redis, store, [QUEUE.shopSync, QUEUE.segments, QUEUE.writeback, QUEUE.webhooks]);
    try {
      const started = new Date();
      await enqueueBackfill(app.registry, domain);
      await recomputeFinished(store.shopId, started);

      const occasions = async () =>
        (await membershipRowsWithReasons(prisma, store.shopId, BigInt(customerId))).filter(
          (m) => m.segment.startsWith("occasion/") && m.segment.includes("june"),
        );
      // Saturday in the shop's calendar, not the UTC Friday.
      expect((await occasions()).map((m) => m.segment)).toEqual(["occasion/saturday-14-june"]);
      expect((await occasions())[0].reason).toContain("2025-06-14");
      // The nightly recompute runs at 3 am shop time.
      expect(await nightlyTimeZone(app, domain)).toBe(shop.timezone);

      // Amounts in reasons and metafields have the currency's decimals.
      const rfm = (await membershipRowsWithReasons(prisma, store.shopId)).filter(
        (m) => m.segment.startsWith("rfm/") && m.reason?.endsWith(" spent"),
      );
      expect(rfm.length).toBeGreaterThan(100);
      for (const m of rfm)
        expect(/, (\S+) spent$/.exec(m.reason!)?.[1], m.reason!).toMatch(amountPattern(shop.decimals));
      const customers = await prisma.customer.findMany({ where: { shopId: store.shopId }, select: { id: true } });
      const clv = customers.flatMap(({ id }) =>
        store.sim
          .metafields(domain, `gid://shopify/Customer/${id}`)
          .filter((m) => m.key === "clv_12m")
          .map((m) => m.value),
      );
      expect(clv.length).toBeGreaterThan(50);
      for (const value of clv) expect(value).toMatch(amountPattern(shop.decimals));

      // The merchant moves the shop to New York: shop/update reaches the app,
      // the nightly recompute moves to New York's 3 am, and the shop is
      // segmented again on its new calendar (the order was on a Friday there).
      const moved = new Date();
      store.sim.updateShop(domain, { timezone: "America/New_York" });
      await waitFor(
        async () =>
          (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).timezone === "America/New_York",
        "the new time zone stored",
        30_000,
      );
      await recomputeFinished(store.shopId, moved);
      expect(await nightlyTimeZone(app, domain)).toBe("America/New_York");
      expect((await occasions()).map((m) => m.segment)).toEqual(["occasion/friday-13-june"]);
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 300_000);
});
