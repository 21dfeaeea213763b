import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "./index";
import { gql, smallStore, SHOP, TOKEN } from "./test-helpers";

let sim: Simulator;
beforeAll(async () => {
  // A deep bucket: these tests are about shapes, the rate limiter has its own tests.
  sim = await smallStore({ bucketSize: 1_000_000, restoreRate: 1_000_000 });
});
afterAll(async () => {
  await sim.close();
});

describe("Admin GraphQL endpoint: validation and errors", () => {
  it("answers a valid query with data and the calculated cost", async () => {
    const { status, body } = await gql(sim, "{ shop { name myshopifyDomain ianaTimezone currencyCode } }");
    expect(status).toBe(200);
    expect(body.data!.shop).toEqual({
      name: "test-shop",
      myshopifyDomain: SHOP,
      ianaTimezone: "Europe/London",
      currencyCode: "GBP",
    });
    expect(body.extensions!.cost.requestedQueryCost).toBe(1);
    expect(body.extensions!.cost.throttleStatus.maximumAvailable).toBe(1_000_000);
  });

  it("rejects a misspelled field in Shopify's error shape", async () => {
    const { status, body } = await gql(sim, "{ shop {\n  nmae\n} }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'nmae' doesn't exist on type 'Shop'",
        locations: [{ line: 2, column: 3 }],
        extensions: {
          code: "undefinedField",
          typeName: "Shop",
          fieldName: "nmae",
        },
      },
    ]);
  });

  it("rejects a wrong argument and a missing required argument", async () => {
    const wrongArg = await gql(sim, "{ customers(frist: 5) { nodes { id } } }");
    expect(wrongArg.body.errors![0].message).toBe("Field 'customers' doesn't accept argument 'frist'");
    expect(wrongArg.body.errors![0].extensions!.code).toBe("argumentNotAccepted");
    const missing = await gql(sim, "{ customer { id } }");
    expect(missing.body.errors![0].extensions!.code).toBe("missingRequiredArguments");
  });

  it("answers a syntax error with a located PARSE_ERROR instead of crashing", async () => {
    const { status, body } = await gql(sim, "{ shop { name }");
    expect(status).toBe(200);
    expect(body.errors![0].extensions!.code).toBe("PARSE_ERROR");
    expect(body.errors![0].locations).toEqual([{ line: 1, column: 16 }]);
  });

  it("gives 401 for a wrong access token and 400 for a body without a query", async () => {
    const bad = await gql(sim, "{ shop { name } }", {}, "shpat_wrong");
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const response = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": TOKEN,
      },
      body: "not json",
    });
    expect(response.status).toBe(400);
  });

  it("names a field the simulator does not implement instead of returning null", async () => {
    const { body } = await gql(sim, "{ shop { name billingAddress { city } } }");
    expect(body.errors![0].message).toBe("Field 'Shop.billingAddress' is not implemented by the Shopify simulator");
    expect(body.errors![0].extensions!.code).toBe("NOT_IMPLEMENTED_IN_SIMULATOR");
  });

  it("requires first or last on connections", async () => {
    const { body } = await gql(sim, "{ orders { nodes { id } } }");
    expect(body.errors![0].message).toBe("you must provide one of first or last");
  });
});

describe("Admin GraphQL endpoint: orders", () => {
  it("pages orders filtered by updated_at with cursors until the end", async () => {
    const since = "2024-07-01T00:00:00Z";
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await gql(
        sim,
        `query($after: String, $q: String) { orders(first: 7, after: $after, query: $q) { edges { node { id updatedAt } } pageInfo { hasNextPage endCursor } } }`,
        { after, q: `updated_at:>='${since}'` },
      );
      const page = body.data!.orders;
      for (const edge of page.edges) {
        expect(edge.node.updatedAt >= since).toBe(true);
        seen.push(edge.node.id);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const store = sim.shop(SHOP).store;
    let expected = 0;
    for (let i = 0; i < store.orderCount; i++) if (store.o.updatedAt[i] >= Date.parse(since) / 1000) expected++;
    expect(seen.length).toBe(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("sorts by UPDATED_AT and reflects writes made between pages", async () => {
    const page = async (after: string | null) =>
      (
        await gql(
          sim,
          `query($after: String) { orders(first: 50, after: $after, sortKey: UPDATED_AT) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }`,
          { after },
        )
      ).body.data!.orders;
    const first = await page(null);
    const oldest = first.nodes[0];
    sim.refundOrder(SHOP, oldest.id); // now the most recently updated order
    const seen = [...first.nodes];
    let cursor = first.pageInfo.endCursor;
    for (;;) {
      const next = await page(cursor);
      seen.push(...next.nodes);
      if (!next.pageInfo.hasNextPage) break;
      cursor = next.pageInfo.endCursor;
    }
    for (let i = 1; i < seen.length; i++) {
      if (seen[i].id !== oldest.id)
        expect(seen[i].updatedAt >= seen[i - 1].updatedAt || seen[i - 1].id === oldest.id).toBe(true);
    }
    expect(seen[seen.length - 1].id).toBe(oldest.id); // seen again at the end, as on Shopify
    expect(seen.length).toBe(sim.orderCount(SHOP) + 1);
  });

  it("resolves an order with line items, discounts, shipping, refunds and journey", async () => {
    const orders: any[] = [];
    let after: string | null = null;
    do {
      const { body } = await gql(
        sim,
        `query($after: String) { orders(first: 8, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name processedAt cancelledAt currencyCode customer { id }
          totalPriceSet { shopMoney { amount currencyCode } } totalDiscountsSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } }
          discountCodes discountApplications(first: 2) { nodes { __typename ... on DiscountCodeApplication { code } } }
          lineItems(first: 5) { nodes { id quantity currentQuantity product { id productType } variant { id } originalUnitPriceSet { shopMoney { amount } } discountAllocations { allocatedAmountSet { shopMoney { amount } } } } }
          shippingLines(first: 1) { nodes { title code source originalPriceSet { shopMoney { amount } } } }
          refunds { id createdAt totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { quantity lineItem { id } } } }
          customerJourneySummary { firstVisit { source sourceType utmParameters { source medium campaign } } lastVisit { landingPage referrerUrl } } } } }`,
        { after },
      );
      expect(body.errors).toBeUndefined();
      expect(body.extensions!.cost.requestedQueryCost).toBeLessThanOrEqual(1000);
      orders.push(...body.data!.orders.nodes);
      after = body.data!.orders.pageInfo.hasNextPage ? body.data!.orders.pageInfo.endCursor : null;
    } while (after);
    expect(orders.length).toBe(sim.orderCount(SHOP));
    const discounted = orders.find((o) => o.discountCodes.length > 0);
    expect(discounted.discountApplications.nodes[0]).toEqual({
      __typename: "DiscountCodeApplication",
      code: discounted.discountCodes[0],
    });
    expect(Number(discounted.totalDiscountsSet.shopMoney.amount)).toBeGreaterThan(0);
    const refunded = orders.find((o) => o.refunds.length > 0);
    expect(refunded).toBeDefined();
    expect(Number(refunded.totalRefundedSet.shopMoney.amount)).toBeGreaterThan(0);
    expect(refunded.refunds[0].refundLineItems.nodes[0].quantity).toBeGreaterThan(0);
    expect(orders.some((o) => o.customerJourneySummary?.firstVisit?.utmParameters?.source)).toBe(true);
    expect(orders[0].name).toBe("#1001");
  });
});
