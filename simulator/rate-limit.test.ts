import { parse, Kind, type OperationDefinitionNode } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { operationCost } from "./cost";
import { adminSchema } from "./schema";
import type { Simulator } from "./index";
import { gql, smallStore } from "./test-helpers";

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return operationCost(adminSchema(), operation, {}, variables);
}

describe("calculated query cost", () => {
  it("prices scalars 0, objects 1, connections 2 + first x node cost, mutations 10", () => {
    expect(cost("{ shop { name } }")).toBe(1);
    expect(cost("{ orders(first: 10) { edges { node { id } } pageInfo { hasNextPage } } }")).toBe(12);
    expect(cost("{ orders(first: 10) { nodes { id totalPriceSet { shopMoney { amount } } } } }")).toBe(2 + 10 * 3);
    expect(
      cost("query($n: Int) { orders(first: $n) { nodes { id lineItems(first: 5) { nodes { id } } } } }", { n: 4 }),
    ).toBe(2 + 4 * (1 + 2 + 5));
    expect(
      cost('mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { node { id } userErrors { message } } }'),
    ).toBe(10);
  });
});

describe("leaky bucket rate limit", () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.close();
  });

  it("throttles with HTTP 200 + THROTTLED and recovers at the restore rate", async () => {
    let now = 1_700_000_000_000;
    sim = await smallStore({
      clock: () => now,
      bucketSize: 100,
      restoreRate: 10,
    });
    const query = "{ customers(first: 10) { nodes { id } } }"; // requested 12, actual 2 + returned nodes
    const first = await gql(sim, query);
    expect(first.body.extensions!.cost.requestedQueryCost).toBe(12);
    expect(first.body.extensions!.cost.actualQueryCost).toBe(12);
    expect(first.body.extensions!.cost.throttleStatus).toEqual({
      maximumAvailable: 100,
      currentlyAvailable: 88,
      restoreRate: 10,
    });

    let throttled = null;
    for (let i = 0; i < 20 && !throttled; i++) {
      const r = await gql(sim, query);
      if (r.body.errors?.[0]?.extensions?.code === "THROTTLED") throttled = r;
    }
    expect(throttled).not.toBeNull();
    expect(throttled!.status).toBe(200);
    expect(throttled!.body.data).toBeUndefined();
    expect(throttled!.body.errors![0].message).toBe("Throttled");
    const status = throttled!.body.extensions!.cost.throttleStatus;
    expect(status.currentlyAvailable).toBeLessThan(12);
    expect(sim.callCounts().throttled).toBe(1);

    // One second at 10 points/s restores exactly 10 points.
    now += 1000;
    const probe = await gql(sim, "{ shop { id } }");
    expect(probe.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(status.currentlyAvailable + 10 - 1);

    now += 10_000;
    const recovered = await gql(sim, query);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data!.customers.nodes).toHaveLength(10);
  });

  it("uses Shopify's standard limits by default: 2,000-point bucket, 100 points/s", async () => {
    let now = 1_700_000_000_000;
    sim = await smallStore({ clock: () => now }, { customers: 300, orders: 300 });
    const query = "{ customers(first: 250) { nodes { id } } }"; // 252 points, all really returned
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const r = await gql(sim, query);
      statuses.push(r.body.errors?.[0]?.extensions?.code ?? r.body.extensions!.cost.throttleStatus.currentlyAvailable);
    }
    expect(statuses).toEqual([1748, 1496, 1244, 992, 740, 488, 236, "THROTTLED"]);
    now += 1000; // +100 points
    const after = await gql(sim, query);
    expect(after.body.extensions!.cost.throttleStatus).toEqual({
      maximumAvailable: 2000,
      currentlyAvailable: 336 - 252,
      restoreRate: 100,
    });
    now += 60_000;
    expect((await gql(sim, "{ shop { id } }")).body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(1999);
  });

  it("refunds the difference between requested and actual cost", async () => {
    const now = 1_700_000_000_000;
    sim = await smallStore({
      clock: () => now,
      bucketSize: 1000,
      restoreRate: 50,
    });
    const r = await gql(sim, `{ customers(first: 250, query: "id:<0") { nodes { id } } }`);
    expect(r.body.extensions!.cost.requestedQueryCost).toBe(252);
    expect(r.body.extensions!.cost.actualQueryCost).toBe(2);
    expect(r.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(998);
  });

  it("rejects a query over 1,000 points with MAX_COST_EXCEEDED", async () => {
    sim = await smallStore();
    const r = await gql(sim, "{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }");
    expect(r.status).toBe(200);
    expect(r.body.errors![0].extensions).toMatchObject({
      code: "MAX_COST_EXCEEDED",
      maxCost: 1000,
    });
    expect(r.body.errors![0].message).toMatch(
      /^Query cost is \d+, which exceeds the single query max cost limit \(1000\)/,
    );
  });
});
