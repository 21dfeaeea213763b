import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./index";
import { currencyDecimals, decimalFromMinor, minorFromAmount, restMoney } from "./money";
import { gql, SECRET } from "./test-helpers";

describe("money formatting", () => {
  it("prints GraphQL Decimals BigDecimal-style and REST strings with the currency's decimals", () => {
    expect([currencyDecimals("GBP"), currencyDecimals("JPY"), currencyDecimals("KRW")]).toEqual([2, 0, 0]);
    expect([currencyDecimals("KWD"), currencyDecimals("BHD")]).toEqual([3, 3]);
    expect(decimalFromMinor(1250, "GBP")).toBe("12.5");
    expect(decimalFromMinor(1000, "GBP")).toBe("10.0");
    expect(decimalFromMinor(1200, "JPY")).toBe("1200.0");
    expect(decimalFromMinor(1234, "KWD")).toBe("1.234");
    expect(decimalFromMinor(1200, "KWD")).toBe("1.2");
    expect(decimalFromMinor(-5, "GBP")).toBe("-0.05");
    expect(restMoney(1250, "GBP")).toBe("12.50");
    expect(restMoney(1200, "JPY")).toBe("1200");
    expect(restMoney(1200, "KWD")).toBe("1.200");
    expect(restMoney(0, "KWD")).toBe("0.000");
  });

  it("converts currency units to minor units and refuses decimals the currency does not have", () => {
    expect(minorFromAmount(12.34, "GBP", "price")).toBe(1234);
    expect(minorFromAmount(1200, "JPY", "price")).toBe(1200);
    expect(minorFromAmount(1.234, "KWD", "price")).toBe(1234);
    expect(() => minorFromAmount(12.5, "JPY", "price")).toThrow("price 12.5 has more decimals than JPY allows (0)");
    expect(() => minorFromAmount(1.2345, "KWD", "price")).toThrow(/KWD allows \(3\)/);
  });
});

const JPY = "yen-store.myshopify.com";
const KWD = "dinar-store.myshopify.com";
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET });
  for (const [domain, currency, token] of [
    [JPY, "JPY", "shpat_jpy"],
    [KWD, "KWD", "shpat_kwd"],
  ]) {
    sim.createShop(domain, { timezone: currency === "JPY" ? "Asia/Tokyo" : "Asia/Kuwait", currency });
    sim.installApp(domain, {
      accessToken: token,
      scopes: ["read_customers", "read_orders", "read_all_orders"],
      webhookUrl: "http://127.0.0.1:9",
    });
    sim.generate(domain, {
      seed: 3,
      customers: 20,
      orders: 60,
      startDate: "2024-01-01T00:00:00Z",
      endDate: "2025-01-01T00:00:00Z",
      discountShare: 0.5,
      seasonality: 0.3,
    });
  }
});
afterAll(async () => {
  await sim.close();
});

const ORDER_MONEY = `{ orders(first: 20) { nodes { currencyCode totalPriceSet { shopMoney { amount currencyCode } }
  subtotalPriceSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
  lineItems(first: 5) { nodes { originalUnitPriceSet { shopMoney { amount } } discountedUnitPriceSet { shopMoney { amount } } } }
  customer { amountSpent { amount currencyCode } } } } }`;

function amounts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => amounts(v, out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "amount" || k === "price" || k.endsWith("_price") || k === "total_discount" || k === "total_spent")
        out.push(v as string);
      else amounts(v, out);
    }
  return out;
}

describe("a JPY store", () => {
  it("has whole-yen amounts in GraphQL and in REST payloads", async () => {
    const r = await gql(sim, ORDER_MONEY, {}, "shpat_jpy");
    const found = amounts(r.body.data!.orders.nodes);
    expect(found.length).toBeGreaterThan(100);
    for (const amount of found) expect(amount).toMatch(/^-?\d+\.0$/);
    expect(r.body.data!.orders.nodes[0].totalPriceSet.shopMoney.currencyCode).toBe("JPY");

    const payload = sim.createOrder(JPY, {
      customerId: 9001,
      lineItems: [{ title: "Tea set", quantity: 2, price: 3500 }],
      shippingLine: { title: "Yamato", price: 800 },
      discountCode: { code: "SAVE", type: "fixed_amount", amount: 500 },
    });
    expect(payload.total_price).toBe("7300");
    expect(payload.subtotal_price_set.shop_money).toEqual({ amount: "6500", currency_code: "JPY" });
    expect(payload.line_items[0].price).toBe("3500");
    expect(payload.shipping_lines[0].price).toBe("800");
    expect(payload.customer!.total_spent).toBe("7300");
    for (const amount of amounts(payload)) expect(amount).toMatch(/^-?\d+$/);
    expect(() => sim.createOrder(JPY, { lineItems: [{ title: "x", quantity: 1, price: 10.5 }] })).toThrow(
      "lineItems[0].price 10.5 has more decimals than JPY allows (0)",
    );
    const refund = sim.refundOrder(JPY, payload.id); // the lines (7,000 less the 500 discount), not shipping
    expect(refund.transactions[0].amount).toBe("6500");
    expect(refund.refund_line_items[0].subtotal_set.shop_money.amount).toBe("6500");
  });
});

describe("a KWD store", () => {
  it("keeps three decimals (fils) in GraphQL and REST", async () => {
    const r = await gql(sim, ORDER_MONEY, {}, "shpat_kwd");
    const found = amounts(r.body.data!.orders.nodes);
    for (const amount of found) expect(amount).toMatch(/^-?\d+\.\d{1,3}$/);
    const payload = sim.createOrder(KWD, {
      lineItems: [{ title: "Dates", quantity: 3, price: 1.234 }],
      shippingLine: { title: "Aramex", price: 0.5 },
    });
    expect(payload.total_price).toBe("4.202");
    expect(payload.line_items[0].price).toBe("1.234");
    expect(payload.shipping_lines[0].price).toBe("0.500");
    for (const amount of amounts(payload)) expect(amount).toMatch(/^-?\d+\.\d{3}$/);
    const order = await gql(
      sim,
      `query($id: ID!) { order(id: $id) { totalPriceSet { shopMoney { amount currencyCode } } } }`,
      { id: payload.admin_graphql_api_id },
      "shpat_kwd",
    );
    expect(order.body.data!.order.totalPriceSet.shopMoney).toEqual({ amount: "4.202", currencyCode: "KWD" });
  });

  it("refuses a currency Shopify does not know and Online Retail data in another currency", async () => {
    expect(() => sim.createShop("odd.myshopify.com", { timezone: "UTC", currency: "XYZ" })).toThrow(
      /CurrencyCode values, got 'XYZ'/,
    );
    await expect(sim.loadOnlineRetail(KWD, "data/online-retail/online_retail.csv.gz")).rejects.toThrow(
      "The Online Retail data set is in GBP; dinar-store.myshopify.com uses KWD",
    );
  });
});
