import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatorFetch, startSimulator, type Simulator } from "./index";
import { gql, SECRET, TOKEN } from "./test-helpers";

let sim: Simulator;
const SHOP = "control.myshopify.com";

async function control(path: string, body?: unknown) {
  const response = await fetch(`${sim.url}/_sim${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET });
});
afterAll(async () => {
  await sim.close();
});

describe("/_sim control API", () => {
  it("creates a shop, installs the app and drives orders over HTTP", async () => {
    expect(
      (
        await control("/shops", {
          domain: SHOP,
          timezone: "America/New_York",
          currency: "USD",
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await control(`/shops/${SHOP}/install`, {
          accessToken: TOKEN,
          scopes: "read_orders,read_customers",
          webhookUrl: "http://127.0.0.1:9",
        })
      ).status,
    ).toBe(200);
    const created = await control(`/shops/${SHOP}/orders`, {
      customerId: 42,
      lineItems: [{ sku: "CAP", title: "Cap", quantity: 1, price: 20 }],
      shippingLine: { title: "Standard", price: 5 },
      utm: { source: "newsletter", medium: "email", campaign: "spring" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: "#1001",
      total_price: "25.00",
      customer: { id: 42 },
    });

    const r = await gql(
      sim,
      `query($id: ID!) { order(id: $id) { customerJourneySummary { lastVisit { utmParameters { source medium campaign } } } shippingLines(first: 1) { nodes { title } } } }`,
      {
        id: created.body.admin_graphql_api_id,
      },
    );
    expect(r.body.data!.order.customerJourneySummary.lastVisit.utmParameters).toEqual({
      source: "newsletter",
      medium: "email",
      campaign: "spring",
    });

    const refunded = await control(`/shops/${SHOP}/orders/${created.body.id}/refund`, {});
    expect(refunded.body.refund_line_items[0].quantity).toBe(1);
    const cancelled = await control(`/shops/${SHOP}/orders/${created.body.id}/cancel`, { refund: false });
    expect(cancelled.body.cancelled_at).not.toBeNull();
    const again = await control(`/shops/${SHOP}/orders/${created.body.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already cancelled/);

    const state = await control(`/shops/${SHOP}/state`);
    expect(state.body).toMatchObject({ orders: 1, customers: 1 });
    expect((await control(`/counters?shop=${SHOP}`)).body.queries).toBe(1);
  });

  it("hides orders older than 60 days without read_all_orders, as Shopify does", async () => {
    const shop = "sixty-days.myshopify.com";
    sim.createShop(shop, { timezone: "UTC", currency: "USD" });
    sim.installApp(shop, {
      accessToken: "t60",
      scopes: ["read_orders"],
      webhookUrl: "http://127.0.0.1:9",
    });
    sim.createOrder(shop, {
      customerId: 1,
      lineItems: [{ sku: "A", quantity: 1, price: 1 }],
      processedAt: new Date(Date.now() - 90 * 86400_000).toISOString(),
    });
    sim.createOrder(shop, {
      customerId: 1,
      lineItems: [{ sku: "A", quantity: 1, price: 1 }],
    });
    const r = await gql(sim, "{ orders(first: 10) { nodes { id } } }", {}, "t60");
    expect(r.body.data!.orders.nodes).toHaveLength(1);
  });

  it("answers bad control input with a clear 4xx error", async () => {
    expect(
      (
        await control("/shops", {
          domain: "not a domain",
          timezone: "UTC",
          currency: "USD",
        })
      ).body.error,
    ).toMatch(/myshopify\.com/);
    expect(
      (
        await control("/shops", {
          domain: "tz.myshopify.com",
          timezone: "Mars/Olympus",
          currency: "USD",
        })
      ).body.error,
    ).toMatch(/timezone/);
    const badLine = await control(`/shops/${SHOP}/orders`, {
      customerId: 1,
      lineItems: [{ quantity: 0, price: 1 }],
    });
    expect(badLine.status).toBe(400);
    expect(badLine.body.error).toMatch(/quantity/);
    expect((await control(`/shops/nope.myshopify.com/orders`, { lineItems: [] })).status).toBe(404);
    expect((await control("/nothing-here")).status).toBe(404);
    const badDate = await control(`/shops/${SHOP}/orders`, {
      customerId: 1,
      processedAt: "last tuesday",
      lineItems: [{ quantity: 1, price: 1 }],
    });
    expect(badDate.body.error).toMatch(/processedAt must be an ISO 8601 date/);
    expect((await control(`/shops/${SHOP}/online-retail`, {})).body.error).toMatch(/needs the path/);
    expect((await control(`/shops/${SHOP}/online-retail`, { file: "/nope.csv.gz" })).body.error).toMatch(/not found/);
    expect((await control(`/shops/${SHOP}/generate`, { seed: 1 })).body.error).toMatch(/Invalid generator options/);
  });
});

describe("access scopes", () => {
  it("denies root fields and mutations the installed scopes do not cover", async () => {
    const shop = "scopes.myshopify.com";
    sim.createShop(shop, { timezone: "UTC", currency: "USD" });
    sim.installApp(shop, {
      accessToken: "t-scopes",
      scopes: ["read_orders", "read_customers"],
      webhookUrl: "http://127.0.0.1:9",
    });
    sim.createOrder(shop, {
      customerId: 5,
      lineItems: [{ sku: "A", quantity: 1, price: 1 }],
    });
    const read = await gql(sim, "{ customers(first: 1) { nodes { id } } }", {}, "t-scopes");
    expect(read.body.data!.customers.nodes).toHaveLength(1);
    const denied = await gql(sim, "{ discountNodes(first: 1) { nodes { id } } }", {}, "t-scopes");
    expect(denied.body.errors![0]).toMatchObject({
      message: "Access denied for discountNodes field. Required access: `read_discounts` access scope.",
      path: ["discountNodes"],
      extensions: { code: "ACCESS_DENIED" },
    });
    const write = await gql(
      sim,
      `mutation { tagsAdd(id: "gid://shopify/Customer/5", tags: ["x"]) { userErrors { message } } }`,
      {},
      "t-scopes",
    );
    expect(write.body.data!.tagsAdd).toBeNull();
    expect(write.body.errors![0].extensions!.requiredAccess).toBe("`write_customers` access scope.");
    expect(sim.customerTags(shop, 5)).toEqual([]);
  });
});

describe("simulatorFetch", () => {
  it("routes https://<shop>.myshopify.com/admin calls to the simulator", async () => {
    const shop = "fetch.myshopify.com";
    sim.createShop(shop, { timezone: "UTC", currency: "EUR" });
    sim.installApp(shop, {
      accessToken: "t-fetch",
      scopes: ["read_orders"],
      webhookUrl: "http://127.0.0.1:9",
    });
    const shopifyFetch = simulatorFetch(sim.url);
    const response = await shopifyFetch(`https://${shop}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": "t-fetch",
      },
      body: JSON.stringify({ query: "{ shop { currencyCode } }" }),
    });
    expect(((await response.json()) as { data: { shop: { currencyCode: string } } }).data.shop.currencyCode).toBe(
      "EUR",
    );
  });
});
