import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { hmacBase64 } from "../../simulator";
import { testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { APP_SECRET, simulatorOrders, startAppWorkers, storedOrders, waitFor } from "../helpers/sim-app";

const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();

async function queueDrained(app: ReturnType<typeof startAppWorkers>) {
  const counts = await app.registry.get(QUEUE.webhooks).getJobCounts("waiting", "active", "delayed");
  return counts.waiting + counts.active + counts.delayed === 0;
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
