import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, verifyWebhookHmac, type Simulator } from "./index";
import { SECRET, SHOP, TOKEN } from "./test-helpers";

interface Received {
  topic: string;
  headers: IncomingMessage["headers"];
  raw: string;
  at: number;
}

let app: Server;
let appUrl: string;
let received: Received[];
/** Status the fake app answers per attempt; defaults to 200. */
let answers: (number | "hang")[];
let sim: Simulator;

beforeEach(async () => {
  received = [];
  answers = [];
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        topic: String(req.headers["x-shopify-topic"]),
        headers: req.headers,
        raw: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      const answer = answers.shift() ?? 200;
      if (answer === "hang") return; // never answers: the simulator must time out
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  sim = await startSimulator({
    appSecret: SECRET,
    webhookRetryDelaysMs: [20, 20, 20],
    webhookTimeoutMs: 300,
  });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP" });
  sim.installApp(SHOP, {
    accessToken: TOKEN,
    scopes: ["read_orders", "read_customers"],
    webhookUrl: appUrl,
    subscriptions: [
      { topic: "orders/create", uri: "/webhooks/orders/create" },
      { topic: "orders/updated", uri: "/webhooks/orders/updated" },
      { topic: "orders/cancelled", uri: "/webhooks/orders/cancelled" },
      { topic: "refunds/create", uri: "/webhooks/refunds/create" },
      { topic: "customers/redact", uri: "/webhooks/compliance" },
      { topic: "app/uninstalled", uri: "/webhooks/app/uninstalled" },
    ],
  });
});

afterEach(async () => {
  await sim.close();
  app.closeAllConnections();
  await new Promise<void>((r) => app.close(() => r()));
});

describe("webhook delivery", () => {
  it("sends orders/create signed with the app secret and Shopify's headers", async () => {
    const order = sim.createOrder(SHOP, {
      customerId: 555,
      lineItems: [{ sku: "MUG", title: "Mug", quantity: 2, price: 7.5 }],
      discountCode: { code: "WELCOME10", type: "percentage", amount: 1.5 },
    });
    await sim.webhooksIdle();
    const delivery = received.find((r) => r.topic === "orders/create")!;
    expect(delivery).toBeDefined();
    expect(verifyWebhookHmac(SECRET, delivery.raw, delivery.headers["x-shopify-hmac-sha256"] as string)).toBe(true);
    expect(verifyWebhookHmac("another-secret", delivery.raw, delivery.headers["x-shopify-hmac-sha256"] as string)).toBe(
      false,
    );
    expect(delivery.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(delivery.headers["x-shopify-api-version"]).toBe("2026-04");
    expect(delivery.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(delivery.headers["x-shopify-triggered-at"] as string)).not.toBeNaN();
    const body = JSON.parse(delivery.raw);
    expect(body.id).toBe(order.id);
    expect(body.admin_graphql_api_id).toBe(`gid://shopify/Order/${order.id}`);
    // REST timestamps carry the shop's offset (Europe/London: +00:00 or +01:00).
    expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[01]:00$/);
    expect(Math.abs(Date.parse(body.created_at) - Date.now())).toBeLessThan(60_000);
    expect(body.line_items[0]).toMatchObject({
      quantity: 2,
      price: "7.50",
      sku: "MUG",
    });
    expect(body.discount_codes).toEqual([{ code: "WELCOME10", amount: "1.50", type: "percentage" }]);
    expect(body.total_price).toBe("13.50");
    // Personal data is present, as in Shopify's payloads: the app must drop it.
    expect(body.customer).toMatchObject({
      id: 555,
      admin_graphql_api_id: "gid://shopify/Customer/555",
    });
    expect(body.customer.email).toContain("@");
    expect(body.customer.first_name).toBeTruthy();
    expect(body.shipping_address.address1).toBeTruthy();
  });

  it("retries on non-2xx and on no answer within the timeout", async () => {
    answers = [500, "hang", 200];
    sim.sendWebhook(SHOP, "orders/updated", { id: 1 });
    await sim.webhooksIdle();
    const log = sim.deliveries().find((d) => d.topic === "orders/updated")!;
    expect(log.attempts.map((a) => a.status)).toEqual([500, null, 200]);
    expect(log.attempts[1].error).toMatch(/no answer within 300 ms/);
    expect(log.delivered).toBe(true);
    const ids = received.filter((r) => r.topic === "orders/updated").map((r) => r.headers["x-shopify-webhook-id"]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1); // retries keep the webhook id
  });

  it("gives up after the configured retries", async () => {
    answers = [503, 503, 503, 503];
    sim.sendWebhook(SHOP, "orders/updated", { id: 2 });
    await sim.webhooksIdle();
    const log = sim.deliveries().find((d) => d.topic === "orders/updated")!;
    expect(log.attempts).toHaveLength(4);
    expect(log.delivered).toBe(false);
  });

  it("delivers duplicates and out of order on request", async () => {
    sim.sendWebhook(SHOP, "orders/updated", { id: 10, seq: 1 }, { delayMs: 150 });
    sim.sendWebhook(SHOP, "orders/updated", { id: 10, seq: 2 }, { duplicate: 2 });
    await sim.webhooksIdle();
    const seqs = received.map((r) => JSON.parse(r.raw).seq);
    expect(seqs).toEqual([2, 2, 2, 1]);
    const copies = received.filter((r) => JSON.parse(r.raw).seq === 2);
    expect(new Set(copies.map((r) => r.headers["x-shopify-event-id"])).size).toBe(1);
  });

  it("applies seeded chaos (duplicates and reordering) to ordinary events", async () => {
    sim.setWebhookChaos({
      duplicateRate: 0.5,
      reorderRate: 0.5,
      seed: 7,
      maxReorderDelayMs: 100,
    });
    for (let i = 0; i < 20; i++) sim.sendWebhook(SHOP, "orders/updated", { id: i });
    await sim.webhooksIdle();
    const ids = received.map((r) => JSON.parse(r.raw).id as number);
    expect(ids.length).toBeGreaterThan(20);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(20);
  });

  it("sends cancel, refund, redact and uninstall webhooks from the control API", async () => {
    const order = sim.createOrder(SHOP, {
      customerId: 777,
      lineItems: [{ sku: "TEA", quantity: 3, price: 4 }],
    });
    sim.cancelOrder(SHOP, order.id);
    const redact = sim.redactCustomer(SHOP, 777);
    expect(redact).toMatchObject({
      shop_domain: SHOP,
      customer: { id: 777 },
      orders_to_redact: [order.id],
    });
    sim.uninstall(SHOP);
    await sim.webhooksIdle();
    expect(received.map((r) => r.topic)).toEqual([
      "orders/create",
      "refunds/create",
      "orders/cancelled",
      "orders/updated",
      "customers/redact",
      "app/uninstalled",
    ]);
    const cancelled = JSON.parse(received[2].raw);
    expect(cancelled.cancelled_at).not.toBeNull();
    expect(cancelled.cancel_reason).toBe("customer");
    expect(cancelled.refunds).toHaveLength(1);
    expect(received[4].headers["x-shopify-topic"]).toBe("customers/redact");
    // The uninstalled app's token no longer works.
    const r = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": TOKEN,
      },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(r.status).toBe(401);
  });
});
