import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueReconcile } from "../../app/queues/sync.server";
import { backfillShop } from "../../app/ingest/backfill.server";
import { processWebhook } from "../../app/ingest/process-webhook.server";
import { webhookJobData } from "../../app/ingest/webhook-payloads";
import { loadActivity } from "../../app/admin/activity.server";
import { startSimulator } from "../../simulator";
import { appScopes } from "../../scripts/lib/app-config";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import {
  APP_SECRET,
  simulatedStore,
  simulatorOrders,
  startAppWorkers,
  storedOrders,
  waitFor,
} from "../helpers/sim-app";

const redis = testQueueBackends()[0];
afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const generate = {
  customers: 100,
  orders: 600,
  startDate: "2025-01-01",
  endDate: "2025-10-31",
  discountShare: 0.2,
  seasonality: 0.2,
};

describe("reconciliation", () => {
  it("repairs what lost webhooks missed, and records the run", async () => {
    // Webhooks go nowhere (port 9): every change after the backfill is "lost".
    const store = await simulatedStore({
      domain: "reconcile.myshopify.com",
      simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 20, webhookRetryDelaysMs: [] },
    });
    store.sim.generate(store.domain, { seed: 11, ...generate });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } });
    await backfillShop(prisma, store.api(), shop, undefined, { pollIntervalMs: 20 });

    const newOrder = store.sim.createOrder(store.domain, {
      customerId: 7000000003,
      lineItems: [{ sku: "NEW", quantity: 2, price: 30 }],
    });
    const some = [...(await storedOrders(store.shopId)).keys()].slice(0, 5);
    store.sim.cancelOrder(store.domain, some[0]);
    store.sim.refundOrder(store.domain, some[1]);
    expect(await prisma.order.count({ where: { shopId: store.shopId, id: BigInt(newOrder.id) } })).toBe(0);

    const app = startAppWorkers(redis, store, [QUEUE.shopSync]);
    const registry = new QueueRegistry(redis);
    try {
      await enqueueReconcile(registry, store.domain);
      const run = await waitFor(
        () => prisma.jobRun.findFirst({ where: { shopId: store.shopId, kind: "reconcile", status: "completed" } }),
        "reconciliation",
        60_000,
      );
      expect((run.progress as { repaired: number }).repaired).toBe(3);
      const truth = await simulatorOrders(store.api());
      const stored = await storedOrders(store.shopId);
      expect(stored).toEqual(truth);
      const state = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).syncState as Record<
        string,
        any
      >;
      expect(state.lastReconcile.repaired).toBe(3);
    } finally {
      await app.close();
      await registry.close();
      await store.sim.close();
    }
  }, 120_000);
});

describe("multi-tenancy", () => {
  it("jobs and routes of one shop never read or change another shop's rows", async () => {
    // Two shops whose stores were generated alike: the same customer and order ids in both.
    const sim = await startSimulator({
      appSecret: APP_SECRET,
      restoreRate: 1_000_000,
      bucketSize: 10_000_000,
      bulkLatencyMs: 20,
    });
    const shops: Array<{ domain: string; id: string; api: AdminApi }> = [];
    for (const domain of ["tenant-a.myshopify.com", "tenant-b.myshopify.com"]) {
      sim.createShop(domain, { timezone: "UTC", currency: "USD" });
      const accessToken = `shpat_${domain.slice(0, 8)}`;
      sim.installApp(domain, { accessToken, scopes: appScopes(), webhookUrl: "http://127.0.0.1:9" });
      sim.generate(domain, { seed: 5, ...generate });
      const row = await prisma.shop.create({ data: { domain, status: "installed" } });
      const api = new AdminApi({ shop: domain, accessToken, origin: sim.url });
      await backfillShop(prisma, api, row, undefined, { pollIntervalMs: 20 });
      shops.push({ domain, id: row.id, api });
    }
    const [a, b] = shops;
    try {
      const before = await storedOrders(b.id);
      expect(before).toEqual(await storedOrders(a.id)); // same ids and values: only the shop tells them apart
      const [{ customerId }] = await prisma.$queryRaw<Array<{ customerId: bigint }>>`
        SELECT "customerId" FROM "Order" WHERE "shopId" = ${a.id} AND "customerId" IS NOT NULL LIMIT 1`;
      const orderId = [...before.keys()][0];

      const ctx = {
        db: prisma,
        queues: new QueueRegistry(redis),
        adminApi: async (domain: string) => shops.find((s) => s.domain === domain)!.api,
      };
      // Shop A: an order change, a customer redaction, a customer deletion.
      const changed = {
        id: Number(orderId),
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "2030-01-01T00:00:00Z",
        total_price: "1.00",
        current_total_price: "1.00",
        currency: "USD",
        cancelled_at: "2030-01-01T00:00:00Z",
        customer: { id: Number(customerId) },
      };
      await processWebhook(ctx, {
        shop: a.domain,
        eventId: "t1",
        data: webhookJobData("orders/updated", changed),
      });
      await processWebhook(ctx, {
        shop: a.domain,
        eventId: "t2",
        data: webhookJobData("customers/redact", { customer: { id: Number(customerId) }, orders_to_redact: [] }),
      });
      await processWebhook(ctx, {
        shop: a.domain,
        eventId: "t3",
        data: webhookJobData("customers/delete", { id: Number(customerId) + 1 }),
      });

      // Shop B is untouched.
      expect(await storedOrders(b.id)).toEqual(before);
      expect(await prisma.customer.count({ where: { shopId: b.id, id: customerId } })).toBe(1);
      expect(await prisma.customer.count({ where: { shopId: b.id, deletedAt: { not: null } } })).toBe(0);
      // ...while shop A changed.
      expect((await storedOrders(a.id)).get(orderId)?.totalMinor).toBe(100);
      expect(await prisma.customer.count({ where: { shopId: a.id, id: customerId } })).toBe(0);

      // A shop's activity page shows only its own runs.
      const activity = await loadActivity(prisma, b.domain);
      const runShops = await prisma.jobRun.findMany({ where: { shopId: b.id } });
      expect(activity.runs.map((run) => run.id).sort()).toEqual(runShops.map((run) => run.id).sort());
      await ctx.queues.close();
    } finally {
      await sim.close();
    }
  }, 120_000);
});
