import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./index";
import { shopifyTimezoneLabel } from "./resources/shop-payload";
import { gql, SECRET, SHOP, TOKEN } from "./test-helpers";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET, webhookRetryDelaysMs: [] });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP", name: "Tea Shop" });
  sim.installApp(SHOP, {
    accessToken: TOKEN,
    scopes: ["read_customers"],
    webhookUrl: "http://127.0.0.1:9",
    subscriptions: [{ topic: "SHOP_UPDATE", uri: "/webhooks/shop" }],
  });
});
afterAll(async () => {
  await sim.close();
});

const SHOP_QUERY = "{ shop { name ianaTimezone currencyCode timezoneOffset } }";

describe("updateShop", () => {
  it("changes the shop, answers GraphQL with it and sends shop/update with Shopify's REST shop payload", async () => {
    sim.updateShop(SHOP, { timezone: "America/New_York", name: "Tea House" });
    await sim.webhooksIdle();
    const delivery = sim.deliveries().find((d) => d.topic === "shop/update")!;
    expect(delivery.url).toBe("http://127.0.0.1:9/webhooks/shop");
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({
      id: expect.any(Number),
      name: "Tea House",
      myshopify_domain: SHOP,
      iana_timezone: "America/New_York",
      timezone: "(GMT-05:00) America/New_York",
      currency: "GBP",
      money_format: "£{{amount}}",
      money_with_currency_format: "£{{amount}} GBP",
      plan_name: "basic",
      plan_display_name: "Basic",
    });
    expect(payload.updated_at).toMatch(/-0[45]:00$/); // REST times in the new time zone
    const r = await gql(sim, SHOP_QUERY);
    expect(r.body.data!.shop).toMatchObject({
      name: "Tea House",
      ianaTimezone: "America/New_York",
      currencyCode: "GBP",
    });
    expect(r.body.data!.shop.timezoneOffset).toMatch(/^-0[45]00$/);
  });

  it("changes the currency of a store without orders, over the control API too", async () => {
    const response = await fetch(`${sim.url}/_sim/shops/${SHOP}/update`, {
      method: "POST",
      body: JSON.stringify({ currency: "JPY" }),
    });
    expect(response.status).toBe(200);
    expect((await gql(sim, SHOP_QUERY)).body.data!.shop.currencyCode).toBe("JPY");
    await sim.webhooksIdle();
    const last = JSON.parse(
      sim
        .deliveries()
        .filter((d) => d.topic === "shop/update")
        .at(-1)!.body,
    );
    expect(last).toMatchObject({ currency: "JPY", money_format: "¥{{amount_no_decimals}}" });
  });

  it("refuses bad changes with a clear message and changes nothing", async () => {
    expect(() => sim.updateShop(SHOP, { timezone: "Mars/Olympus" })).toThrow("Unknown IANA timezone 'Mars/Olympus'");
    expect(() => sim.updateShop(SHOP, { currency: "ABC" })).toThrow(/CurrencyCode values/);
    expect(() => sim.updateShop(SHOP, { name: " " })).toThrow("The shop name cannot be blank");
    expect(() => sim.updateShop(SHOP, { plan: "Plus" } as never)).toThrow(/not plan/);
    sim.createOrder(SHOP, { lineItems: [{ title: "Tea", quantity: 1, price: 500 }] });
    expect(() => sim.updateShop(SHOP, { currency: "EUR" })).toThrow(/has orders/);
    const bad = await fetch(`${sim.url}/_sim/shops/${SHOP}/update`, {
      method: "POST",
      body: JSON.stringify({ timezone: "Nowhere" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("Unknown IANA timezone 'Nowhere'");
    expect((await gql(sim, SHOP_QUERY)).body.data!.shop).toMatchObject({
      name: "Tea House",
      ianaTimezone: "America/New_York",
      currencyCode: "JPY",
    });
  });

  it("labels time zones with their standard offset, as Shopify's timezone field does", () => {
    expect(shopifyTimezoneLabel("Europe/London", 2026)).toBe("(GMT+00:00) Europe/London");
    expect(shopifyTimezoneLabel("Australia/Sydney", 2026)).toBe("(GMT+10:00) Australia/Sydney");
    expect(shopifyTimezoneLabel("Asia/Kolkata", 2026)).toBe("(GMT+05:30) Asia/Kolkata");
  });
});
