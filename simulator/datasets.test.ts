import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./index";
import { londonToUtcSeconds } from "./online-retail";
import { gql, SECRET, TOKEN } from "./test-helpers";

const ONLINE_RETAIL = fileURLToPath(new URL("../data/online-retail/online_retail.csv.gz", import.meta.url));

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET });
  dir = mkdtempSync(join(tmpdir(), "sim-dataset-"));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Online Retail loader", () => {
  it("reproduces the dataset's documented counts", async () => {
    const shop = "online-retail.myshopify.com";
    sim.createShop(shop, { timezone: "Europe/London", currency: "GBP" });
    const started = Date.now();
    const summary = await sim.loadOnlineRetail(shop, ONLINE_RETAIL);
    const elapsed = Date.now() - started;
    expect(summary.rows).toBe(541_909);
    expect(summary.invoices.total).toBe(25_900);
    // 22,064 non-cancellation invoices = 22,061 orders + 3 bad-debt adjustments ("A"), which are skipped.
    expect(summary.invoices.orders + summary.invoices.badDebtAdjustments).toBe(22_064);
    expect(summary.orders).toBe(22_061);
    expect(summary.orders - summary.guestOrders).toBe(18_536);
    expect(summary.guestOrders + summary.invoices.badDebtAdjustments).toBe(3_528);
    expect(summary.invoices.cancellations).toBe(25_900 - 22_064);
    expect(summary.customers).toBe(4_372);
    expect(summary.skippedByReason).toEqual({
      badDebtAdjustment: 3,
      nonPositiveQuantity: 1_336,
    });
    expect(summary.skippedRows).toBe(1_339);
    expect(summary.refunds).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(30_000);

    const store = sim.shop(shop).store;
    let buyers = 0;
    for (let c = 0; c < store.customerCount; c++) if (store.c.orders[c] > 0) buyers++;
    expect(buyers).toBe(4_339);

    sim.installApp(shop, {
      accessToken: "or-token",
      scopes: ["read_all_orders", "read_orders", "read_customers"],
      webhookUrl: "http://127.0.0.1:9",
    });
    const r = await gql(
      sim,
      `{ order(id: "gid://shopify/Order/5000536365") { name processedAt currencyCode customer { id } lineItems(first: 10) { nodes { quantity sku originalUnitPriceSet { shopMoney { amount } } } } totalPriceSet { shopMoney { amount } } } }`,
      {},
      "or-token",
    );
    const order = r.body.data!.order;
    expect(order.name).toBe("#536365");
    expect(order.processedAt).toBe("2010-12-01T08:26:00Z"); // GMT in winter
    expect(order.customer.id).toBe("gid://shopify/Customer/17850");
    expect(order.lineItems.nodes[0]).toEqual({
      quantity: 6,
      sku: "85123A",
      originalUnitPriceSet: { shopMoney: { amount: "2.55" } },
    });
    expect(order.currencyCode).toBe("GBP");
    expect(order.totalPriceSet.shopMoney.amount).toBe("139.12");
  }, 120_000);

  it("converts Europe/London local time with summer time", () => {
    expect(new Date(londonToUtcSeconds(2011, 6, 15, 12, 0, 0) * 1000).toISOString()).toBe("2011-06-15T11:00:00.000Z");
    expect(new Date(londonToUtcSeconds(2011, 3, 27, 0, 30, 0) * 1000).toISOString()).toBe("2011-03-27T00:30:00.000Z");
    expect(new Date(londonToUtcSeconds(2011, 3, 27, 2, 30, 0) * 1000).toISOString()).toBe("2011-03-27T01:30:00.000Z");
    expect(new Date(londonToUtcSeconds(2011, 12, 9, 12, 50, 0) * 1000).toISOString()).toBe("2011-12-09T12:50:00.000Z");
  });

  it("skips malformed rows and counts them by reason", async () => {
    const shop = "malformed.myshopify.com";
    sim.createShop(shop, { timezone: "Europe/London", currency: "GBP" });
    const file = join(dir, "bad.csv");
    writeFileSync(
      file,
      [
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        '536365,71053,"LANTERN, WHITE METAL",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
        "536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850.0,United Kingdom",
        "536367,22633,HAND WARMER,6,yesterday,1.85,13047.0,United Kingdom",
        "536368,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,abc,United Kingdom",
        "536369,22633,HAND WARMER,6,2010-12-01 08:28:00",
        "C536370,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2010-12-02 09:00:00,2.55,17850.0,United Kingdom",
        "A563185,B,Adjust bad debt,1,2011-08-12 14:50:00,11062.06,,United Kingdom",
      ].join("\n") + "\n",
    );
    const summary = await sim.loadOnlineRetail(shop, file);
    expect(summary.orders).toBe(1);
    expect(summary.refunds).toBe(1);
    expect(summary.skippedRows).toBe(5);
    expect(summary.skippedByReason).toEqual({
      badQuantity: 1,
      badInvoiceDate: 1,
      badCustomerId: 1,
      wrongColumnCount: 1,
      badDebtAdjustment: 1,
    });
    const store = sim.shop(shop).store;
    expect(store.products[store.l.product[1]].title).toBe("LANTERN, WHITE METAL");
    expect(store.l.currentQuantity[0]).toBe(4); // 2 of 6 refunded by C536370
  });

  it("fails loudly on a file that is not the Online Retail CSV", async () => {
    const shop = "wrong-file.myshopify.com";
    sim.createShop(shop, { timezone: "Europe/London", currency: "GBP" });
    const file = join(dir, "other.csv");
    writeFileSync(file, "a,b,c\n1,2,3\n");
    await expect(sim.loadOnlineRetail(shop, file)).rejects.toThrow(/Unexpected Online Retail header/);
  });
});

