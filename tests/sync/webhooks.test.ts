import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { hmacBase64, stringifyExact } from "../../simulator";
import { testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { APP_SECRET, simulatorOrders, startAppWorkers, storedOrders, waitFor } from "../helpers/sim-app";

const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();

async function queueDrained(app: ReturnType<typeof startAppWorkers>) {
  const counts = await app.registry.get(QUEUE.webhooks).getJobCounts("waiting", "active", "delayed");
  return counts.waiting + counts.active + counts.delayed === 0;
}

/** Posts a signed delivery to the app's route, as Shopify would. */
function sendSigned(domain: string, topic: string, body: string, eventId: string, secret = APP_SECRET) {
  return fetch(`${routes.url()}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": secret ? hmacBase64(secret, body) : "",
      "X-Shopify-Shop-Domain": domain,
      "X-Shopify-Webhook-Id": `wh-${eventId}`,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body,
  });
}

describe("webhooks", () => {
  it("1,000 deliveries with 20% duplicates and 20% out of order end in the simulator's state", async () => {
    const store = await routes.store({
      domain: "webhooks.myshopify.com",
      simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, webhookRetryDelaysMs: [200, 400, 800] },
    });
    const app = startAppWorkers(redis, store, [QUEUE.webhooks]);
    try {
      store.sim.setWebhookChaos({ duplicateRate: 0.2, reorderRate: 0.2, seed: 42, maxReorderDelayMs: 300 });
      // Orders for 60 customers, then updates, cancellations and refunds of some of them.
      const created: string[] = [];
      let events = 0;
      for (let i = 0; events < 700; i++) {
        const order = store.sim.createOrder(store.domain, {
          customerId: 1000 + (i % 60),
          lineItems: [{ sku: `SKU-${i % 17}`, quantity: 1 + (i % 3), price: 5 + (i % 11) }],
          shippingLine: i % 4 === 0 ? { title: "Express", price: 9.5 } : { title: "Standard", price: 3 },
          discountCode: i % 5 === 0 ? { code: "WELCOME10", type: "percentage" } : null,
        });
        created.push(String(order.id));
        events++;
      }
      for (let i = 0; events < 1_000; i++) {
        const id = created[i]; // one change per order: a fully refunded order cannot be refunded again
        if (i % 3 === 0) store.sim.cancelOrder(store.domain, id);
        else if (i % 3 === 1) store.sim.refundOrder(store.domain, id);
        else store.sim.updateOrder(store.domain, id, { lineItems: [{ sku: "SKU-UPD", quantity: 2, price: 12 }] });
        events++;
      }
      await store.sim.webhooksIdle();
      const deliveries = store.sim.deliveries();
      expect(deliveries.filter((d) => d.duplicate).length).toBeGreaterThan(100);
      expect(deliveries.every((d) => d.delivered)).toBe(true);
      await waitFor(async () => (await queueDrained(app)) || undefined, "webhook jobs to finish", 120_000);

      const truth = await simulatorOrders(store.api());
      const stored = await storedOrders(store.shopId);
      expect(stored.size).toBe(truth.size);
      for (const [id, order] of truth) expect(stored.get(id), `order ${id}`).toEqual(order);
      // Every event was recorded once, duplicates or not.
      const distinctEvents = new Set(deliveries.map((d) => d.eventId)).size;
      expect(await prisma.webhookEvent.count({ where: { shopDomain: store.domain } })).toBe(distinctEvents);
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 240_000);

  it("keeps ids above 2^53 exact, and applies a refund from its payload once, without an Admin API call", async () => {
    // Shopify's own 2026-04 sample order id: 820982911946154508 (above 2^53).
    const store = await routes.store({
      domain: "exact-ids.myshopify.com",
      idBase: 820982911946154508n - 5_000_001_001n,
      simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000 },
    });
    const app = startAppWorkers(redis, store, [QUEUE.webhooks]);
    try {
      const customerId = 820982911946154508n - 5_000_001_001n + 7_000_000_001n;
      const order = store.sim.createOrder(store.domain, {
        customerId,
        lineItems: [
          { sku: "TEA", productType: "Tea", quantity: 3, price: 4.5 },
          { sku: "MUG", productType: "Kitchen", quantity: 1, price: 12 },
        ],
        shippingLine: { title: "Standard", price: 3 },
      });
      expect(String(order.id)).toBe("820982911946154508");
      // What JSON.parse (the library's parse) would have made of the id: another order.
      expect(String(JSON.parse(stringifyExact({ id: order.id })).id)).not.toBe("820982911946154508");
      const stored = await waitFor(
        () => prisma.order.findUnique({ where: { shopId_id: { shopId: store.shopId, id: 820982911946154508n } } }),
        "the order stored under its exact id",
        30_000,
      );
      expect(String(stored.customerId)).toBe(String(customerId));
      expect(stored.productIds.map(String).sort()).toEqual(order.line_items.map((l) => String(l.product_id)).sort());
      expect(stored.productTypes).toEqual(["Kitchen", "Tea"]);
      await store.sim.webhooksIdle();
      await waitFor(async () => (await queueDrained(app)) || undefined, "the order's jobs", 30_000);

      // A refund of one tea: applied from the refunds/create body alone.
      store.sim.resetCounters();
      const tea = order.line_items.find((line) => line.sku === "TEA")!;
      const refund = store.sim.refundOrder(store.domain, order.id, {
        lineItems: [{ lineItemId: tea.id, quantity: 1 }],
      });
      const refunded = await waitFor(
        async () => {
          const row = await prisma.order.findUnique({
            where: { shopId_id: { shopId: store.shopId, id: 820982911946154508n } },
          });
          return row && row.refundIds.map(String).includes(String(refund.id)) ? row : undefined;
        },
        "the refund applied",
        30_000,
      );
      expect(refunded.refundedMinor).toBe(450n);
      expect(refunded.totalMinor).toBe(stored.totalMinor - 450n);
      expect(refunded.itemQuantity).toBe(3);
      // The same refund again (a replay with a new event id) changes nothing.
      store.sim.sendWebhook(store.domain, "refunds/create", refund);
      await store.sim.webhooksIdle();
      await waitFor(async () => (await queueDrained(app)) || undefined, "the refund's jobs", 30_000);
      const after = await prisma.order.findUniqueOrThrow({
        where: { shopId_id: { shopId: store.shopId, id: 820982911946154508n } },
      });
      expect(after.refundedMinor).toBe(450n);
      expect(store.sim.callCounts(store.domain).requests).toBe(0);
      const truth = await simulatorOrders(store.api());
      expect((await storedOrders(store.shopId)).get("820982911946154508")).toEqual(truth.get("820982911946154508"));
    } finally {
      await app.close();
      await store.sim.close();
    }
  }, 120_000);
});

describe("webhooks: amounts and bad input", () => {
  it("stores a large order exactly and answers 400 to amounts that are not numbers or too large to keep exact", async () => {
    const domain = "big-amounts.myshopify.com";
    await prisma.shop.create({ data: { domain, status: "installed" } });
    const payload = (id: number, total: string) =>
      JSON.stringify({
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        updated_at: "2026-01-01T00:00:00Z",
        created_at: "2026-01-01T00:00:00Z",
        currency: "GBP",
        total_price: total,
        current_total_price: total,
        line_items: [{ id: id + 1, quantity: 1, price: total, product_id: null }],
      });
    // 25 million pounds: more minor units than a 32-bit column holds.
    expect((await sendSigned(domain, "orders/create", payload(11, "25000000.00"), "big-1")).status).toBe(200);
    for (const [n, total, reason] of [
      [12, "12,50", /Not a money amount/],
      [13, "abc", /Not a money amount/],
      [14, "90071992547409.92", /exceeds the largest exact amount/],
    ] as const) {
      const response = await sendSigned(domain, "orders/create", payload(n, total), `big-${n}`);
      expect(response.status, total).toBe(400);
      expect(await response.text()).toMatch(reason);
    }
    const app = startAppWorkers(redis, { sim: { url: "http://127.0.0.1:9" } as never, accessToken: "" }, [
      QUEUE.webhooks,
    ]);
    try {
      const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
      const row = await waitFor(
        () => prisma.order.findUnique({ where: { shopId_id: { shopId: shop.id, id: 11n } } }),
        "the large order",
        30_000,
      );
      expect(row.totalMinor).toBe(2_500_000_000n);
      expect(row.avgUnitPriceMinor).toBe(2_500_000_000n);
      expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(1);
    } finally {
      await app.close();
    }
  });

  it("answers 401 to forged signatures and 400 to bad bodies, storing nothing", async () => {
    const domain = "forged.myshopify.com";
    await prisma.shop.create({ data: { domain, status: "installed" } });
    const send = (body: string, hmac: string, eventId: string) =>
      fetch(`${routes.url()}/webhooks/orders/create`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/create",
          "X-Shopify-Hmac-Sha256": hmac,
          "X-Shopify-Shop-Domain": domain,
          "X-Shopify-Webhook-Id": `wh-${eventId}`,
          "X-Shopify-Event-Id": eventId,
          "X-Shopify-API-Version": "2026-04",
          "X-Shopify-Triggered-At": new Date().toISOString(),
        },
        body,
      });
    const order = JSON.stringify({
      id: 1,
      updated_at: "2026-01-01T00:00:00Z",
      created_at: "2026-01-01T00:00:00Z",
      total_price: "10.00",
      currency: "GBP",
    });
    expect((await send(order, hmacBase64("not-the-secret", order), "e1")).status).toBe(401);
    expect((await send(order, "", "e2")).status).toBe(401);
    const notJson = "{not json";
    expect((await send(notJson, hmacBase64(APP_SECRET, notJson), "e3")).status).toBe(400);
    const missing = JSON.stringify({ id: 2, total_price: "1.00" }); // no updated_at/created_at
    const response = await send(missing, hmacBase64(APP_SECRET, missing), "e4");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/updated_at|processed_at/);

    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(0);
    const events = await prisma.webhookEvent.findMany({ where: { shopDomain: domain } });
    // Only the rejected (signed but malformed) delivery with fields is logged, as rejected.
    expect(events.map((e) => [e.eventId, e.status])).toEqual([["e4", "rejected"]]);
  });
});
