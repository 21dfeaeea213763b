import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { backfillShop } from "../../app/services/sync-runs.server";
import { testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { startAppWorkers, waitFor } from "../helpers/sim-app";

const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();

/** Rows in any table of the app's schema whose text mentions `value` as a whole token. */
async function rowsMentioning(value: string): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<Array<{ table_name: string }>>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const found: Record<string, number> = {};
  const pattern = `(^|[^0-9A-Za-z.-])${value.replace(/[.]/g, "\\.")}([^0-9A-Za-z-]|$)`;
  for (const { table_name } of tables) {
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>(
      `SELECT count(*) FROM "${table_name}" t WHERE t::text ~ $1`,
      pattern,
    );
    if (count > 0n) found[table_name] = Number(count);
  }
  return found;
}

describe("privacy webhooks", () => {
  it("customers/data_request records what the app holds; customers/redact and shop/redact leave no trace", async () => {
    const store = await routes.store({
      domain: "privacy.myshopify.com",
      simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 20 },
    });
    store.sim.generate(store.domain, {
      seed: 3,
      customers: 200,
      orders: 1_500,
      startDate: "2024-01-01",
      endDate: "2025-12-31",
      discountShare: 0.2,
      seasonality: 0.3,
    });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } });
    await backfillShop(prisma, store.api(), shop, undefined, { pollIntervalMs: 20 });
    const app = startAppWorkers(redis, store, [QUEUE.webhooks]);
    try {
      const [{ customerId }] = await prisma.$queryRaw<Array<{ customerId: bigint }>>`
        SELECT "customerId" FROM "Order" WHERE "shopId" = ${store.shopId} AND "customerId" IS NOT NULL
        GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1`;
      const id = String(customerId);
      // What later issues store per customer, so the redaction is shown to reach it.
      await prisma.customerFeatures.create({ data: { shopId: store.shopId, customerId, features: { orders: 3 } } });
      await prisma.segmentMembership.create({
        data: {
          shopId: store.shopId,
          customerId,
          segments: ["loyalty/repeat"],
          reasons: ["3 orders"],
          sinceDay: [20_415],
          tags: ["seg:loyalty-repeat"],
        },
      });
      await prisma.segmentTransition.create({
        data: { shopId: store.shopId, customerId, segment: "loyalty/repeat", change: "entered" },
      });
      const ordersBefore = await prisma.order.count({ where: { shopId: store.shopId } });
      expect(Object.keys(await rowsMentioning(id))).toEqual(
        expect.arrayContaining(["Order", "Customer", "CustomerFeatures", "SegmentMembership", "SegmentTransition"]),
      );

      store.sim.requestCustomerData(store.domain, id);
      const request = await waitFor(
        () => prisma.dataRequest.findFirst({ where: { shopDomain: store.domain, customerId } }),
        "the data request record",
        30_000,
      );
      const record = request.record as { orders: unknown[]; memberships: unknown[]; customerId: string };
      expect(record.customerId).toBe(id);
      expect(record.orders.length).toBeGreaterThanOrEqual(3);
      expect(record.memberships).toHaveLength(1);
      const keys = new Set<string>();
      JSON.stringify(record, (key, value) => (keys.add(key), value));
      for (const personal of ["email", "first_name", "last_name", "name", "phone", "address1", "zip"]) {
        expect(keys.has(personal), personal).toBe(false);
      }
      expect(JSON.stringify(record)).not.toContain("@");

      store.sim.redactCustomer(store.domain, id);
      await waitFor(async () => Object.keys(await rowsMentioning(id)).length === 0 || undefined, "redaction", 30_000);
      // The shop's anonymous aggregates stay: the orders remain, without the customer.
      expect(await prisma.order.count({ where: { shopId: store.shopId } })).toBe(ordersBefore);

      store.sim.redactShop(store.domain);
      await waitFor(
        async () => (await prisma.shop.count({ where: { domain: store.domain } })) === 0 || undefined,
        "shop redaction",
        30_000,
      );
      await waitFor(
        async () => {
          const mentions = { ...(await rowsMentioning(store.domain)), ...(await rowsMentioning(store.shopId)) };
          return Object.keys(mentions).length === 0 || undefined;
        },
        "no row mentioning the shop",
        30_000,
      );
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 180_000);
});
