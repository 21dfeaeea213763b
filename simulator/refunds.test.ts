import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./index";
import { gql, SECRET, SHOP, TOKEN } from "./test-helpers";

// Keys of Shopify's documented 2026-01/2026-04 REST refund (refunds/create body and Order.refunds).
const REFUND_KEYS = [
  "id",
  "order_id",
  "created_at",
  "note",
  "user_id",
  "processed_at",
  "duties",
  "total_duties_set",
  "return",
  "restock",
  "additional_fees",
  "total_additional_fees_set",
  "refund_shipping_lines",
  "admin_graphql_api_id",
  "order_adjustments",
  "refund_line_items",
  "transactions",
];
const REFUND_LINE_KEYS = [
  "location_id",
  "restock_type",
  "quantity",
  "id",
  "line_item_id",
  "subtotal",
  "total_tax",
  "subtotal_set",
  "total_tax_set",
  "line_item",
];
const TRANSACTION_KEYS = [
  "id",
  "order_id",
  "kind",
  "gateway",
  "status",
  "message",
  "created_at",
  "test",
  "authorization",
  "location_id",
  "user_id",
  "parent_id",
  "processed_at",
  "device_id",
  "error_code",
  "source_name",
  "receipt",
  "currency_exchange_adjustment",
  "amount",
  "currency",
  "payment_id",
  "total_unsettled_set",
  "manual_payment_gateway",
  "amount_rounding",
  "admin_graphql_api_id",
];

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET, webhookRetryDelaysMs: [] });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP" });
  sim.installApp(SHOP, {
    accessToken: TOKEN,
    scopes: ["read_orders", "read_all_orders", "read_customers"],
    webhookUrl: "http://127.0.0.1:9",
    subscriptions: [{ topic: "refunds/create", uri: "/hooks" }],
  });
});
afterAll(async () => {
  await sim.close();
});

const money = (amount: string) => ({
  shop_money: { amount, currency_code: "GBP" },
  presentment_money: { amount, currency_code: "GBP" },
});

describe("refunds/create", () => {
  it("has the fields of Shopify's refund payload, with line items, a refund transaction and money sets", async () => {
    const order = sim.createOrder(SHOP, {
      customerId: 501,
      lineItems: [
        { sku: "MUG", title: "Mug", productType: "Kitchen", quantity: 2, price: 12.5 },
        { sku: "TEA", title: "Tea", quantity: 1, price: 4 },
      ],
      shippingLine: { title: "Standard", price: 3.99 },
    });
    // Shopify's REST LineItem has no product type.
    for (const line of order.line_items) expect(line).not.toHaveProperty("product_type");
    const refund = sim.refundOrder(SHOP, order.id, {
      lineItems: [{ lineItemId: order.line_items[0].id, quantity: 1 }],
    });
    expect(Object.keys(refund)).toEqual(REFUND_KEYS);
    expect(refund).toMatchObject({
      order_id: order.id,
      admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
      restock: false,
      refund_shipping_lines: [],
      order_adjustments: [],
      total_duties_set: money("0.00"),
    });
    expect(Object.keys(refund.refund_line_items[0])).toEqual(REFUND_LINE_KEYS);
    expect(refund.refund_line_items[0]).toMatchObject({
      line_item_id: order.line_items[0].id,
      quantity: 1,
      subtotal: 12.5,
      total_tax: 0,
      subtotal_set: money("12.50"),
      total_tax_set: money("0.00"),
      line_item: { id: order.line_items[0].id, admin_graphql_api_id: order.line_items[0].admin_graphql_api_id },
    });
    expect(Object.keys(refund.transactions[0])).toEqual(TRANSACTION_KEYS);
    expect(refund.transactions[0]).toMatchObject({
      kind: "refund",
      status: "success",
      amount: "12.50",
      currency: "GBP",
      order_id: order.id,
      admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.transactions[0].id}`,
    });
    await sim.webhooksIdle();
    const delivered = sim.deliveries().find((d) => d.topic === "refunds/create")!;
    expect(JSON.parse(delivered.body)).toEqual(JSON.parse(JSON.stringify(refund)));
  });

  it("refunds shipping on cancellation as refund_shipping_lines, in the transaction amount", async () => {
    const order = sim.createOrder(SHOP, {
      lineItems: [{ sku: "LAMP", title: "Lamp", quantity: 1, price: 20 }],
      shippingLine: { title: "Express", price: 5 },
    });
    sim.cancelOrder(SHOP, order.id);
    await sim.webhooksIdle();
    const body = sim
      .deliveries()
      .filter((d) => d.topic === "refunds/create")
      .map((d) => JSON.parse(d.body))
      .find((r) => r.order_id === order.id)!;
    expect(body.transactions[0].amount).toBe("25.00");
    expect(body.refund_shipping_lines).toHaveLength(1);
    expect(body.refund_shipping_lines[0]).toMatchObject({
      shipping_line_id: order.shipping_lines[0].id,
      subtotal_amount_set: money("5.00"),
      shipping_line: { title: "Express", price: "5.00" },
    });
    expect(body.order_adjustments).toEqual([]);
    const r = await gql(
      sim,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus totalRefundedSet { shopMoney { amount } }
        refunds { totalRefundedSet { shopMoney { amount } } refundShippingLines(first: 5) { nodes { subtotalAmountSet { shopMoney { amount } } shippingLine { title } } }
          transactions(first: 5) { nodes { kind status amountSet { shopMoney { amount } } } } orderAdjustments(first: 5) { nodes { id } } } } }`,
      { id: order.admin_graphql_api_id },
    );
    const graph = r.body.data!.order;
    expect(graph.displayFinancialStatus).toBe("REFUNDED");
    expect(graph.totalRefundedSet.shopMoney.amount).toBe("25.0");
    expect(graph.refunds[0].refundShippingLines.nodes).toEqual([
      { subtotalAmountSet: { shopMoney: { amount: "5.0" } }, shippingLine: { title: "Express" } },
    ]);
    expect(graph.refunds[0].transactions.nodes).toEqual([
      { kind: "REFUND", status: "SUCCESS", amountSet: { shopMoney: { amount: "25.0" } } },
    ]);
    expect(graph.refunds[0].orderAdjustments.nodes).toEqual([]);
  });

  it("refunds remaining shipping on request and refuses a second full refund", () => {
    const order = sim.createOrder(SHOP, {
      lineItems: [{ sku: "CUP", title: "Cup", quantity: 1, price: 8 }],
      shippingLine: { title: "Standard", price: 2 },
    });
    const first = sim.refundOrder(SHOP, order.id, { shipping: true });
    expect(first.transactions[0].amount).toBe("10.00");
    expect(() => sim.refundOrder(SHOP, order.id, { shipping: true })).toThrow(/nothing left to refund/);
  });
});
