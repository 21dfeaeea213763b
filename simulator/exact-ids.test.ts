import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringifyExact } from "./exact-json";
import { startSimulator, type Simulator } from "./index";
import { gql, SECRET, waitFor } from "./test-helpers";

describe("stringifyExact", () => {
  it("writes bigints as raw JSON digits and everything else as JSON.stringify does", () => {
    expect(stringifyExact({ id: 2n ** 64n, list: [1n, "x", null], nested: { n: 1.5 } })).toBe(
      '{"id":18446744073709551616,"list":[1,"x",null],"nested":{"n":1.5}}',
    );
    const plain = { a: 1, b: "two", c: [true, null], d: undefined, e: new Date(0) };
    expect(stringifyExact(plain)).toBe(JSON.stringify(plain));
    expect(stringifyExact({ skip: undefined, big: 9007199254740993n, date: new Date(0) })).toBe(
      '{"big":9007199254740993,"date":"1970-01-01T00:00:00.000Z"}',
    );
  });
});

const DOMAIN = "big-ids.myshopify.com";
const TOKEN = "shpat_big";
// Shopify's own 2026-04 sample payloads carry ids of this size (order_id 820982911946154508).
const BASE = 820982911946000000n;
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET, webhookRetryDelaysMs: [], bulkLatencyMs: 10 });
  sim.createShop(DOMAIN, { timezone: "America/New_York", currency: "USD" }, { idBase: BASE.toString() });
  sim.installApp(DOMAIN, {
    accessToken: TOKEN,
    scopes: ["read_customers", "write_customers", "read_orders", "read_all_orders"],
    webhookUrl: "http://127.0.0.1:9",
    subscriptions: ["orders/create", "refunds/create", "customers/create"].map((topic) => ({ topic, uri: "/hooks" })),
  });
  sim.generate(DOMAIN, {
    seed: 5,
    customers: 10,
    orders: 30,
    startDate: "2025-01-01T00:00:00Z",
    endDate: "2025-06-01T00:00:00Z",
    discountShare: 0.2,
    seasonality: 0,
  });
});
afterAll(async () => {
  await sim.close();
});

/** The digits of every `"key":<number>` in a raw JSON body. */
function rawNumbers(body: string, key: string): string[] {
  return [...body.matchAll(new RegExp(`"${key}":(\\d+)`, "g"))].map((m) => m[1]);
}