describe("synthetic generator", () => {
  const options = {
    seed: 11,
    customers: 300,
    orders: 2_000,
    startDate: "2023-01-01T00:00:00Z",
    endDate: "2025-01-01T00:00:00Z",
    discountShare: 0.25,
    seasonality: 0.8,
  };

  it("is deterministic for a seed", async () => {
    sim.createShop("gen-a.myshopify.com", { timezone: "UTC", currency: "USD" });
    sim.createShop("gen-b.myshopify.com", { timezone: "UTC", currency: "USD" });
    sim.createShop("gen-c.myshopify.com", { timezone: "UTC", currency: "USD" });
    const { elapsedMs: _a, ...a } = sim.generate("gen-a.myshopify.com", options);
    const { elapsedMs: _b, ...b } = sim.generate("gen-b.myshopify.com", options);
    const { elapsedMs: _c, ...c } = sim.generate("gen-c.myshopify.com", {
      ...options,
      seed: 12,
    });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const sa = sim.shop("gen-a.myshopify.com").store;
    const sb = sim.shop("gen-b.myshopify.com").store;
    expect(Array.from(sa.o.processedAt.subarray(0, sa.orderCount))).toEqual(
      Array.from(sb.o.processedAt.subarray(0, sb.orderCount)),
    );
    expect(Array.from(sa.o.subtotalMinor.subarray(0, sa.orderCount))).toEqual(
      Array.from(sb.o.subtotalMinor.subarray(0, sb.orderCount)),
    );
  });

  it("honours the size, span, discount share and seasonality", () => {
    sim.createShop("gen-d.myshopify.com", { timezone: "UTC", currency: "USD" });
    const summary = sim.generate("gen-d.myshopify.com", {
      ...options,
      guestShare: 0.1,
    });
    const store = sim.shop("gen-d.myshopify.com").store;
    expect(store.customerCount).toBe(300);
    expect(store.orderCount).toBe(2_000);
    expect(summary.discountedOrders / 2_000).toBeGreaterThan(0.2);
    expect(summary.discountedOrders / 2_000).toBeLessThan(0.3);
    let q4 = 0;
    let q2 = 0;
    for (let i = 0; i < store.orderCount; i++) {
      const at = store.o.processedAt[i] * 1000;
      expect(at).toBeGreaterThanOrEqual(Date.parse(options.startDate));
      expect(at).toBeLessThan(Date.parse(options.endDate));
      const month = new Date(at).getUTCMonth();
      if (month >= 9) q4++;
      if (month >= 3 && month <= 5) q2++;
      if (i > 0) expect(store.o.id[i]).toBeGreaterThan(store.o.id[i - 1]);
    }
    expect(q4).toBeGreaterThan(q2 * 1.5);
    // Customers sign up before their first order.
    for (let c = 0; c < store.customerCount; c++) {
      const orders = store.customerOrders(c);
      if (orders.length) expect(store.c.createdAt[c]).toBeLessThanOrEqual(store.o.processedAt[orders[0]]);
    }
  });

  it("can run twice on one shop, continuing ids and reusing products", () => {
    const shop = "gen-twice.myshopify.com";
    sim.createShop(shop, { timezone: "UTC", currency: "USD" });
    sim.generate(shop, { ...options, customers: 20, orders: 50 });
    sim.generate(shop, { ...options, customers: 10, orders: 30 });
    const store = sim.shop(shop).store;
    expect(store.orderCount).toBe(80);
    expect(store.customerCount).toBe(30);
    expect(store.products).toHaveLength(200);
    expect(store.orderIdsAscending && store.customerIdsAscending).toBe(true);
    for (let j = 0; j < store.lineCount; j++) expect(store.products[store.l.product[j]]).toBeDefined();
  });

  it("rejects bad options with a clear message", () => {
    sim.createShop("gen-e.myshopify.com", { timezone: "UTC", currency: "USD" });
    expect(() =>
      sim.generate("gen-e.myshopify.com", {
        ...options,
        discountShare: 2,
        endDate: "2020-01-01T00:00:00Z",
      }),
    ).toThrow(/discountShare must be between 0 and 1.*|endDate must be after startDate/);
  });
});

describe("token checks", () => {
  it("binds a token to its shop", async () => {
    sim.createShop("token-a.myshopify.com", {
      timezone: "UTC",
      currency: "USD",
    });
    sim.installApp("token-a.myshopify.com", {
      accessToken: TOKEN + "-a",
      scopes: ["read_orders"],
      webhookUrl: "http://127.0.0.1:9",
    });
    const url = `${sim.url}/shops/token-a.myshopify.com/admin/api/2026-04/graphql.json`;
    const ok = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": TOKEN + "-a",
      },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(((await ok.json()) as { data: { shop: { myshopifyDomain: string } } }).data.shop.myshopifyDomain).toBe(
      "token-a.myshopify.com",
    );
    const wrong = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": "or-token",
      },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
    // The shop may also be named by X-Shopify-Shop-Domain; the token must be that shop's.
    const viaHeader = (token: string) =>
      fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Access-Token": token,
          "X-Shopify-Shop-Domain": "token-a.myshopify.com",
        },
        body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
      });
    expect((await viaHeader(TOKEN + "-a")).status).toBe(200);
    expect((await viaHeader("or-token")).status).toBe(401);
    const missing = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(401);
  });
});