describe("a shop with ids above 2^53", () => {
  it("sends REST payloads with the exact digits as JSON numbers and the exact GIDs", async () => {
    const customerId = BASE + 7_000_000_500n;
    const payload = sim.createOrder(DOMAIN, {
      customerId,
      lineItems: [{ title: "Lamp", quantity: 2, price: 30 }],
    });
    expect(typeof payload.id).toBe("bigint");
    expect(payload.customer!.id).toBe(customerId);
    expect(payload.admin_graphql_api_id).toBe(`gid://shopify/Order/${payload.id}`);
    await sim.webhooksIdle();
    const order = sim.deliveries().find((d) => d.topic === "orders/create")!;
    expect(rawNumbers(order.body, "id")[0]).toBe(String(payload.id));
    expect(order.body).toContain(`"customer_id":${customerId}`);
    expect(order.body).toContain(`"admin_graphql_api_id":"gid://shopify/Customer/${customerId}"`);
    expect(Number(rawNumbers(order.body, "id")[0])).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    // Every object Shopify gives a GID carries it, matching its numeric id.
    const parsed = JSON.parse(order.body.replace(/:(\d{16,})/g, ':"$1"')) as Record<string, any>;
    for (const item of [parsed, parsed.customer, ...parsed.line_items]) {
      expect(item.admin_graphql_api_id).toMatch(new RegExp(`^gid://shopify/\\w+/${item.id}$`));
    }
    expect(sim.deliveries().some((d) => d.topic === "customers/create")).toBe(true);

    const refund = sim.refundOrder(DOMAIN, payload.id, {
      lineItems: [{ lineItemId: payload.line_items[0].id, quantity: 1 }],
    });
    expect(refund.order_id).toBe(payload.id);
    await sim.webhooksIdle();
    const refundBody = sim.deliveries().find((d) => d.topic === "refunds/create")!.body;
    expect(refundBody).toContain(`"order_id":${payload.id}`);
    expect(refundBody).toContain(`"line_item_id":${payload.line_items[0].id}`);
  });

  it("answers GraphQL with exact GIDs and finds resources by them", async () => {
    const first = await gql(sim, `{ orders(first: 1) { nodes { id legacyResourceId customer { id } } } }`, {}, TOKEN);
    const order = first.body.data!.orders.nodes[0];
    const digits = order.id.split("/").pop();
    expect(BigInt(digits)).toBeGreaterThan(BASE);
    expect(order.legacyResourceId).toBe(digits);
    const byId = await gql(sim, `query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, TOKEN);
    expect(byId.body.data!.order.id).toBe(order.id);
    const customerGid = order.customer.id as string;
    const searched = await gql(
      sim,
      `query($q: String!) { customers(first: 5, query: $q) { nodes { id } } orders(first: 50, query: $q) { nodes { id } } }`,
      { q: `id:${customerGid.split("/").pop()}` },
      TOKEN,
    );
    expect(searched.body.data!.customers.nodes).toEqual([{ id: customerGid }]);
    const byCustomer = await gql(
      sim,
      `query($q: String!) { orders(first: 50, query: $q) { nodes { customer { id } } } }`,
      { q: `customer_id:${customerGid.split("/").pop()}` },
      TOKEN,
    );
    expect(byCustomer.body.data!.orders.nodes.length).toBeGreaterThan(0);
    for (const n of byCustomer.body.data!.orders.nodes) expect(n.customer.id).toBe(customerGid);
    // The same number without the base is another shop's id: not found, not confused with ours.
    const local = BigInt(digits) - BASE;
    const foreign = await gql(
      sim,
      `query($id: ID!) { order(id: $id) { id } }`,
      { id: `gid://shopify/Order/${local}` },
      TOKEN,
    );
    expect(foreign.body.data!.order).toBeNull();

    const tagged = await gql(
      sim,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["vip"]) { node { id } userErrors { message } } }`,
      { id: customerGid },
      TOKEN,
    );
    expect(tagged.body.data!.tagsAdd).toEqual({ node: { id: customerGid }, userErrors: [] });
    expect(sim.customerTags(DOMAIN, customerGid)).toEqual(["vip"]);
    const set = await gql(
      sim,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id owner { ... on Customer { id } } } userErrors { message } } }`,
      { m: [{ ownerId: customerGid, namespace: "$app", key: "tier", type: "single_line_text_field", value: "gold" }] },
      TOKEN,
    );
    expect(set.body.data!.metafieldsSet.userErrors).toEqual([]);
    expect(set.body.data!.metafieldsSet.metafields[0].owner.id).toBe(customerGid);
    expect(sim.metafields(DOMAIN, customerGid).map((m) => m.value)).toEqual(["gold"]);
  });

  it("exports exact GIDs in bulk JSONL", async () => {
    const started = await gql(
      sim,
      `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id } } } } } } }") { bulkOperation { id } userErrors { message } } }`,
      {},
      TOKEN,
    );
    const opId = started.body.data!.bulkOperationRunQuery.bulkOperation.id as string;
    expect(BigInt(opId.split("/").pop()!)).toBeGreaterThan(BASE);
    const url = await waitFor(async () => {
      const r = await gql(sim, `query($id: ID!) { bulkOperation(id: $id) { status url } }`, { id: opId }, TOKEN);
      return r.body.data!.bulkOperation.status === "COMPLETED" ? (r.body.data!.bulkOperation.url as string) : null;
    });
    const lines = (await (await fetch(url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const line of lines) expect(BigInt(line.id.split("/").pop())).toBeGreaterThan(BASE);
  });

  it("refuses an id base that is not a whole number in Shopify's 64-bit range", () => {
    expect(() => sim.createShop("x.myshopify.com", { timezone: "UTC", currency: "USD" }, { idBase: "-5" })).toThrow(
      /idBase must be a whole number/,
    );
    expect(() =>
      sim.createShop("y.myshopify.com", { timezone: "UTC", currency: "USD" }, { idBase: (2n ** 63n).toString() }),
    ).toThrow(/idBase must be a whole number/);
  });
});
